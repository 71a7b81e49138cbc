// Beheer → Machtigingen: the list, the "Nieuwe Machtigingen Aanvragen" wizard (server-side steps,
// state in the session), revoke, renew (one or many) and activate. Handlers parse and render only;
// each part is its own router.
import { Router } from 'express'
import type { Services } from '../../services.ts'
import { lifecycleRoutes } from './lifecycleRoutes.ts'
import { listRoutes } from './listRoutes.ts'
import { wizardRoutes } from './wizardRoutes.ts'

export function mandateRoutes(services: Services): Router {
  const router = Router()
  router.use(listRoutes(services))
  router.use(wizardRoutes(services))
  router.use(lifecycleRoutes(services))
  return router
}
