import connectPgSimple from 'connect-pg-simple'
import session from 'express-session'
import { Router } from 'express'
import type pg from 'pg'

import { SESSION_COOKIE } from '../web/cookies.ts'
import { links } from '../paths.ts'

export { SESSION_COOKIE }
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000
export const ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60 * 1000
/** A session's expiry in the store is moved forward at most once a minute (see TouchThrottle). */
export const TOUCH_INTERVAL_MS = 60 * 1000

/**
 * With `rolling`, express-session asks the store to move the expiry on every request: a write and a
 * round trip for every page. This instance skips the write when it moved the same session's expiry
 * less than TOUCH_INTERVAL_MS ago, so the stored expiry lags the last request by at most a minute:
 * a session idle for 14 to 15 minutes ends (the cookie itself still rolls a full 15 minutes).
 */
export class TouchThrottle {
  private readonly touchedAt = new Map<string, number>()
  constructor(
    private readonly intervalMs = TOUCH_INTERVAL_MS,
    private readonly maxEntries = 100_000,
  ) {}

  /** True when the store must be written now; records the write. */
  due(sid: string, now = Date.now()): boolean {
    const last = this.touchedAt.get(sid)
    if (last !== undefined && now - last < this.intervalMs) return false
    this.saved(sid, now)
    return true
  }

  saved(sid: string, now = Date.now()): void {
    this.touchedAt.delete(sid) // re-inserted last: the Map stays in order of writes
    this.touchedAt.set(sid, now)
    if (this.touchedAt.size > this.maxEntries) {
      for (const [key, at] of this.touchedAt) {
        if (this.touchedAt.size <= this.maxEntries && now - at < this.intervalMs) break
        this.touchedAt.delete(key)
      }
    }
  }

  forget(sid: string): void {
    this.touchedAt.delete(sid)
  }
}

type StoreCallback = (error?: unknown) => void

/**
 * The pool as the session store sees it, with each of its few statements prepared once per connection
 * (named): sent unnamed, PostgreSQL planned the session read on every request, 0.07 ms of its 0.09 ms
 * (pg_stat_statements in `npm run bench:scale`). The names are the store's own (`session_…`), apart
 * from the statements of anything else on the pool.
 */
export function preparingPool(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>()
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (name === undefined) {
      name = `session_${names.size}`
      names.set(text, name)
    }
    return name
  }
  return { query: (text: string, values?: unknown[]) => pool.query({ name: nameOf(text), text, values }) } as unknown as pg.Pool
}

/**
 * Sessions in PostgreSQL (several instances share them). The cookie's max age rolls with every
 * request: 15 minutes idle ends the session; 8 hours after login it ends whatever happens.
 */
export function setUpWebSession(options: { pool: pg.Pool; secret: string; secureCookies: boolean }): Router {
  const router = Router()
  const PgStore = connectPgSimple(session)
  const throttle = new TouchThrottle()
  class ThrottledPgStore extends PgStore {
    override touch(sid: string, sess: session.SessionData, callback?: StoreCallback): void {
      if (!throttle.due(sid)) return callback?.()
      super.touch(sid, sess, callback)
    }
    override set(sid: string, sess: session.SessionData, callback?: StoreCallback): void {
      throttle.saved(sid)
      super.set(sid, sess, callback)
    }
    override destroy(sid: string, callback?: StoreCallback): void {
      throttle.forget(sid)
      super.destroy(sid, callback)
    }
  }
  router.use(
    session({
      name: SESSION_COOKIE,
      store: new ThrottledPgStore({ pool: preparingPool(options.pool), tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
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
    res.redirect = (...args: unknown[]) => {
      const s = req.session as (typeof req.session & Record<string, unknown>) | undefined
      if (!s || Object.keys(s).every((key) => key === 'cookie')) return redirect(...args)
      s.save((error) => (error ? next(error) : redirect(...args)))
    }
    next()
  })
  router.use((req, res, next) => {
    const createdAt = req.session.createdAt
    if (createdAt && Date.now() - createdAt > ABSOLUTE_TIMEOUT_MS) {
      return req.session.destroy(() => {
        res.clearCookie(SESSION_COOKIE)
        res.redirect(303, links.login({ verlopen: 1 }))
      })
    }
    // For the time-out warning (views/partials/session-timeout.ejs): when the session ends at the latest.
    if (createdAt) res.locals.sessionEndsAt = createdAt + ABSOLUTE_TIMEOUT_MS
    // The stored expiry may lag a request by TOUCH_INTERVAL_MS (TouchThrottle): the page counts from the earliest end.
    res.locals.idleTimeoutMs = IDLE_TIMEOUT_MS - TOUCH_INTERVAL_MS
    next()
  })
  return router
}
