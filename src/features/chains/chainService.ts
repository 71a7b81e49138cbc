// Ketenmachtigingen on the client's side (rule 20): give one to an intermediary by KvK number, list
// them, revoke (every assignment under it ends at once) and renew (the assignments follow). Each
// change: one transaction, audited on both organisations' Logboek, with its mails.
import { Prisma } from '../../generated/prisma/client.ts'
import type { Level, MandateScope, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertChainLevel, assertLevelCoversService, assertNotOwnChain, assertWithinAdminLevel } from '../../domain/rules.ts'
import { addYearsClamped, isTerm, latestEnd, renewalBase } from '../../domain/terms.ts'
import { adminOrganisationIds, assertAdministers } from '../../policy/access.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAuditForEach, recordAuditPerSubject, subjectEntry } from '../../shared/audit.ts'
import { queueMails, type QueuedMail } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import { activeAdmins, chainScopeData, isUniqueViolation, principalOf } from './common.ts'

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

const CHAIN_VIEW = {
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
  constructor(private readonly db: PrismaClient) {}

  /** The ketenmachtigingen the admin's organisations gave (live first, then ended ones). */
  async given(principal: Principal) {
    const rows = await this.db.chainMandate.findMany({
      where: { organisationId: { in: adminOrganisationIds(principal) } },
      select: { ...CHAIN_VIEW, serviceId: true, providerId: true },
      orderBy: [{ status: 'asc' }, { validUntil: 'asc' }],
      take: 500,
    })
    const names = await this.catalogueNames()
    return rows.map((r) => ({ ...r, scopeLabel: chainScopeData(r, names) }))
  }

  /** Providers and services to choose a scope from. */
  async catalogue() {
    const [providers, services] = await Promise.all([
      this.db.serviceProvider.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
      this.db.service.findMany({ select: { id: true, name: true, requiredLevel: true, provider: { select: { name: true } } }, orderBy: { name: 'asc' } }),
    ])
    return { providers, services }
  }

  async catalogueNames() {
    const { providers, services } = await this.catalogue()
    return { providers: new Map(providers.map((p) => [p.id, p.name])), services: new Map(services.map((s) => [s.id, s.name])) }
  }

  /** Gives a ketenmachtiging: checked (rule 20, rule 2, rule 5), active at once, with its mails. */
  async give(actor: Actor, input: GiveInput, now = new Date()) {
    const principal = principalOf(actor)
    assertAdministers(principal, input.organisationId)
    const client = principal.adminOrganisations.find((o) => o.id === input.organisationId)!
    assertNotOwnChain(client.kvkNumber, input.kvkNumber, { field: 'kvkNumber' })
    assertChainLevel(input.level, { field: 'level' })
    assertWithinAdminLevel(client.level, input.level, { field: 'level' })
    if (!isTerm(input.termYears)) throw new RuleViolation('chains:errors.term', 'termYears')
    const target = await this.scopeTarget(input)
    const today = todayUtc(now)
    const validUntil = addYearsClamped(today, input.termYears)
    try {
      return await this.db.$transaction(async (tx) => {
        const intermediary = await this.intermediary(tx, input)
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
  private async scopeTarget(input: GiveInput) {
    if (input.scope === 'all') return { serviceId: null, providerId: null, serviceName: undefined, providerName: undefined }
    if (input.scope === 'provider') {
      const provider = input.providerId ? await this.db.serviceProvider.findUnique({ where: { id: input.providerId }, select: { id: true, name: true } }) : null
      if (!provider) throw new RuleViolation('chains:errors.providerRequired', 'providerId')
      return { serviceId: null, providerId: provider.id, serviceName: undefined, providerName: provider.name }
    }
    const service = input.serviceId
      ? await this.db.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, requiredLevel: true } })
      : null
    if (!service) throw new RuleViolation('chains:errors.serviceRequired', 'serviceId')
    assertLevelCoversService({ requiredLevel: service.requiredLevel, serviceName: service.name }, input.level, { field: 'level' })
    return { serviceId: service.id, providerId: null, serviceName: service.name, providerName: undefined }
  }

  /**
   * The intermediary by KvK number: the organisation known here, or (when it is not a customer) a new
   * organisation row with the number and the name typed, as the Handelsregister port is not there yet.
   */
  private async intermediary(tx: Tx, input: GiveInput) {
    const known = await tx.organisation.findUnique({ where: { kvkNumber: input.kvkNumber }, select: { id: true, name: true, kvkNumber: true } })
    if (known) return known
    const name = input.intermediaryName.trim()
    if (!name) throw new RuleViolation('chains:errors.nameNeeded', 'intermediaryName')
    return tx.organisation.create({ data: { kvkNumber: input.kvkNumber, name }, select: { id: true, name: true, kvkNumber: true } })
  }

  /** Revokes a ketenmachtiging (rule 9: at once); every live assignment under it ends with it. */
  async revoke(actor: Actor, id: string, now = new Date()) {
    const principal = principalOf(actor)
    return this.db.$transaction(async (tx) => {
      const chain = await lockGiven(tx, principal, id)
      if (chain.status === 'revoked') throw new RuleViolation('chains:errors.alreadyRevoked')
      await tx.chainMandate.update({ where: { id }, data: { status: 'revoked', revokedAt: now } })
      const ended = await tx.$queryRaw<{ id: string; user_id: string }[]>`
        update chain_assignments set status = 'revoked', revoked_at = ${now}, updated_at = now()
        where chain_mandate_id = ${id}::uuid and status in ('active', 'pending', 'suspended') returning id::text, user_id::text`
      const after = { status: 'revoked', revokedAt: now, assignmentsEnded: ended.length }
      const sides = [chain.organisation_id, chain.intermediary_organisation_id]
      await recordAuditForEach(tx, actor, sides, subjectEntry('chain.revoked', 'chain_mandate', { id }, { before: { status: chain.status }, after }))
      const endedAt = { action: 'chain-assignment.revoked', subjectType: 'chain_assignment', organisationId: chain.intermediary_organisation_id } as const
      await recordAuditPerSubject(tx, actor, endedAt, ended, () => ({ after: { status: 'revoked', because: 'chain.revoked' } }))
      await this.mailBothSides(tx, chain, 'chain-revoked', { revokedAt: isoDate(now) })
      return { id, ended: ended.length }
    })
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
      await tx.chainMandate.update({ where: { id }, data: { status: 'active', validFrom, validUntil } })
      const followed = await tx.$executeRaw`
        update chain_assignments set valid_until = ${validUntil}::date, status = 'active', updated_at = now()
        where chain_mandate_id = ${id}::uuid and (status = 'active' or (status = 'expired' and valid_until = ${chain.valid_until}::date))`
      const after = { status: 'active', validUntil, assignmentsFollowed: followed }
      const before = { status: chain.status, validUntil: chain.valid_until }
      const sides = [chain.organisation_id, chain.intermediary_organisation_id]
      await recordAuditForEach(tx, actor, sides, subjectEntry('chain.renewed', 'chain_mandate', { id }, { before, after }))
      await this.mailBothSides(tx, chain, 'chain-renewed', { validUntil: isoDate(validUntil) })
      return { id, validUntil }
    })
  }

  private async mailBothSides(tx: Tx, chain: LockedChain, template: 'chain-revoked' | 'chain-renewed', extra: Record<string, unknown>) {
    const [client, intermediary] = await Promise.all([
      tx.organisation.findUniqueOrThrow({ where: { id: chain.organisation_id }, select: { name: true } }),
      tx.organisation.findUniqueOrThrow({ where: { id: chain.intermediary_organisation_id }, select: { name: true } }),
    ])
    const admins = [...(await activeAdmins(tx, chain.organisation_id)), ...(await activeAdmins(tx, chain.intermediary_organisation_id))]
    const stamp = String(extra.revokedAt ?? extra.validUntil)
    await queueMails(
      tx,
      admins.map((a) => ({
        idempotencyKey: `${template}:${chain.id}:${stamp}:${a.id}`,
        to: a.email,
        template,
        locale: a.locale,
        data: { name: personName(a), clientName: client.name, intermediaryName: intermediary.name, ...extra },
      })),
    )
  }
}

type LockedChain = {
  id: string
  organisation_id: string
  intermediary_organisation_id: string
  status: string
  level: string
  valid_from: Date
  valid_until: Date
}

/** Locks a ketenmachtiging one of the admin's organisations gave; anything else is 404 (rule 7). */
async function lockGiven(tx: Tx, principal: Principal, id: string): Promise<LockedChain> {
  const rows = await tx.$queryRaw<LockedChain[]>(Prisma.sql`
    select id::text, organisation_id::text, intermediary_organisation_id::text, status::text, level::text as level, valid_from, valid_until
    from chain_mandates where id = ${id}::uuid and organisation_id = any(${adminOrganisationIds(principal)}::uuid[]) for update`)
  if (!rows[0]) throw new NotFoundError()
  return { ...rows[0], level: fromDbLevel(rows[0].level) }
}
