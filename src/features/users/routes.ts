// Beheer → Gebruikers: the list and its export, "Gebruikers toevoegen" (form or CSV, preview,
// confirmation), and one user's detail page with the upgrade request. Each part is its own router.
import { Router } from 'express'
import type { Services } from '../../services.ts'
import { userAddRoutes } from './addRoutes.ts'
import { userDetailRoutes } from './detailRoutes.ts'
import { userListRoutes } from './listRoutes.ts'

export function userRoutes(services: Services): Router {
  const router = Router()
  router.use(userListRoutes(services))
  router.use(userAddRoutes(services))
  router.use(userDetailRoutes(services))
  return router
}
