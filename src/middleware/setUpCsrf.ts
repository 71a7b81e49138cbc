import { Router } from 'express'
import { csrfSync } from 'csrf-sync'
import { formText } from '../web/forms.ts'
import { isApiPath } from '../paths.ts'

/** Synchroniser tokens (csrf-sync): every form carries `_csrf`; every state-changing request is checked. */
export function setUpCsrf(): Router {
  const router = Router()
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => formText(req.body, '_csrf') || undefined,
  })
  // The API, SCIM and the token endpoint authenticate every request with a bearer token, never a cookie.
  router.use((req, res, next) => (isApiPath(req.path) ? next() : csrfSynchronisedProtection(req, res, next)))
  router.use((req, res, next) => {
    if (!isApiPath(req.path)) res.locals.csrfToken = generateToken(req)
    next()
  })
  return router
}
