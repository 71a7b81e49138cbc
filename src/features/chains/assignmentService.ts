// Ketenmachtigingen on the intermediary's side (rule 20): "Klanten" (the clients that authorised
// one of the admin's organisations) and "Medewerkers machtigen": assign an own employee to act for a
// client within that client's scope, with the rules of ordinary mandates (rules 1, 2, 5; EH3 or
// higher), and revoke such an assignment.
import { Prisma } from '../../generated/prisma/client.ts'
import type { Level, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import type { Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, levelAtLeast, toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertChainLevel, assertLevelCoversService, assertMeansCoversLevel, assertWithinAdminLevel, scopeWithin, type ScopeRef } from '../../domain/rules.ts'
import { adminOrganisationIds, adminOrganisationsById } from '../../policy/access.ts'
import type { Actor } from '../../shared/actor.ts'
import { COVERAGE_SELECT, PERSON_SELECT } from '../../shared/selects.ts'
import { recordAuditForEach, subjectEntry } from '../../shared/audit.ts'
import { queueMail, queueMailToPerson } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import { isUniqueViolation, parseScopeKey, principalOf } from './common.ts'
import { withFields } from '../../shared/withFields.ts'

export const CLIENTS_PAGE_SIZE = 50

export type ClientRow = {
  id: string
  client_name: string
  client_kvk: string
  intermediary_name: string
  scope: 'service' | 'provider' | 'all'
  service_name: string | null
  provider_name: string | null
  level: string
  valid_until: Date
  status: string
  assignments: number
}

type LockedChain = {
  id: string
  organisation_id: string
  intermediary_organisation_id: string
  scope: 'service' | 'provider' | 'all'
  service_id: string | null
  provider_id: string | null
  level: string
  status: string
  valid_until: Date
}

export class AssignmentService {
  constructor(
    private readonly db: PrismaClient,
    /** Klanten runs on every visit of the list: its one read goes through pg, prepared (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {}

  /**
   * Klanten: live ketenmachtigingen held by the admin's organisations, by client name, one page. One
   * statement: the page's ids are read in order from chain_mandates(intermediary, client_name, id,
   * status) (client_name: the client's name, kept by triggers), index only, so a page costs its own
   * rows; the total is an index-only count; only the page's rows are joined and count their
   * assignments. Sorting every client by organisations.name on each request cost an intermediary with
   * 5,000 clients 15–20 ms (npm run bench:chain). An admin of several intermediaries (rare) gets each
   * one's first rows in order, merged. The statement runs through pg, prepared with a generic plan
   * (pageReads, as the Machtigingen list); the intermediary's name comes from the principal, not a join.
   */
  async clients(principal: Principal, page = 1): Promise<{ rows: ClientRow[]; total: number }> {
    const ids = adminOrganisationIds(principal)
    const offset = (Math.max(1, page) - 1) * CLIENTS_PAGE_SIZE
    const size = Prisma.raw(String(CLIENTS_PAGE_SIZE))
    const pageIds =
      ids.length === 1
        ? Prisma.sql`
          select c.id, c.client_name from chain_mandates c
          where c.intermediary_organisation_id = ${ids[0]}::uuid and c.status in ('active', 'suspended')
          order by c.client_name, c.id limit ${size} offset ${offset}`
        : Prisma.sql`
          select l.id, l.client_name from unnest(${ids}::uuid[]) as x(org)
            cross join lateral (
              select c.id, c.client_name from chain_mandates c
              where c.intermediary_organisation_id = x.org and c.status in ('active', 'suspended')
              order by c.client_name, c.id limit ${offset}::int + ${size}
            ) l
          order by l.client_name, l.id limit ${size} offset ${offset}`
    const rows = await this.pageReads.rows<Omit<ClientRow, 'intermediary_name'> & { intermediary_id: string; total: number }>(Prisma.sql`
      with page as (${pageIds})
      select c.id::text, c.client_name, o.kvk_number::text as client_kvk, c.intermediary_organisation_id::text as intermediary_id, c.scope::text as scope,
        s.name as service_name, p.name as provider_name, c.level::text as level, c.valid_until, c.status::text as status,
        (select count(*)::int from chain_assignments a where a.chain_mandate_id = c.id and a.status = 'active') as assignments,
        (select count(*)::int from chain_mandates t where t.intermediary_organisation_id = any(${ids}::uuid[]) and t.status in ('active', 'suspended')) as total
      from page
        join chain_mandates c on c.id = page.id
        join organisations o on o.id = c.organisation_id
        left join services s on s.id = c.service_id
        left join service_providers p on p.id = c.provider_id
      order by page.client_name, page.id`)
    const organisations = adminOrganisationsById(principal)
    return {
      rows: rows.map(({ total: _total, intermediary_id, ...row }) => withFields(row, { intermediary_name: organisations.get(intermediary_id)?.name ?? '' })),
      total: Number(rows[0]?.total ?? 0),
    }
  }

  /** One client's ketenmachtiging as the intermediary sees it, its assignments, the employees and scopes to choose. */
  async chainDetail(principal: Principal, id: string) {
    const chain = await this.db.chainMandate.findFirst({
      where: { id, intermediaryOrganisationId: { in: adminOrganisationIds(principal) } },
      select: {
        id: true,
        scope: true,
        serviceId: true,
        providerId: true,
        level: true,
        status: true,
        validUntil: true,
        organisation: { select: { name: true, kvkNumber: true } },
        intermediary: { select: { id: true, name: true } },
      },
    })
    if (!chain) throw new NotFoundError()
    const [assignments, employees, services, providers] = await Promise.all([
      this.db.chainAssignment.findMany({
        where: { chainMandateId: id },
        select: {
          id: true,
          ...COVERAGE_SELECT,
          user: { select: { firstName: true, lastNamePrefix: true, lastName: true, email: true } },
        },
        orderBy: [{ status: 'asc' }, { createdAt: 'desc' }],
      }),
      this.db.user.findMany({
        where: { links: { some: { organisationId: chain.intermediary.id } } },
        select: {
          ...PERSON_SELECT,
          means: { where: { status: 'active' }, select: { level: true } },
        },
        orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }],
      }),
      this.db.service.findMany({
        where: chain.scope === 'service' ? { id: chain.serviceId! } : chain.scope === 'provider' ? { providerId: chain.providerId! } : {},
        select: { id: true, name: true, requiredLevel: true },
        orderBy: { name: 'asc' },
      }),
      this.db.serviceProvider.findMany({
        where: chain.scope === 'provider' ? { id: chain.providerId! } : {},
        select: { id: true, name: true },
        orderBy: { name: 'asc' },
      }),
    ])
    const scopeOptions = [
      ...(chain.scope === 'all' ? [{ value: 'all', kind: 'all' as const, name: '' }] : []),
      ...(chain.scope !== 'service' ? providers.map((p) => ({ value: `provider:${p.id}`, kind: 'provider' as const, name: p.name })) : []),
      ...services.map((s) => ({ value: `service:${s.id}`, kind: 'service' as const, name: s.name, requiredLevel: s.requiredLevel })),
    ]
    return { chain, assignments, employees, scopeOptions }
  }

  /** Medewerkers machtigen: one employee, one scope within the chain, at a level the rules allow. */
  async assign(actor: Actor, chainId: string, input: { userId: string; scopeKey: string; level: Level }, now = new Date()) {
    const principal = principalOf(actor)
    const today = todayUtc(now)
    try {
      return await this.db.$transaction(async (tx) => {
        const chain = await lockHeld(tx, principal, chainId)
        if (chain.status === 'suspended') throw new RuleViolation('chains:errors.chainSuspended')
        if (chain.status !== 'active' || chain.valid_until < today) throw new RuleViolation('chains:errors.chainEnded')
        const admin = principal.adminOrganisations.find((o) => o.id === chain.intermediary_organisation_id)!
        const holder = await tx.user.findFirst({
          where: { id: input.userId, links: { some: { organisationId: chain.intermediary_organisation_id } } },
          select: {
            id: true,
            email: true,
            locale: true,
            firstName: true,
            lastNamePrefix: true,
            lastName: true,
            means: { where: { status: 'active' }, select: { level: true } },
          },
        })
        if (!holder) throw new RuleViolation('chains:errors.notEmployee', 'userId')
        const target = await this.checkScope(tx, chain, input.scopeKey)
        assertChainLevel(input.level, { field: 'level' })
        if (!levelAtLeast(fromDbLevel(chain.level), input.level))
          throw new RuleViolation('chains:errors.aboveChain', 'level', { level: toDbLevel(fromDbLevel(chain.level)) })
        assertWithinAdminLevel(admin.level, input.level, { field: 'level' })
        assertMeansCoversLevel(
          holder.means.map((m) => m.level),
          input.level,
          { key: 'chains:errors.meansLevel', field: 'level' },
        )
        if (target.service)
          assertLevelCoversService({ requiredLevel: target.service.requiredLevel, serviceName: target.service.name }, input.level, { field: 'level' })
        const assignment = await tx.chainAssignment.create({
          data: {
            chainMandateId: chain.id,
            userId: holder.id,
            scope: target.ref.scope,
            serviceId: target.ref.serviceId ?? null,
            providerId: target.ref.providerId ?? null,
            level: input.level,
            validFrom: today,
            validUntil: chain.valid_until,
            grantedById: principal.id,
          },
          select: { id: true, service: { select: { name: true } }, provider: { select: { name: true } } },
        })
        const after = { chainMandateId: chain.id, userId: holder.id, ...target.ref, level: input.level, validUntil: chain.valid_until }
        const sides = [chain.intermediary_organisation_id, chain.organisation_id]
        await recordAuditForEach(tx, actor, sides, subjectEntry('chain-assignment.granted', 'chain_assignment', assignment, { after }))
        const client = await tx.organisation.findUniqueOrThrow({ where: { id: chain.organisation_id }, select: { name: true } })
        await queueMailToPerson(tx, holder, {
          idempotencyKey: `chain-assignment:${assignment.id}`,
          template: 'mandates-granted',
          data: {
            organisationName: client.name,
            mandates: [
              {
                scope: target.ref.scope,
                serviceName: assignment.service?.name,
                providerName: assignment.provider?.name,
                level: toDbLevel(input.level),
                validUntil: isoDate(chain.valid_until),
              },
            ],
          },
        })
        return { id: assignment.id, holderName: personName(holder), clientName: client.name }
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new RuleViolation('chains:errors.duplicateAssignment', 'userId')
      throw error
    }
  }

  /** The scope chosen on the form, within the chain's scope (rule 20). */
  private async checkScope(tx: Tx, chain: LockedChain, scopeKey: string) {
    const ref = parseScopeKey(scopeKey)
    if (!ref) throw new RuleViolation('chains:errors.scopeRequired', 'scopeKey')
    const service = ref.serviceId
      ? await tx.service.findUnique({ where: { id: ref.serviceId }, select: { id: true, name: true, providerId: true, requiredLevel: true } })
      : null
    const outer: ScopeRef = { scope: chain.scope, serviceId: chain.service_id, providerId: chain.provider_id }
    const provider = ref.providerId ? await tx.serviceProvider.findUnique({ where: { id: ref.providerId }, select: { id: true } }) : null
    const known = ref.serviceId ? !!service : ref.providerId ? !!provider : true
    if (!known || !scopeWithin(ref, outer, () => service?.providerId)) throw new RuleViolation('chains:errors.outsideScope', 'scopeKey')
    return { ref, service }
  }

  /** Revokes one assignment (rule 9: at once). */
  async revokeAssignment(actor: Actor, id: string, now = new Date()) {
    const principal = principalOf(actor)
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; status: string; chain_id: string; organisation_id: string; intermediary_organisation_id: string }[]>`
        select a.id::text, a.status::text, c.id::text as chain_id, c.organisation_id::text, c.intermediary_organisation_id::text
        from chain_assignments a join chain_mandates c on c.id = a.chain_mandate_id
        where a.id = ${id}::uuid and c.intermediary_organisation_id = any(${adminOrganisationIds(principal)}::uuid[]) for update of a`
      const row = rows[0]
      if (!row) throw new NotFoundError()
      if (row.status === 'revoked') throw new RuleViolation('chains:errors.alreadyRevoked')
      const updated = await tx.chainAssignment.update({
        where: { id },
        data: { status: 'revoked', revokedAt: now },
        select: {
          scope: true,
          level: true,
          service: { select: { name: true } },
          provider: { select: { name: true } },
          user: { select: { email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true } },
          chainMandate: { select: { organisation: { select: { name: true } } } },
        },
      })
      const change = { before: { status: row.status }, after: { status: 'revoked', revokedAt: now } }
      const sides = [row.intermediary_organisation_id, row.organisation_id]
      await recordAuditForEach(tx, actor, sides, subjectEntry('chain-assignment.revoked', 'chain_assignment', { id }, change))
      await queueMail(tx, {
        idempotencyKey: `chain-assignment-revoked:${id}`,
        to: updated.user.email,
        template: 'mandate-revoked',
        locale: updated.user.locale,
        data: {
          name: personName(updated.user),
          organisationName: updated.chainMandate.organisation.name,
          scope: updated.scope,
          serviceName: updated.service?.name,
          providerName: updated.provider?.name,
          level: toDbLevel(updated.level),
          revokedAt: isoDate(now),
        },
      })
      return { id, chainId: row.chain_id, holderName: personName(updated.user) }
    })
  }
}

/** Locks a ketenmachtiging held by one of the admin's organisations; anything else is 404 (rule 7). */
async function lockHeld(tx: Tx, principal: Principal, id: string): Promise<LockedChain> {
  const rows = await tx.$queryRaw<LockedChain[]>`
    select id::text, organisation_id::text, intermediary_organisation_id::text, scope::text as scope, service_id::text, provider_id::text,
      level::text as level, status::text as status, valid_until
    from chain_mandates where id = ${id}::uuid and intermediary_organisation_id = any(${adminOrganisationIds(principal)}::uuid[]) for update`
  if (!rows[0]) throw new NotFoundError()
  return rows[0]
}
