// Ketenmachtigingen on the client's side (rule 20): give one to an intermediary by KvK number, list
// them, revoke (every assignment under it ends at once) and renew (the assignments follow). Each
// change: one transaction, audited on both organisations' Logboek, with its mails.
import { Prisma } from '../../generated/prisma/client.ts'
import type { Level, MandateScope, MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { CatalogueNamesCache, namesKnow } from '../../shared/catalogueNames.ts'
import { ConflictError, NotFoundError, RuleViolation } from '../../errors.ts'
import type { Db, Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { ADMIN_LEVELS, fromDbLevel, highestLevel, toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import {
  assertChainLevel,
  assertLevelCoversService,
  assertNotOwnChain,
  assertWithinAdminLevel,
  chainLevelAllowed,
  withinAdminLevel,
} from '../../domain/rules.ts'
import { addYearsClamped, isTerm, latestEnd, renewalBase } from '../../domain/terms.ts'
import { adminOrganisationIds, assertAdministers } from '../../policy/access.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAuditForEach, subjectEntry } from '../../shared/audit.ts'
import { queueMails, type QueuedMail } from '../../shared/outbox.ts'
import { searchCatalogue } from '../../shared/catalogueSearch.ts'
import { confirmationDigest } from '../../shared/confirmation.ts'
import type { Principal } from '../../shared/principal.ts'
import { activeAdmins, chainScopeData, isUniqueViolation, mailBothSides, principalOf } from './common.ts'

type GivenRow = {
  id: string
  scope: MandateScope
  level: string
  status: MandateStatus
  valid_from: Date
  valid_until: Date
  service_id: string | null
  provider_id: string | null
  org_id: string
  org_name: string
  org_kvk: string
  int_id: string
  int_name: string
  int_kvk: string
  assignments: number
}

export type GiveInput = {
  organisationId: string
  kvkNumber: string
  intermediaryName: string
  scope: MandateScope
  providerId?: string
  serviceId?: string
  level: Level
  termYears: number
}

/** What the admin signs on the confirmation page of "Nieuwe ketenmachtiging", and its digest. */
export type GivePreview = {
  organisationId: string
  clientName: string
  clientKvk: string
  intermediaryKvk: string
  intermediaryName: string
  intermediaryKnown: boolean
  intermediaryIsCustomer: boolean
  scope: MandateScope
  serviceId: string | null
  providerId: string | null
  serviceName: string | null
  providerName: string | null
  level: Level
  termYears: number
  validFrom: string
  validUntil: string
  digest: string
}

export const CHAIN_VIEW = {
  id: true,
  scope: true,
  level: true,
  status: true,
  validFrom: true,
  validUntil: true,
  organisation: { select: { id: true, name: true, kvkNumber: true } },
  intermediary: { select: { id: true, name: true, kvkNumber: true } },
  _count: { select: { assignments: { where: { status: 'active' } } } },
} as const

export class ChainService {
  /** The catalogue's names, kept in memory (src/shared/catalogueNames.ts). */
  private readonly names: CatalogueNamesCache

  constructor(
    private readonly db: PrismaClient,
    /** For the list every visit of Ketenmachtigingen reads (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {
    this.names = new CatalogueNamesCache(pageReads)
  }

  /** The levels the give form offers: a ketenmachtiging's (EH3 or higher) that this admin may give (rule 2: at most his own). */
  offeredLevels(principal: Principal): Level[] {
    const own = highestLevel(principal.adminOrganisations.map((o) => o.level))
    return ADMIN_LEVELS.filter((level) => chainLevelAllowed(level) && own !== null && withinAdminLevel(own, level))
  }

  /** The ketenmachtigingen the admin's organisations gave (live first, then ended ones). */
  async given(principal: Principal) {
    // Through the page reads with the organisations as one array (Prisma sent an accountant's 500 ids
    // as 500 parameters), in the shape of CHAIN_VIEW; names from the catalogue in memory.
    const rows = await this.pageReads.rows<GivenRow>(Prisma.sql`
        select c.id, c.scope::text as scope, c.level::text as level, c.status::text as status, c.valid_from, c.valid_until,
               c.service_id, c.provider_id, o.id as org_id, o.name as org_name, o.kvk_number as org_kvk,
               i.id as int_id, i.name as int_name, i.kvk_number as int_kvk,
               (select count(*)::int from chain_assignments a where a.chain_mandate_id = c.id and a.status = 'active') as assignments
        from chain_mandates c
        join organisations o on o.id = c.organisation_id
        join organisations i on i.id = c.intermediary_organisation_id
        where c.organisation_id = any(${adminOrganisationIds(principal)}::uuid[])
        order by c.status, c.valid_until, c.id
        limit 500`)
    // A service or provider added since the names were read makes them read again (catalogueNames.ts).
    const names = await this.names.get((known) => rows.every((r) => namesKnow(known, r.service_id, r.provider_id)))
    return rows.map((r) => ({
      id: r.id,
      scope: r.scope,
      level: fromDbLevel(r.level),
      status: r.status,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      organisation: { id: r.org_id, name: r.org_name, kvkNumber: r.org_kvk },
      intermediary: { id: r.int_id, name: r.int_name, kvkNumber: r.int_kvk },
      _count: { assignments: r.assignments },
      serviceId: r.service_id,
      providerId: r.provider_id,
      scopeLabel: chainScopeData({ scope: r.scope, serviceId: r.service_id, providerId: r.provider_id }, names),
    }))
  }

  /** The providers to choose an "all services of one provider" scope from. */
  providers() {
    return this.db.serviceProvider.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } })
  }

  /** A per-dienst scope: the machtigingen wizard's catalogue search (src/shared/catalogueSearch.ts), one page. */
  searchServices(query: string, page: number, pageSize: number) {
    return searchCatalogue(this.db, query, { page, pageSize })
  }

  /** The service chosen on the form (kept when a new search does not find it), or null. */
  async chosenService(id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null
    const s = await this.db.service.findUnique({ where: { id }, select: { id: true, name: true, requiredLevel: true, provider: { select: { name: true } } } })
    return s ? { id: s.id, name: s.name, requiredLevel: s.requiredLevel, providerName: s.provider.name } : null
  }

  /**
   * "Nieuwe ketenmachtiging" before signing: every check of `give`, nothing written. What the
   * confirmation page shows (the admin signs exactly this) and its digest.
   */
  async preview(actor: Actor, input: GiveInput, now = new Date()): Promise<GivePreview> {
    return (await this.describe(this.db, principalOf(actor), input, now)).preview
  }

  private async describe(db: Db | Tx, principal: Principal, input: GiveInput, now: Date) {
    assertAdministers(principal, input.organisationId)
    const chosen = principal.adminOrganisations.find((o) => o.id === input.organisationId)!
    assertNotOwnChain(chosen.kvkNumber, input.kvkNumber, { field: 'kvkNumber' })
    assertChainLevel(input.level, { field: 'level' })
    assertWithinAdminLevel(chosen.level, input.level, { field: 'level' })
    if (!isTerm(input.termYears)) throw new RuleViolation('chains:errors.term', 'termYears')
    const target = await this.scopeTarget(db, input)
    const today = todayUtc(now)
    const validUntil = addYearsClamped(today, input.termYears)
    const known = await db.organisation.findUnique({ where: { kvkNumber: input.kvkNumber }, select: { id: true, name: true, kvkNumber: true } })
    const name = known?.name ?? input.intermediaryName.trim()
    if (!name) throw new RuleViolation('chains:errors.nameNeeded', 'intermediaryName')
    const scopeKey = input.scope === 'all' ? 'all' : input.scope === 'provider' ? `provider:${target.providerId}` : `service:${target.serviceId}`
    if (known && (await db.chainMandate.count({ where: { organisationId: chosen.id, intermediaryOrganisationId: known.id, scopeKey, live: true } })))
      throw new RuleViolation('chains:errors.duplicate', 'kvkNumber')
    const client = { organisationId: chosen.id, clientName: chosen.name, clientKvk: chosen.kvkNumber }
    const intermediaryIsCustomer = known ? (await activeAdmins(db, known.id)).length > 0 : false
    const intermediary = { intermediaryKvk: input.kvkNumber, intermediaryName: name, intermediaryKnown: Boolean(known), intermediaryIsCustomer }
    const scope = { scope: input.scope, ...target, serviceName: target.serviceName ?? null, providerName: target.providerName ?? null }
    const term = { level: input.level, termYears: input.termYears, validFrom: isoDate(today), validUntil: isoDate(validUntil) }
    const shown = { ...client, ...intermediary, ...scope, ...term }
    const digest = confirmationDigest('chain-give', principal.id, [{ id: JSON.stringify(shown), version: shown.validUntil }])
    return { preview: { ...shown, digest }, client: chosen, known, target, today, validUntil }
  }

  /**
   * Gives (signs) a ketenmachtiging: checked again (rule 20, rule 2, rule 5) and bound to the
   * confirmation page it was signed on (a different digest: ConflictError, nothing written); active
   * at once, with its mails.
   */
  async give(actor: Actor, input: GiveInput, digest: string, now = new Date()) {
    const principal = principalOf(actor)
    try {
      return await this.db.$transaction(async (tx) => {
        const { preview, client, known, target, today, validUntil } = await this.describe(tx, principal, input, now)
        if (preview.digest !== digest) throw new ConflictError('chains:confirm.changed')
        const intermediary =
          known ??
          (await tx.organisation.create({
            data: { kvkNumber: input.kvkNumber, name: preview.intermediaryName },
            select: { id: true, name: true, kvkNumber: true },
          }))
        const chain = await tx.chainMandate.create({
          data: {
            organisationId: client.id,
            intermediaryOrganisationId: intermediary.id,
            scope: input.scope,
            serviceId: target.serviceId,
            providerId: target.providerId,
            level: input.level,
            validFrom: today,
            validUntil,
            grantedById: principal.id,
          },
        })
        const after = { intermediary: intermediary.kvkNumber, client: client.kvkNumber, scope: input.scope, ...target, level: input.level, validUntil }
        await recordAuditForEach(tx, actor, [client.id, intermediary.id], subjectEntry('chain.given', 'chain_mandate', chain, { after }))
        const intermediaryAdmins = await activeAdmins(tx, intermediary.id)
        const data = {
          clientName: client.name,
          clientKvk: client.kvkNumber,
          intermediaryName: intermediary.name,
          intermediaryKvk: intermediary.kvkNumber,
          scope: input.scope,
          serviceName: target.serviceName,
          providerName: target.providerName,
          level: toDbLevel(input.level),
          validUntil: isoDate(validUntil),
        }
        const clientRole = intermediaryAdmins.length ? 'client' : 'facts'
        const mails: QueuedMail[] = [
          ...(await activeAdmins(tx, client.id)).map((a) => ({
            idempotencyKey: `chain-given:${chain.id}:${a.id}`,
            to: a.email,
            template: 'chain-given' as const,
            locale: a.locale,
            data: { ...data, role: clientRole, name: personName(a) },
          })),
          ...intermediaryAdmins.map((a) => ({
            idempotencyKey: `chain-given:${chain.id}:${a.id}`,
            to: a.email,
            template: 'chain-given' as const,
            locale: a.locale,
            data: { ...data, role: 'intermediary', name: personName(a) },
          })),
        ]
        await queueMails(tx, mails)
        return { id: chain.id, intermediaryName: intermediary.name, intermediaryIsCustomer: intermediaryAdmins.length > 0 }
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new RuleViolation('chains:errors.duplicate', 'kvkNumber')
      throw error
    }
  }

  /** The scope's service or provider, checked against the catalogue and the level (rule 5). */
  private async scopeTarget(db: Db | Tx, input: GiveInput) {
    if (input.scope === 'all') return { serviceId: null, providerId: null, serviceName: undefined, providerName: undefined }
    if (input.scope === 'provider') {
      const provider = input.providerId ? await db.serviceProvider.findUnique({ where: { id: input.providerId }, select: { id: true, name: true } }) : null
      if (!provider) throw new RuleViolation('chains:errors.providerRequired', 'providerId')
      return { serviceId: null, providerId: provider.id, serviceName: undefined, providerName: provider.name }
    }
    const service = input.serviceId
      ? await db.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, requiredLevel: true } })
      : null
    if (!service) throw new RuleViolation('chains:errors.serviceRequired', 'serviceId')
    assertLevelCoversService({ requiredLevel: service.requiredLevel, serviceName: service.name }, input.level, { field: 'level' })
    return { serviceId: service.id, providerId: null, serviceName: service.name, providerName: undefined }
  }

  /** Renews from the current end (or today when expired), within 5 years; live assignments follow (rule 4). */
  async renew(actor: Actor, id: string, termYears: number, now = new Date()) {
    const principal = principalOf(actor)
    const today = todayUtc(now)
    return this.db.$transaction(async (tx) => {
      const chain = await lockGiven(tx, principal, id)
      if (!isTerm(termYears)) throw new RuleViolation('chains:errors.term', 'termYears')
      if (chain.status === 'revoked') throw new RuleViolation('chains:errors.revokedNoRenew')
      const admin = principal.adminOrganisations.find((o) => o.id === chain.organisation_id)!
      assertWithinAdminLevel(admin.level, chain.level as Level)
      const validUntil = addYearsClamped(renewalBase(chain.valid_until, today), termYears)
      if (validUntil > latestEnd(today)) throw new RuleViolation('chains:errors.tooLong', 'termYears')
      const validFrom = chain.valid_until < today ? today : chain.valid_from
      // A suspended chain stays suspended (rule 18: suspension and term are separate); an expired one is active again.
      const status = chain.status === 'suspended' ? 'suspended' : 'active'
      await tx.chainMandate.update({ where: { id }, data: { status, validFrom, validUntil } })
      const followed = await tx.$executeRaw`
        update chain_assignments set valid_until = ${validUntil}::date, status = 'active', updated_at = now()
        where chain_mandate_id = ${id}::uuid and (status = 'active' or (status = 'expired' and valid_until = ${chain.valid_until}::date))`
      const after = { status, validUntil, assignmentsFollowed: followed }
      const before = { status: chain.status, validUntil: chain.valid_until }
      const sides = [chain.organisation_id, chain.intermediary_organisation_id]
      await recordAuditForEach(tx, actor, sides, subjectEntry('chain.renewed', 'chain_mandate', { id }, { before, after }))
      await mailBothSides(tx, chain, 'chain-renewed', { validUntil: isoDate(validUntil) })
      return { id, validUntil }
    })
  }
}

export type LockedChain = {
  id: string
  organisation_id: string
  intermediary_organisation_id: string
  status: string
  level: string
  valid_from: Date
  valid_until: Date
  updated_at: Date
}

/** Locks (unless `lock` is false) a ketenmachtiging one of the admin's organisations gave; anything else is 404 (rule 7). */
export async function lockGiven(tx: Tx, principal: Principal, id: string, options: { lock?: boolean } = {}): Promise<LockedChain> {
  const rows = await tx.$queryRaw<LockedChain[]>(Prisma.sql`
    select id::text, organisation_id::text, intermediary_organisation_id::text, status::text, level::text as level, valid_from, valid_until, updated_at
    from chain_mandates where id = ${id}::uuid and organisation_id = any(${adminOrganisationIds(principal)}::uuid[]) ${options.lock === false ? Prisma.empty : Prisma.sql`for update`}`)
  if (!rows[0]) throw new NotFoundError()
  return { ...rows[0], level: fromDbLevel(rows[0].level) }
}
