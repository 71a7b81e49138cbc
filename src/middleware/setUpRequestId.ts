import { randomUUID } from 'node:crypto'
import { Router } from 'express'

/** Every request gets an id (X-Request-Id) that goes into every log line and audit entry. */
export function setUpRequestId(): Router {
  const router = Router()
  router.use((req, res, next) => {
    const incoming = req.get('x-request-id')
    req.id = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID()
    res.setHeader('X-Request-Id', req.id)
    next()
  })
  return router
}
