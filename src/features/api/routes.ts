// The JSON API: /oauth/token, and /api/v1 behind a bearer token (src/web/apiAuth.ts). No session,
// no CSRF (src/middleware/setUpCsrf.ts skips these paths), no CORS; errors are problem documents.
import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { API_ROOT, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { bearerAuth } from '../../web/apiAuth.ts'
import { combineRouters } from '../../web/routers.ts'
import { auditApiRoutes } from './auditRoutes.ts'
import { batchApiRoutes } from './batchRoutes.ts'
import { linkRequestApiRoutes } from './linkRequestRoutes.ts'
import { meansApiRoutes } from './meansRoutes.ts'
import { authorisationApiRoutes } from './authorisationRoutes.ts'
import { mandateApiRoutes } from './mandateRoutes.ts'
import { openApiDocument } from './openapi.ts'
import { renderReference } from './reference.ts'
import { tokenRoutes } from './tokenRoutes.ts'
import { userApiRoutes } from './userRoutes.ts'

export function apiRoutes(services: Services): Router {
  const router = Router()
  router.get(paths.api.openapi, allow('anonymous'), (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(openApiDocument())
  })
  router.get(paths.beheer.apiReference, allow('admin'), renderReference)
  router.use(tokenRoutes(services))
  router.use(API_ROOT, bearerAuth(services.apiTokens, services.rateLimits))
  router.use(
    combineRouters(
      userApiRoutes(services),
      batchApiRoutes(services),
      meansApiRoutes(services),
      linkRequestApiRoutes(services),
      mandateApiRoutes(services),
      auditApiRoutes(services),
      authorisationApiRoutes(services),
    ),
  )
  return router
}
