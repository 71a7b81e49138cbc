// Beheer → Gebruikers: the list and its export, "Gebruikers toevoegen" (form or CSV, preview,
// confirmation), and one user's detail page with the upgrade request. Each part is its own router.
import type { Router } from 'express'
import { combineRouters } from '../../web/routers.ts'
import type { Services } from '../../services.ts'
import { userAddRoutes } from './addRoutes.ts'
import { userDetailRoutes } from './detailRoutes.ts'
import { userListRoutes } from './listRoutes.ts'
import { meansRoutes } from './meansRoutes.ts'
import { offboardRoutes } from './offboardRoutes.ts'
import { upgradeManyRoutes } from './upgradeManyRoutes.ts'

export function userRoutes(services: Services): Router {
  return combineRouters(
    userListRoutes(services),
    offboardRoutes(services),
    upgradeManyRoutes(services),
    userAddRoutes(services),
    userDetailRoutes(services),
    meansRoutes(services),
  )
}
