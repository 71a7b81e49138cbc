// Who may use a route, and which organisations an admin may touch. The one authorisation policy:
//
// 1. Every route's first handler is `allow(...)`: `anonymous` (everyone), `user` (logged in),
//    `admin` (administers at least one organisation), `backoffice` (the supplier's back office).
//    Several may be given: `allow('admin', 'backoffice')` admits either. Not logged in on a
//    non-anonymous route → 303 to /inloggen; logged in without the role → 404 (rule 7: pages of a
//    role one does not have do not exist for one). The route matrix test
//    (tests/security/routeMatrix.test.ts) reads these declarations from the router, so a new route
//    without one fails the build.
// 2. `allow('admin')` only says "administers something". Services re-check the organisation in
//    question: they scope every query in SQL with `adminOrganisationIds(principal)`
//    (`where: { organisationId: { in: ids } }`) and call `assertAdministers(principal, id)` before
//    touching one organisation; anything outside → NotFoundError (404), never 403, never data.
// 3. Path parameters go through `parseParams(schema, req.params)` (src/policy/params.ts): a
//    malformed id is a 404 as well.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { NotFoundError } from '../errors.ts'
import type { AdminOrganisation, Principal } from '../shared/principal.ts'
import { paths } from '../paths.ts'

export type Access = 'anonymous' | 'user' | 'admin' | 'backoffice'

/** A route's first handler; `access` lists the roles it admits (read by the route matrix test). */
export type AccessHandler = RequestHandler & { access: readonly Access[] }

export function isAdmin(req: Request): boolean {
  return (req.user?.adminOrganisations.length ?? 0) > 0
}

export function isBackoffice(principal: Principal | null | undefined): boolean {
  return principal?.role === 'backoffice'
}

/** Does this principal (null: anonymous) pass this declaration? The same rule the route matrix expects. */
export function admits(access: readonly Access[], principal: Principal | null | undefined): boolean {
  return access.some((a) => {
    if (a === 'anonymous') return true
    if (!principal) return false
    if (a === 'user') return true
    if (a === 'admin') return principal.adminOrganisations.length > 0
    return principal.role === 'backoffice'
  })
}

function loginRedirect(req: Request, res: Response) {
  if (req.method === 'GET') req.session.returnTo = req.originalUrl
  res.redirect(303, paths.login)
}

export function allow(...access: [Access, ...Access[]]): AccessHandler {
  const handler = ((req: Request, res: Response, next: NextFunction) => {
    if (admits(access, req.user)) return next()
    if (!req.user) return loginRedirect(req, res)
    return next(new NotFoundError())
  }) as AccessHandler
  handler.access = Object.freeze([...access])
  return handler
}

const NO_ORGANISATIONS = Object.freeze([]) as readonly string[] as string[]
/** One frozen array per principal: principals are kept in memory between requests (principalCache.ts). */
const adminIdsOf = new WeakMap<Principal, string[]>()

/**
 * The ids of the organisations this principal administers today: put them in the SQL `where`. The
 * same frozen array on every call for one principal, so the page reads send it in the form they made
 * of it before (src/db/pageReads.ts): an accountant's 500 ids cost that once, not on every query.
 * Typed mutable for Prisma's `in` (which only reads it); frozen, so a change throws.
 */
export function adminOrganisationIds(principal: Principal | null | undefined): string[] {
  if (!principal) return NO_ORGANISATIONS
  let ids = adminIdsOf.get(principal)
  if (!ids) {
    ids = Object.freeze(principal.adminOrganisations.map((o) => o.id)) as string[]
    adminIdsOf.set(principal, ids)
  }
  return ids
}

const adminByIdOf = new WeakMap<Principal, ReadonlyMap<string, AdminOrganisation>>()

/** The organisations this principal administers by id (names, KvK numbers, his level), one map per principal. */
export function adminOrganisationsById(principal: Principal): ReadonlyMap<string, AdminOrganisation> {
  let byId = adminByIdOf.get(principal)
  if (!byId) {
    byId = new Map(principal.adminOrganisations.map((o) => [o.id, o]))
    adminByIdOf.set(principal, byId)
  }
  return byId
}

/** Throws NotFoundError unless the principal administers this organisation (rule 7). */
export function assertAdministers(principal: Principal | null | undefined, organisationId: string | null | undefined): void {
  if (!organisationId || !adminOrganisationIds(principal).includes(organisationId)) throw new NotFoundError()
}

/** The organisation this principal administers (rule 7), else NotFoundError. */
export function administeredOrganisation(principal: Principal, organisationId: string): Principal['adminOrganisations'][number] {
  assertAdministers(principal, organisationId)
  return principal.adminOrganisations.find((o) => o.id === organisationId)!
}

/**
 * The organisation scope of a list: `undefined` for the back office (everything), else the admin's
 * ids. Use as `where: scopeWhere(principal)` → `{ organisationId: { in: ids } }` or `{}`.
 */
export function organisationScope(principal: Principal | null | undefined, options: { backofficeSeesAll: boolean }): string[] | undefined {
  if (options.backofficeSeesAll && isBackoffice(principal)) return undefined
  return adminOrganisationIds(principal)
}
