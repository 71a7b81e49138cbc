import { Router } from 'express'
import { csrfSync } from 'csrf-sync'
import { formText } from '../web/forms.ts'

/** Synchroniser tokens (csrf-sync): every form carries `_csrf`; every state-changing request is checked. */
export function setUpCsrf(): Router {
  const router = Router()
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => formText(req.body, '_csrf') || undefined,
  })
  router.use(csrfSynchronisedProtection)
  router.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req)
    next()
  })
  return router
}
