// Beheer → Machtigingen: the list, the "Nieuwe Machtigingen Aanvragen" wizard (server-side steps,
// state in the session), revoke, renew (one or many) and activate. Handlers parse and render only;
// each part is its own router.
import type { Router } from 'express'
import { combineRouters } from '../../web/routers.ts'
import type { Services } from '../../services.ts'
import { bulkRoutes } from './bulkRoutes.ts'
import { historyRoutes } from './historyRoutes.ts'
import { lifecycleRoutes } from './lifecycleRoutes.ts'
import { exportRoutes } from './exportRoutes.ts'
import { listRoutes } from './listRoutes.ts'
import { wizardRoutes } from './wizardRoutes.ts'

export function mandateRoutes(services: Services): Router {
  return combineRouters(
    listRoutes(services),
    exportRoutes(services),
    wizardRoutes(services),
    bulkRoutes(services),
    lifecycleRoutes(services),
    historyRoutes(services),
  )
}
