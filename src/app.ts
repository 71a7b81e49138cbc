// The middleware order, top to bottom; nothing else. `createApp` never listens (see server.ts).
import express from 'express'
import { errorHandler } from './errorHandler.ts'
import { NotFoundError } from './errors.ts'
import { featureRoutes } from './features/index.ts'
import { healthRoutes } from './features/health/routes.ts'
import { setUpAuthentication } from './middleware/setUpAuthentication.ts'
import { setUpCsrf } from './middleware/setUpCsrf.ts'
import { setUpFlash } from './middleware/setUpFlash.ts'
import { setUpI18n } from './middleware/setUpI18n.ts'
import { setUpLogging } from './middleware/setUpLogging.ts'
import { setUpRequestId } from './middleware/setUpRequestId.ts'
import { setUpRequestParsing } from './middleware/setUpRequestParsing.ts'
import { setUpStaticResources } from './middleware/setUpStaticResources.ts'
import { setUpWebSecurity } from './middleware/setUpWebSecurity.ts'
import { setUpWebSession } from './middleware/setUpWebSession.ts'
import type { Services } from './services.ts'
import { setUpViews } from './web/views.ts'
import { keepDrafts } from './web/drafts.ts'

export function createApp(services: Services): express.Express {
  const { config } = services
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxyHops)
  app.set('query parser', 'simple')
  // Pages are sent with Cache-Control: no-store; an ETag would only cost a hash of every page body.
  app.set('etag', false)
  setUpViews(app, { brandName: config.brandName, production: config.production })

  app.use(setUpRequestId())
  app.use(setUpLogging(services.logger))
  app.use(setUpWebSecurity({ secureCookies: config.cookieSecure }))
  app.use(healthRoutes(services))
  app.use(setUpStaticResources())
  app.use(setUpI18n())
  app.use(setUpWebSession({ pool: services.pool, secret: config.sessionSecret, secureCookies: config.cookieSecure }))
  app.use(setUpRequestParsing())
  app.use(setUpAuthentication(services.authService))
  app.use(keepDrafts())
  app.use(setUpCsrf())
  app.use(setUpFlash())
  app.use(featureRoutes(services))
  app.use((_req, _res, next) => next(new NotFoundError()))
  app.use(errorHandler(services.logger, config.production))
  return app
}
