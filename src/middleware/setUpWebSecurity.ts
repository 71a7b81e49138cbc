import { randomBytes } from 'node:crypto'
import { Router, type Response } from 'express'
import helmet from 'helmet'

/** Helmet with a CSP nonce per request: no inline script or handler runs without it. */
export function setUpWebSecurity(options: { secureCookies: boolean }): Router {
  const router = Router()
  router.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64url')
    next()
  })
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(options.secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: options.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
    }),
  )
  return router
}
