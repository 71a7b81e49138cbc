// Every feature's router, in order. A new feature adds one line here.
import { Router } from 'express'
import type { Services } from '../services.ts'
import { authRoutes } from './auth/routes.ts'
import { languageRoutes } from './language/routes.ts'
import { overviewRoutes } from './overview/routes.ts'
import { userRoutes } from './users/routes.ts'
import { requestRoutes } from './requests/routes.ts'
import { selfRoutes } from './self/routes.ts'
import { applicationRoutes } from './applications/routes.ts'
import { backofficeRoutes } from './backoffice/routes.ts'
import { mailRoutes } from './mail/routes.ts'
import { renewalRoutes } from './renewal/routes.ts'
import { mandateRoutes } from './mandates/routes.ts'
import { securityRoutes } from './security/routes.ts'
import { auditRoutes } from './audit/routes.ts'
import { chainRoutes } from './chains/routes.ts'
import { activationRoutes } from './activation/routes.ts'
import { accountRoutes } from './activation/accountRoutes.ts'
import { registrationRoutes } from './registration/routes.ts'
import { backofficeCustomerRoutes } from './backoffice/customerRoutes.ts'
import { apiClientRoutes } from './apiClients/routes.ts'
import { apiRoutes } from './api/routes.ts'
import { helpRoutes } from './help/routes.ts'
import { sessionRoutes } from './session/routes.ts'
import { scimRoutes } from './scim/routes.ts'

export function featureRoutes(services: Services): Router {
  const router = Router()
  router.use(authRoutes(services))
  router.use(securityRoutes(services))
  router.use(languageRoutes({ secureCookies: services.config.cookieSecure }))
  router.use(overviewRoutes(services))
  router.use(userRoutes(services))
  router.use(requestRoutes(services))
  router.use(selfRoutes(services))
  router.use(applicationRoutes(services))
  router.use(backofficeRoutes(services))
  router.use(mailRoutes(services))
  router.use(renewalRoutes(services))
  router.use(mandateRoutes(services))
  router.use(auditRoutes(services))
  router.use(chainRoutes(services))
  router.use(activationRoutes(services))
  router.use(accountRoutes(services))
  router.use(registrationRoutes(services))
  router.use(backofficeCustomerRoutes(services))
  router.use(apiClientRoutes(services))
  router.use(apiRoutes(services))
  router.use(helpRoutes(services))
  router.use(sessionRoutes())
  router.use(scimRoutes(services))
  return router
}
