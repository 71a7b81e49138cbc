import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'

export function healthRoutes({ db }: Services): Router {
  const router = Router()
  router.get(paths.health, allow('anonymous'), async (_req, res) => {
    await db.$queryRaw`select 1`
    res.json({ status: 'UP' })
  })
  return router
}
