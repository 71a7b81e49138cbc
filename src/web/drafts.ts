// Work in progress that outlives a session (#18, WCAG 2.2.1): the "Nieuwe Machtigingen Aanvragen"
// wizard and a checked user import live in the session; when it times out they would be lost. So
// while a logged-in person has such a draft, a copy is kept in the session store under the person
// (sid `draft:<user id>`, as long as a session may last at most), and logging in again puts it
// back into the new session. A finished or abandoned draft (its keys gone) removes the copy.
import { createHash } from 'node:crypto'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { SessionData, Store } from 'express-session'

/** The session keys that hold a draft. */
export const DRAFT_KEYS = ['mandateWizard', 'userImport'] as const
/** As long as a session may last (ABSOLUTE_TIMEOUT_MS in src/middleware/setUpWebSession.ts). */
export const DRAFT_TTL_MS = 8 * 60 * 60 * 1000

type Drafts = Partial<Pick<SessionData, (typeof DRAFT_KEYS)[number]>>
type StoredDrafts = SessionData & { drafts?: Drafts }

export const draftSid = (userId: string) => `draft:${userId}`

function draftsOf(session: Partial<SessionData>): Drafts | null {
  const drafts: Record<string, unknown> = {}
  for (const key of DRAFT_KEYS) if (session[key] !== undefined) drafts[key] = session[key]
  return Object.keys(drafts).length ? drafts : null
}

/**
 * After authentication: writes the person's drafts to the store when they changed (one write per
 * change). What was written last is remembered in this process only, never in the session itself:
 * saving the session after the response could overwrite the next request's changes.
 */
export function keepDrafts(): RequestHandler {
  const lastHash = new Map<string, string>()
  return (req: Request, res: Response, next: NextFunction) => {
    const store = req.sessionStore as Store | undefined
    const userId = req.user?.id
    if (!store || !userId || !req.session) return next()
    res.on('finish', () => {
      // Logging out destroys the session before the response ends: then there is nothing to keep.
      const session = req.session as Partial<SessionData> | undefined
      if (!session) return
      const drafts = draftsOf(session)
      if (!drafts) {
        if (lastHash.delete(userId)) store.destroy(draftSid(userId), () => {})
        return
      }
      const hash = createHash('sha256').update(JSON.stringify(drafts)).digest('base64url')
      if (hash === lastHash.get(userId)) return
      // The store keeps what express-session would: a cookie record (its expiry) beside the data.
      const cookie = { expires: new Date(Date.now() + DRAFT_TTL_MS), originalMaxAge: DRAFT_TTL_MS } as StoredDrafts['cookie']
      const stored: StoredDrafts = { cookie, drafts }
      store.set(draftSid(userId), stored, () => {})
      lastHash.delete(userId)
      lastHash.set(userId, hash)
      if (lastHash.size > 10_000) lastHash.delete(lastHash.keys().next().value!)
    })
    next()
  }
}

/** Right after logging in: the person's kept drafts back into the (new) session. */
export function restoreDrafts(req: Request, userId: string, then: () => void): void {
  const store = req.sessionStore as Store | undefined
  if (!store) return then()
  store.get(draftSid(userId), (error, stored) => {
    const drafts = !error && stored ? (stored as StoredDrafts).drafts : undefined
    if (drafts) Object.assign(req.session, drafts)
    then()
  })
}
