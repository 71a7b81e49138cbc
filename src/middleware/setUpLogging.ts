import { Router } from 'express'
import { pinoHttp } from 'pino-http'
import type { Logger } from 'pino'
import { LOG_REDACT_PATHS, redactUrl } from '../web/redact.ts'

export function setUpLogging(logger: Logger): Router {
  const router = Router()
  router.use(
    pinoHttp({
      // No secret in a log line (#20): the request is logged as id, method and its path with any
      // token replaced (src/web/redact.ts); the response as its status only (pino-http's default
      // would log every response header, Set-Cookie with the session id among them).
      logger: logger.child({}, { redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }),
      genReqId: (req) => req.id,
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') || req.url === '/health' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  )
  return router
}
