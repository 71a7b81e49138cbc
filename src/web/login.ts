// Logging a principal in, shared by the login form and the second-factor steps.
import { createHash } from 'node:crypto'
import type { NextFunction, Request } from 'express'
import type { Principal } from '../shared/principal.ts'
import { restoreDrafts } from './drafts.ts'

/**
 * What a session's privileges are; when it changes, the session id is renewed. A digest, not the
 * list: an accountant of 500 organisations would otherwise carry 20 kB in his session row, read,
 * parsed and hashed (express-session's change check) on every request.
 */
export function privilegeFingerprint(principal: Principal): string {
  let fingerprint = fingerprints.get(principal)
  if (fingerprint === undefined) {
    const privileges = [principal.role, ...principal.adminOrganisations.map((o) => `${o.id}:${o.level}`).sort()].join('|')
    fingerprint = createHash('sha256').update(privileges).digest('base64url')
    if (Object.isFrozen(principal)) fingerprints.set(principal, fingerprint)
  }
  return fingerprint
}
/** Once per principal kept in memory (src/features/auth/principalCache.ts freezes them; others may still change). */
const fingerprints = new WeakMap<Principal, string>()

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
