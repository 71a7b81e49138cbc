// Beheer → Ketenmachtigingen (rule 20) and Wie mag wat (rule 21). Each part is its own router.
import { Router } from 'express'
import type { Services } from '../../services.ts'
import { clientRoutes } from './clientRoutes.ts'
import { giveRoutes } from './giveRoutes.ts'
import { statusRoutes } from './statusRoutes.ts'
import { whoRoutes } from './whoRoutes.ts'

export function chainRoutes(services: Services): Router {
  const router = Router()
  router.use(clientRoutes(services))
  router.use(giveRoutes(services))
  router.use(statusRoutes(services))
  router.use(whoRoutes(services))
  return router
}
