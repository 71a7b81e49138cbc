// Every feature's router, in order. A new feature adds one line here.
import { Router } from 'express'
import type { Services } from '../services.ts'
import { authRoutes } from './auth/routes.ts'
import { languageRoutes } from './language/routes.ts'
import { overviewRoutes } from './overview/routes.ts'
import { securityRoutes } from './security/routes.ts'
import { auditRoutes } from './audit/routes.ts'

export function featureRoutes(services: Services): Router {
  const router = Router()
  router.use(authRoutes(services))
  router.use(securityRoutes(services))
  router.use(languageRoutes({ secureCookies: services.config.cookieSecure }))
  router.use(overviewRoutes(services))
  router.use(auditRoutes(services))
  return router
}
