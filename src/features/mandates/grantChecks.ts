// The checks of a grant (rules 1, 2, 4, 5, 6 and one live mandate per scope), once, for the wizard's
// single grant and the API's batch: the catalogue is loaded for all items at once, then each grant
// is checked in memory against what was loaded.
import type { Level, PrismaClient } from '../../generated/prisma/client.ts'
import { RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { assertLevelCoversService, assertMeansCoversLevel, assertWithinAdminLevel } from '../../domain/rules.ts'
import { isTerm } from '../../domain/terms.ts'
import { scopeKeyOf, type GrantInput, type ScopeItem } from './model.ts'

/** A chosen scope with its names, its required level (rule 5) and whether it refuses a branch (rule 6). */
export type DescribedScope = {
  item: ScopeItem
  key: string
  serviceName: string | null
  providerName: string | null
  requiredLevel: Level | null
  refusesBranchRestriction: boolean
}

export type Catalogue = Awaited<ReturnType<typeof loadCatalogue>>

/** The services and providers the items name, in two queries. */
export async function loadCatalogue(db: PrismaClient | Tx, items: ScopeItem[]) {
  const serviceIds = [...new Set(items.flatMap((i) => (i.scope === 'service' ? [i.serviceId] : [])))]
  const providerIds = [...new Set(items.flatMap((i) => (i.scope === 'provider' ? [i.providerId] : [])))]
  // One after the other: inside a transaction the connection runs one query at a time.
  const services = serviceIds.length
    ? await db.service.findMany({
        where: { id: { in: serviceIds } },
        select: { id: true, name: true, requiredLevel: true, refusesBranchRestriction: true, provider: { select: { name: true } } },
      })
    : []
  const providers = providerIds.length
    ? await db.serviceProvider.findMany({
        where: { id: { in: providerIds } },
        select: { id: true, name: true, services: { where: { refusesBranchRestriction: true }, select: { id: true }, take: 1 } },
      })
    : []
  return { services: new Map(services.map((s) => [s.id, s])), providers: new Map(providers.map((p) => [p.id, p])) }
}

/** One scope with its names, or a RuleViolation for an unknown service or provider (rule 5). */
export function describeScope(item: ScopeItem, catalogue: Catalogue): DescribedScope {
  if (item.scope === 'all') return { item, key: 'all', serviceName: null, providerName: null, requiredLevel: null, refusesBranchRestriction: false }
  if (item.scope === 'provider') {
    const provider = catalogue.providers.get(item.providerId)
    if (!provider) throw new RuleViolation('mandates:errors.unknownService', 'service')
    const refuses = provider.services.length > 0
    return { item, key: scopeKeyOf(item), serviceName: null, providerName: provider.name, requiredLevel: null, refusesBranchRestriction: refuses }
  }
  const service = catalogue.services.get(item.serviceId)
  if (!service) throw new RuleViolation('mandates:errors.unknownService', 'service')
  return {
    item,
    key: scopeKeyOf(item),
    serviceName: service.name,
    providerName: service.provider.name,
    requiredLevel: service.requiredLevel,
    refusesBranchRestriction: service.refusesBranchRestriction,
  }
}

export type GrantFacts = {
  /** The admin's level in the organisation (rule 2). */
  adminLevel: Level
  /** The holder's highest active means level (rule 1). */
  meansLevel: Level | null
  catalogue: Catalogue
  /** Whether input.branchId is a branch of the organisation (rule 6). */
  branchOk: boolean
  /** Whether the holder already has a live mandate for this scope key at the organisation. */
  live: (scopeKey: string) => boolean
}

/** Rules 1, 2, 4, 5, 6 and one live mandate per scope for one grant; returns its scopes or throws a RuleViolation. */
export function assertGrantable(input: GrantInput, facts: GrantFacts): DescribedScope[] {
  if (!isTerm(input.termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
  assertWithinAdminLevel(facts.adminLevel, input.level, { field: 'level' })
  assertMeansCoversLevel(facts.meansLevel ? [facts.meansLevel] : [], input.level, { field: 'level' })
  if (input.items.length === 0) throw new RuleViolation('mandates:errors.noServices', 'service')
  const scopes = input.items.map((item) => describeScope(item, facts.catalogue))
  const seen = new Set<string>()
  for (const s of scopes) {
    if (seen.has(s.key)) throw new RuleViolation('mandates:errors.duplicateItem', 'service', { name: s.serviceName ?? s.providerName ?? 'alle' })
    seen.add(s.key)
    assertLevelCoversService(s, input.level, { field: 'service' })
  }
  if (input.branchId && !facts.branchOk) throw new RuleViolation('mandates:errors.branch', 'branchId')
  const taken = scopes.find((s) => facts.live(s.key))
  if (taken) throw new RuleViolation('mandates:errors.exists', 'service', { name: taken.serviceName ?? taken.providerName ?? 'Alle diensten' })
  return scopes
}
