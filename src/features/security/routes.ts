// Second factor enrolment (after the password step), recovery codes shown once, password reset.
// Each part is its own router.
import { Router } from 'express'
import type { Services } from '../../services.ts'
import { enrolRoutes } from './enrolRoutes.ts'
import { passwordRoutes } from './passwordRoutes.ts'

export function securityRoutes(services: Services): Router {
  const router = Router()
  router.use(enrolRoutes(services))
  router.use(passwordRoutes(services))
  return router
}
