// Rule 7 for the Machtigingen services: everything is scoped to the actor's admin organisations, and
// the list's filter (shared by the list and bulk renewal) as SQL conditions on alias m.
import { Prisma } from '../../generated/prisma/client.ts'
import type { MandateStatus } from '../../generated/prisma/client.ts'
import { NotFoundError } from '../../errors.ts'
import { toDbLevel } from '../../domain/levels.ts'
import { LIVE_MANDATE_STATUSES, MANDATE_STATUSES } from '../../domain/statuses.ts'
import type { AdminOrganisation, Principal } from '../../shared/principal.ts'
import { userMatches } from '../../shared/userSearch.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { inOrganisationSet } from '../../shared/organisationSet.ts'
import type { ListFilter } from './model.ts'

/** The admin organisation, or 404 (rule 7). */
export function adminOrganisation(principal: Principal, organisationId: string): AdminOrganisation {
  const org = principal.adminOrganisations.find((o) => o.id === organisationId)
  if (!org) throw new NotFoundError()
  return org
}

/** The principal of a state-changing call; without one, nothing exists (404). */
export function actingPrincipal(actor: { principal: Principal | null }): Principal {
  if (!actor.principal) throw new NotFoundError()
  return actor.principal
}

function orgIds(principal: Principal, filter?: ListFilter): string[] {
  const ids = adminOrganisationIds(principal)
  if (filter?.organisationId) return ids.filter((id) => id === filter.organisationId)
  return ids
}

/** The statuses a list filter shows: the one chosen, all ("Toon ook inactieve"), or active and pending. */
export function statusesOf(filter: ListFilter): MandateStatus[] {
  return filter.status ? [filter.status] : filter.inactive ? [...MANDATE_STATUSES] : [...LIVE_MANDATE_STATUSES]
}

/**
 * The users matching a name or e-mail search, among the users with a mandate in these organisations,
 * as a uuid[] expression (at most 500). PostgreSQL runs it once a statement (an InitPlan), so the
 * search costs no extra round trip. Whether a user has such a mandate is read from the user's own
 * mandates against a hashed set of the organisations (inOrganisationSet).
 */
function matchingUsers(orgIds: string[], query: string, commonTrigrams?: ReadonlySet<string>): Prisma.Sql {
  return Prisma.sql`array(
    select u.id from users u
    where ${userMatches(query, commonTrigrams)}
      and exists (select 1 from mandates um where um.user_id = u.id and ${inOrganisationSet('um.organisation_id', orgIds)})
    limit 500)`
}

/**
 * Conditions shared by the list and bulk renewal ("all matching the filter"), on alias m.
 * `scopeIndexed: false` writes the scope ("Dienst") as an expression no index matches: the list's
 * scans per organisation must read their organisation's index, not walk the service's mandates of
 * every organisation (mandates_by_scope_idx, which the list's walk over all organisations reads).
 * `commonTrigrams`: what the user search may leave out of its index conditions (userMatches).
 */
export function filterConditions(
  principal: Principal,
  filter: ListFilter,
  { scopeIndexed = true, commonTrigrams }: { scopeIndexed?: boolean; commonTrigrams?: ReadonlySet<string> } = {},
): FilterConditions | null {
  const ids = orgIds(principal, filter)
  if (ids.length === 0) return null
  const statuses = statusesOf(filter)
  const others: Prisma.Sql[] = [Prisma.sql`m.kind = 'use'`]
  if (filter.level) others.push(Prisma.sql`m.level = ${toDbLevel(filter.level)}::"Level"`)
  if (filter.scope) others.push(scopeIndexed ? Prisma.sql`m.scope_key = ${filter.scope}` : Prisma.sql`(m.scope_key || '') = ${filter.scope}`)
  const users = filter.user && filter.user.trim() ? matchingUsers(ids, filter.user, commonTrigrams) : null
  const conditions = users ? [...others, Prisma.sql`m.user_id = any(${users})`] : others
  return { orgIds: ids, statuses, conditions, users, others }
}

export type FilterConditions = {
  orgIds: string[]
  statuses: MandateStatus[]
  /** Every condition of the filter but its statuses and organisations, on alias m. */
  conditions: Prisma.Sql[]
  /** With a user search ("naam of e-mailadres"): the matching users, a uuid[] expression. */
  users: Prisma.Sql | null
  /** The conditions without the user search's (for a query that starts from `users`). */
  others: Prisma.Sql[]
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false
  // P2002 from a model call; a raw statement (the set-based grant insert) reports PostgreSQL's 23505.
  return error.code === 'P2002' || (error.code === 'P2010' && /23505|unique/i.test(JSON.stringify(error.meta ?? {}) + error.message))
}
