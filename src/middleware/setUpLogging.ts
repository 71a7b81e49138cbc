import { Router } from 'express'
import { pinoHttp } from 'pino-http'
import type { Logger } from 'pino'

export function setUpLogging(logger: Logger): Router {
  const router = Router()
  router.use(
    pinoHttp({
      logger,
      genReqId: (req) => req.id,
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') || req.url === '/health' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    }),
  )
  return router
}
