// The logged-in person of a request, for handlers behind `allow('user' | 'admin' | 'backoffice')`.
import type { Request } from 'express'
import { AppError } from '../errors.ts'
import type { Principal } from '../shared/principal.ts'

/**
 * The request's principal. Only for routes whose `allow(...)` admits no anonymous visitor: there the
 * access handler has already sent everyone else to the login page, so a missing principal is a bug.
 */
export function principal(req: Request): Principal {
  if (!req.user) throw new AppError('principal(req) on a route that admits anonymous visitors', 500)
  return req.user
}
