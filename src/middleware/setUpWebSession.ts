import connectPgSimple from 'connect-pg-simple'
import session from 'express-session'
import { Router } from 'express'
import type pg from 'pg'

export const SESSION_COOKIE = 'bm.sid'
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000
export const ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60 * 1000

/**
 * Sessions in PostgreSQL (several instances share them). The cookie's max age rolls with every
 * request: 15 minutes idle ends the session; 8 hours after login it ends whatever happens.
 */
export function setUpWebSession(options: { pool: pg.Pool; secret: string; secureCookies: boolean }): Router {
  const router = Router()
  const PgStore = connectPgSimple(session)
  router.use(
    session({
      name: SESSION_COOKIE,
      store: new PgStore({ pool: options.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
      secret: options.secret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: IDLE_TIMEOUT_MS, path: '/' },
    }),
  )
  // express-session sends a redirect's headers before its save has finished ("split response"), so a
  // fast browser could follow the redirect and read the session as it was before (a wizard step lost).
  // Save first, then redirect.
  router.use((req, res, next) => {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
    res.redirect = ((...args: unknown[]) => {
      const s = req.session as (typeof req.session & Record<string, unknown>) | undefined
      if (!s || Object.keys(s).every((key) => key === 'cookie')) return redirect(...args)
      s.save((error) => (error ? next(error) : redirect(...args)))
    }) as typeof res.redirect
    next()
  })
  router.use((req, res, next) => {
    const createdAt = req.session.createdAt
    if (createdAt && Date.now() - createdAt > ABSOLUTE_TIMEOUT_MS) {
      return req.session.destroy(() => {
        res.clearCookie(SESSION_COOKIE)
        res.redirect(303, '/inloggen?verlopen=1')
      })
    }
    next()
  })
  return router
}
