// The rules of domain.md, each written once as a function. Features call these; none re-states a
// rule. Where a rule must also run inside SQL (set-based bulk changes), its SQL form sits right
// beside the TypeScript one, and tests/domain/rules.test.ts checks that the two agree for every
// level. The database's own triggers (prisma/migrations/*_rules) are the last line of defence.
import { Prisma } from '../generated/prisma/client.ts'
import type { Authority, Level } from '../generated/prisma/client.ts'
import { RuleViolation } from '../errors.ts'
import { highestLevel, levelAtLeast, toDbLevel } from './levels.ts'

/** Where a refusal is shown: its message key and the form field it belongs to. */
export type RefusalMessage = { key?: string; field?: string }

// ---------------------------------------------------------------------------------------------
// Rule 1: a mandate's level is at most the level of the holder's active means.

export function meansCoversLevel(activeMeansLevels: Iterable<Level>, level: Level): boolean {
  const best = highestLevel(activeMeansLevels)
  return best !== null && levelAtLeast(best, level)
}

export function assertMeansCoversLevel(activeMeansLevels: Iterable<Level>, level: Level, message: RefusalMessage = {}): void {
  const levels = [...activeMeansLevels]
  if (meansCoversLevel(levels, level)) return
  const best = highestLevel(levels)
  throw new RuleViolation(message.key ?? 'mandates:errors.meansLevel', message.field, { level: best ? toDbLevel(best) : '-' })
}

/** Rule 1 in SQL: true when user `userId` holds an active means at or above `level` (both SQL expressions). */
export function sqlMeansCoversLevel(userId: Prisma.Sql, level: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`exists (select 1 from means mm where mm.user_id = ${userId} and mm.status = 'active' and mm.level >= ${level})`
}

/**
 * Rule 1 when a means ends (rules 17, 1): the same test as text, for the set-based statements built
 * as strings (src/shared/workflows/meansEnded.ts). `userId` and `level` are SQL expressions.
 */
export function sqlTextMeansCoversLevel(userId: string, level: string): string {
  return `exists (select 1 from means mm where mm.user_id = ${userId} and mm.status = 'active' and mm.level >= ${level})`
}

// ---------------------------------------------------------------------------------------------
// Rule 2: an admin grants, renews and reactivates only at or below the level of his own admin
// mandate for that organisation (and only for organisations he administers: src/policy/access.ts).

export function withinAdminLevel(adminLevel: Level, level: Level): boolean {
  return levelAtLeast(adminLevel, level)
}

export function assertWithinAdminLevel(adminLevel: Level, level: Level, message: RefusalMessage = {}): void {
  if (withinAdminLevel(adminLevel, level)) return
  throw new RuleViolation(message.key ?? 'mandates:errors.adminLevel', message.field, { level: toDbLevel(adminLevel) })
}

/** Rule 2 in SQL: true when `level` is at or below `adminLevel` (both SQL expressions of type "Level"). */
export function sqlWithinAdminLevel(adminLevel: Prisma.Sql, level: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${level} <= ${adminLevel})`
}

// ---------------------------------------------------------------------------------------------
// Rule 3: an admin mandate needs a means at the same level.

export function adminMeansFits(meansLevel: Level, adminMandateLevel: Level): boolean {
  return meansLevel === adminMandateLevel
}

// ---------------------------------------------------------------------------------------------
// Rule 5: a scope covers a service only when the mandate's level is at least the service's level.

export function levelCoversService(requiredLevel: Level | null | undefined, level: Level): boolean {
  return !requiredLevel || levelAtLeast(level, requiredLevel)
}

export function assertLevelCoversService(
  service: { requiredLevel?: Level | null; serviceName?: string | null },
  level: Level,
  message: RefusalMessage = {},
): void {
  if (levelCoversService(service.requiredLevel, level)) return
  throw new RuleViolation(message.key ?? 'mandates:errors.serviceLevel', message.field, {
    name: service.serviceName,
    level: toDbLevel(service.requiredLevel!),
  })
}

// ---------------------------------------------------------------------------------------------
// Rule 11: an application is signed by one admin, or by the legal representatives by their
// authority: sole one signature; joint all joint ones; limited at least two for EH2/EH2+, a
// majority for EH3, never for EH4.

export type Representative = { id: string; authority: Authority }

export function representativesSuffice(level: Level | null, representatives: Representative[], signedIds: Set<string>): boolean {
  const signed = (r: Representative) => signedIds.has(r.id)
  if (representatives.some((r) => r.authority === 'sole' && signed(r))) return true
  const joint = representatives.filter((r) => r.authority === 'joint')
  if (joint.length > 0 && joint.every(signed)) return true
  const limited = representatives.filter((r) => r.authority === 'limited')
  const limitedSigned = limited.filter(signed).length
  const lvl = level ?? 'EH2'
  if (lvl === 'EH4') return false
  if (lvl === 'EH3') return limited.length > 0 && limitedSigned * 2 > limited.length
  return limitedSigned >= 2
}

// ---------------------------------------------------------------------------------------------
// Rule 5 / 21: what a scope covers. A scope names one service, all services of one provider, or
// all services ('all'); a service is covered when it is that service, one of that provider's, or any.

export type ScopeRef = { scope: 'service' | 'provider' | 'all'; serviceId?: string | null; providerId?: string | null }

export function scopeCoversService(scope: ScopeRef, service: { id: string; providerId: string }): boolean {
  if (scope.scope === 'all') return true
  if (scope.scope === 'provider') return scope.providerId === service.providerId
  return scope.serviceId === service.id
}

/** Rule 20: an intermediary's assignment stays within its chain's scope (`providerOf` gives a service's provider). */
export function scopeWithin(inner: ScopeRef, outer: ScopeRef, providerOf: (serviceId: string) => string | undefined): boolean {
  if (outer.scope === 'all') return true
  if (outer.scope === 'provider') {
    if (inner.scope === 'provider') return inner.providerId === outer.providerId
    return inner.scope === 'service' && !!inner.serviceId && providerOf(inner.serviceId) === outer.providerId
  }
  return inner.scope === 'service' && inner.serviceId === outer.serviceId
}

// ---------------------------------------------------------------------------------------------
// Rule 20: a ketenmachtiging and every assignment under it are at EH3 or higher; an organisation
// cannot chain to itself.

export const CHAIN_MIN_LEVEL: Level = 'EH3'

export function chainLevelAllowed(level: Level): boolean {
  return levelAtLeast(level, CHAIN_MIN_LEVEL)
}

export function assertChainLevel(level: Level, message: RefusalMessage = {}): void {
  if (chainLevelAllowed(level)) return
  throw new RuleViolation(message.key ?? 'chains:errors.chainLevel', message.field, { level: toDbLevel(CHAIN_MIN_LEVEL) })
}

export function assertNotOwnChain(clientKvk: string, intermediaryKvk: string, message: RefusalMessage = {}): void {
  if (clientKvk !== intermediaryKvk) return
  throw new RuleViolation(message.key ?? 'chains:errors.ownNumber', message.field)
}
