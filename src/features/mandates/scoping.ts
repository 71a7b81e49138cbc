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
 * Mandates of the users matching a name or e-mail search (among the users with a mandate in these
 * organisations), as a condition on alias m. The users are found inside the same statement (an
 * InitPlan PostgreSQL runs once), so the search costs no extra round trip.
 */
function userCondition(orgIds: string[], query: string, commonTrigrams?: ReadonlySet<string>): Prisma.Sql {
  return Prisma.sql`m.user_id = any(array(
    select u.id from users u
    where ${userMatches(query, commonTrigrams)}
      and exists (select 1 from mandates um where um.user_id = u.id and um.organisation_id = any(${orgIds}::uuid[]))
    limit 500))`
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
): { orgIds: string[]; statuses: MandateStatus[]; conditions: Prisma.Sql[] } | null {
  const ids = orgIds(principal, filter)
  if (ids.length === 0) return null
  const statuses = statusesOf(filter)
  const conditions: Prisma.Sql[] = [Prisma.sql`m.kind = 'use'`]
  if (filter.level) conditions.push(Prisma.sql`m.level = ${toDbLevel(filter.level)}::"Level"`)
  if (filter.scope) conditions.push(scopeIndexed ? Prisma.sql`m.scope_key = ${filter.scope}` : Prisma.sql`(m.scope_key || '') = ${filter.scope}`)
  if (filter.user && filter.user.trim()) conditions.push(userCondition(ids, filter.user, commonTrigrams))
  return { orgIds: ids, statuses, conditions }
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false
  // P2002 from a model call; a raw statement (the set-based grant insert) reports PostgreSQL's 23505.
  return error.code === 'P2002' || (error.code === 'P2010' && /23505|unique/i.test(JSON.stringify(error.meta ?? {}) + error.message))
}
