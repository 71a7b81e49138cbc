import { Router } from 'express'
import { pinoHttp } from 'pino-http'
import pino, { type Logger } from 'pino'
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
      // 503 is the database being away (src/db/unavailable.ts): a warning without a stack, one line.
      customLogLevel: (_req, res, error) => (res.statusCode === 503 ? 'warn' : error || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') || req.url === '/health' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: (error: Error) => (/status code 503$/.test(error?.message ?? '') ? { message: error.message } : pino.stdSerializers.err(error)),
      },
    }),
  )
  return router
}
