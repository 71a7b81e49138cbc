// Second factor enrolment (after the password step), recovery codes shown once, password reset.
// Each part is its own router.
import type { Router } from 'express'
import { combineRouters } from '../../web/routers.ts'
import type { Services } from '../../services.ts'
import { enrolRoutes } from './enrolRoutes.ts'
import { passwordRoutes } from './passwordRoutes.ts'

export function securityRoutes(services: Services): Router {
  return combineRouters(enrolRoutes(services), passwordRoutes(services))
}
