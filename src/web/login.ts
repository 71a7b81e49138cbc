// Logging a principal in, shared by the login form and the second-factor steps.
import type { NextFunction, Request } from 'express'
import type { Principal } from '../shared/principal.ts'
import { restoreDrafts } from './drafts.ts'

/** What a session's privileges are; when it changes, the session id is renewed. */
export function privilegeFingerprint(principal: Principal): string {
  return [principal.role, ...principal.adminOrganisations.map((o) => `${o.id}:${o.level}`).sort()].join('|')
}

/** Logs the principal in: new session id (no fixation), the session's start and privileges. */
export function logIn(req: Request, principal: Principal, next: NextFunction, then: () => void) {
  req.login(principal, (loginError) => {
    if (loginError) return next(loginError)
    req.session.createdAt = Date.now()
    req.session.privileges = privilegeFingerprint(principal)
    // A wizard or import left when the last session timed out comes back (src/web/drafts.ts).
    restoreDrafts(req, principal.id, then)
  })
}
