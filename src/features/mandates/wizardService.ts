// Machtigingen: "Nieuwe Machtigingen Aanvragen", the wizard's choices (users, levels, catalogue,
// branches) and the grant itself. Rules 1, 2, 4, 5, 6 and 8 are checked through src/domain/rules.ts;
// every query is scoped to the actor's admin organisations (rule 7).
import { Prisma } from '../../generated/prisma/client.ts'
import type { Level, MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { addMonths, isoDate, todayUtc } from '../../domain/dates.ts'
import { LEVELS, fromDbLevel, highestLevel, levelLabel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertLevelCoversService, assertMeansCoversLevel, assertWithinAdminLevel, meansCoversLevel, withinAdminLevel } from '../../domain/rules.ts'
import { LINK_REQUEST_MONTHS, addYearsClamped, isTerm } from '../../domain/terms.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit, recordAuditPerSubject } from '../../shared/audit.ts'
import { queueMailToPerson } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import { escapeLike, userMatches } from '../../shared/userSearch.ts'
import { links } from '../../paths.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { scopeKeyOf, type GrantInput, type ScopeItem } from './model.ts'
import { actingPrincipal, adminOrganisation, isUniqueViolation } from './scoping.ts'

/** A chosen scope with its names, its required level (rule 5) and whether it refuses a branch (rule 6). */
export type DescribedScope = {
  item: ScopeItem
  key: string
  serviceName: string | null
  providerName: string | null
  requiredLevel: Level | null
  refusesBranchRestriction: boolean
}

type CheckedGrant = Awaited<ReturnType<MandateWizardService['checkGrant']>>

/** Users per page of the wizard's user step. */
export const CANDIDATE_PAGE = 25

export class MandateWizardService {
  constructor(private readonly db: PrismaClient) {}

  /** The admin organisation, or 404 (rule 7). */
  adminOrganisation(principal: Principal, organisationId: string) {
    return adminOrganisation(principal, organisationId)
  }

  // -------------------------------------------------------------------------------------------
  // The wizard's choices

  /**
   * Users to choose from: linked to the organisation, plus (when asked) those the admin manages
   * elsewhere; narrowed by the user search (name or e-mail, trigram index) and paged.
   */
  async candidateUsers(principal: Principal, organisationId: string, includeUnlinked: boolean, query = '', page = 0) {
    adminOrganisation(principal, organisationId)
    const orgs = includeUnlinked ? adminOrganisationIds(principal) : [organisationId]
    const search = query.trim() ? Prisma.sql`and ${userMatches(query)}` : Prisma.empty
    const found = await this.db.$queryRaw<{ id: string }[]>`
      select u.id from users u
      where exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id = any(${orgs}::uuid[])) ${search}
      order by u.last_name, u.first_name, u.id
      limit ${CANDIDATE_PAGE + 1} offset ${page * CANDIDATE_PAGE}`
    const ids = found.slice(0, CANDIDATE_PAGE).map((r) => r.id)
    const users = await this.db.user.findMany({
      where: { id: { in: ids } },
      select: candidateSelect(organisationId, new Date()),
      orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    })
    return {
      more: found.length > CANDIDATE_PAGE,
      users: users.map((u) => ({
        id: u.id,
        name: personName(u),
        email: u.email,
        linked: u.links.length > 0,
        linkRequested: u.linkRequests.length > 0,
      })),
    }
  }

  /**
   * Whether the admin may grant to this user at this organisation: linked (active mandates), or
   * managed in another of his organisations with a pending link request (pending mandates). Else 404.
   */
  private async holderStatus(db: PrismaClient | Tx, principal: Principal, organisationId: string, userId: string, now: Date) {
    const user = await db.user.findFirst({
      where: { id: userId, links: { some: { organisationId: { in: adminOrganisationIds(principal) } } } },
      select: { ...candidateSelect(organisationId, now), locale: true, means: { where: { status: 'active' }, select: { level: true } } },
    })
    if (!user) throw new NotFoundError()
    const meansLevel = highestLevel(user.means.map((m) => m.level))
    return { user, linked: user.links.length > 0, linkRequested: user.linkRequests.length > 0, meansLevel }
  }

  /**
   * The user step: a linked user, or an unlinked one managed elsewhere. Nothing is written here: the
   * link request (rule 8) is created with the pending mandates when the last step is confirmed.
   */
  async chooseHolder(actor: Actor, organisationId: string, userId: string, now = new Date()) {
    const principal = actor.principal!
    adminOrganisation(principal, organisationId)
    const holder = await this.holderStatus(this.db, principal, organisationId, userId, now)
    return { linked: holder.linked, linkRequestNeeded: !holder.linked && !holder.linkRequested }
  }

  /** The link request of a grant to an unlinked user, in the grant's transaction (rule 8). */
  private async createLinkRequest(tx: Tx, actor: Actor, org: { id: string; name: string }, holder: CheckedGrant['holder'], now: Date) {
    const principal = actingPrincipal(actor)
    const expiresAt = addMonths(now, LINK_REQUEST_MONTHS)
    const request = await tx.linkRequest.create({
      data: { userId: holder.user.id, organisationId: org.id, requestedById: principal.id, status: 'pending', createdAt: now, expiresAt },
    })
    await recordAudit(tx, actor, {
      action: 'link_request.created',
      organisationId: org.id,
      subjectType: 'link_request',
      subjectId: request.id,
      after: { userId: holder.user.id, organisationId: org.id, status: 'pending', expiresAt },
    })
    await queueMailToPerson(tx, holder.user, {
      idempotencyKey: `link-request:${request.id}`,
      template: 'link-request',
      data: {
        linkRequestId: request.id,
        organisationName: org.name,
        requestedByName: principal.name,
        requestPath: links.mine(),
        expiresAt: isoDate(expiresAt),
      },
    })
  }

  /** Rules 1 and 2: the levels on offer, and why the others are not. */
  async levelChoices(principal: Principal, organisationId: string, userId: string, now = new Date()) {
    const org = adminOrganisation(principal, organisationId)
    const holder = await this.holderStatus(this.db, principal, organisationId, userId, now)
    const choices = LEVELS.map((level) => {
      let reason: null | 'adminLevel' | 'meansLevel' | 'noMeans' = null
      if (!withinAdminLevel(org.level, level)) reason = 'adminLevel'
      else if (!holder.meansLevel) reason = 'noMeans'
      else if (!meansCoversLevel([holder.meansLevel], level)) reason = 'meansLevel'
      return { level, allowed: reason === null, reason }
    })
    return { choices, adminLevel: org.level, meansLevel: holder.meansLevel, userName: personName(holder.user), linked: holder.linked }
  }

  /** The catalogue search: "alle" offers all services; a provider's name offers all of that provider. */
  async searchCatalogue(query: string) {
    const q = query.trim()
    const pattern = `%${escapeLike(q)}%`
    const offerAll = q === '' || 'alle diensten'.startsWith(q.toLowerCase()) || q.toLowerCase().startsWith('alle')
    const providers = await this.db.serviceProvider.findMany({
      where: q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { services: { some: { name: { contains: q, mode: 'insensitive' } } } }] } : {},
      orderBy: { name: 'asc' },
      select: { id: true, name: true },
      take: 50,
    })
    const services = await this.db.$queryRaw<
      { id: string; name: string; required_level: string; provider_name: string; refuses_branch_restriction: boolean }[]
    >`
      select s.id, s.name, s.required_level::text as required_level, p.name as provider_name, s.refuses_branch_restriction
      from services s join service_providers p on p.id = s.provider_id
      where ${q === '' || offerAll ? Prisma.sql`true` : Prisma.sql`(s.name ilike ${pattern} or p.name ilike ${pattern})`}
      order by s.name limit 100`
    return {
      offerAll,
      providers,
      services: services.map((s) => ({
        id: s.id,
        name: s.name,
        requiredLevel: fromDbLevel(s.required_level),
        providerName: s.provider_name,
        refusesBranchRestriction: s.refuses_branch_restriction,
      })),
    }
  }

  /**
   * The wizard's "Machtiging toevoegen": the scope described, or a RuleViolation when the service is
   * unknown or requires a higher level than the one chosen (rule 5, as `grant` checks it again).
   */
  async describeAddable(item: ScopeItem | null, level: Level) {
    if (!item) throw new RuleViolation('mandates:errors.unknownService', 'choice')
    const [described] = await this.describeScopes([item])
    assertLevelCoversService(described!, level, { field: 'choice' })
    return described!
  }

  /** Names for the chosen scopes, or a RuleViolation for an unknown service or provider (rule 5). */
  async describeScopes(items: ScopeItem[]): Promise<DescribedScope[]> {
    const serviceIds = items.flatMap((i) => (i.scope === 'service' ? [i.serviceId] : []))
    const providerIds = items.flatMap((i) => (i.scope === 'provider' ? [i.providerId] : []))
    const [services, providers] = await Promise.all([
      this.db.service.findMany({
        where: { id: { in: serviceIds } },
        select: { id: true, name: true, requiredLevel: true, refusesBranchRestriction: true, provider: { select: { name: true } } },
      }),
      this.db.serviceProvider.findMany({
        where: { id: { in: providerIds } },
        select: { id: true, name: true, services: { where: { refusesBranchRestriction: true }, select: { id: true }, take: 1 } },
      }),
    ])
    return items.map((item) => {
      if (item.scope === 'all') return { item, key: 'all', serviceName: null, providerName: null, requiredLevel: null, refusesBranchRestriction: false }
      if (item.scope === 'provider') {
        const provider = providers.find((p) => p.id === item.providerId)
        if (!provider) throw new RuleViolation('mandates:errors.unknownService', 'service')
        const refuses = provider.services.length > 0
        return { item, key: scopeKeyOf(item), serviceName: null, providerName: provider.name, requiredLevel: null, refusesBranchRestriction: refuses }
      }
      const service = services.find((s) => s.id === item.serviceId)
      if (!service) throw new RuleViolation('mandates:errors.unknownService', 'service')
      return {
        item,
        key: scopeKeyOf(item),
        serviceName: service.name,
        providerName: service.provider.name,
        requiredLevel: service.requiredLevel,
        refusesBranchRestriction: service.refusesBranchRestriction,
      }
    })
  }

  async branches(principal: Principal, organisationId: string) {
    adminOrganisation(principal, organisationId)
    return this.db.branch.findMany({ where: { organisationId }, orderBy: { name: 'asc' }, select: { id: true, name: true, branchNumber: true, city: true } })
  }

  // -------------------------------------------------------------------------------------------
  // Grant

  /** Checks rules 1, 2, 4, 5, 6 for a grant without changing anything; returns what it would create. */
  async checkGrant(principal: Principal, input: GrantInput, now = new Date(), db: PrismaClient | Tx = this.db) {
    const org = adminOrganisation(principal, input.organisationId)
    const holder = await this.holderStatus(db, principal, input.organisationId, input.userId, now)
    if (!isTerm(input.termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    assertWithinAdminLevel(org.level, input.level, { field: 'level' })
    assertMeansCoversLevel(holder.meansLevel ? [holder.meansLevel] : [], input.level, { field: 'level' })
    if (input.items.length === 0) throw new RuleViolation('mandates:errors.noServices', 'service')
    const scopes = await this.describeScopes(input.items)
    const seen = new Set<string>()
    for (const s of scopes) {
      if (seen.has(s.key)) throw new RuleViolation('mandates:errors.duplicateItem', 'service', { name: s.serviceName ?? s.providerName ?? 'alle' })
      seen.add(s.key)
      assertLevelCoversService(s, input.level, { field: 'service' })
    }
    if (input.branchId) {
      const branch = await db.branch.findFirst({ where: { id: input.branchId, organisationId: input.organisationId }, select: { id: true } })
      if (!branch) throw new RuleViolation('mandates:errors.branch', 'branchId')
    }
    const existing = await db.mandate.findMany({
      where: { userId: input.userId, organisationId: input.organisationId, kind: 'use', live: true, scopeKey: { in: [...seen] } },
      select: { scopeKey: true },
    })
    if (existing.length) {
      const s = scopes.find((x) => x.key === existing[0]!.scopeKey)
      throw new RuleViolation('mandates:errors.exists', 'service', { name: s?.serviceName ?? s?.providerName ?? 'Alle diensten' })
    }
    return { org, holder, scopes, status: (holder.linked ? 'active' : 'pending') as MandateStatus }
  }

  /** Grants one mandate per scope, in one transaction with its audit entries and one mail (rule 14). */
  async grant(actor: Actor, input: GrantInput, now = new Date()) {
    const principal = actingPrincipal(actor)
    const today = todayUtc(now)
    try {
      return await this.db.$transaction(async (tx) => {
        const checked = await this.checkGrant(principal, input, now, tx)
        const linkRequestCreated = !checked.holder.linked && !checked.holder.linkRequested
        if (linkRequestCreated) await this.createLinkRequest(tx, actor, checked.org, checked.holder, now)
        const validUntil = addYearsClamped(today, input.termYears)
        const created = await tx.mandate.createManyAndReturn({
          data: checked.scopes.map((s) => ({
            kind: 'use' as const,
            userId: input.userId,
            organisationId: input.organisationId,
            scope: s.item.scope,
            serviceId: s.item.scope === 'service' ? s.item.serviceId : null,
            providerId: s.item.scope === 'provider' ? s.item.providerId : null,
            level: input.level,
            branchId: input.branchId,
            validFrom: today,
            validUntil,
            status: checked.status,
            grantedById: principal.id,
          })),
          select: { id: true, scope: true, serviceId: true, providerId: true, level: true, validFrom: true, validUntil: true, status: true, branchId: true },
        })
        const grantedAt = { action: 'mandate.granted', subjectType: 'mandate', organisationId: input.organisationId } as const
        await recordAuditPerSubject(tx, actor, grantedAt, created, (m) => ({ after: { ...m, userId: input.userId } }))
        await queueGrantMail(tx, checked, input, created, validUntil)
        return {
          mandates: created,
          status: checked.status,
          scopes: checked.scopes,
          validUntil,
          organisationName: checked.org.name,
          userName: personName(checked.holder.user),
          linkRequestCreated,
        }
      })
    } catch (error) {
      // Two identical requests at once: the unique key lets one through (rule: one live mandate per scope).
      if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.existsRace', 'service')
      throw error
    }
  }
}

/** A user as the wizard shows one: the name, the address, the link to the organisation and an open link request there. */
function candidateSelect(organisationId: string, now: Date) {
  return {
    id: true,
    firstName: true,
    lastNamePrefix: true,
    lastName: true,
    email: true,
    links: { where: { organisationId }, select: { id: true } },
    linkRequests: { where: { organisationId, status: 'pending', expiresAt: { gt: now } }, select: { id: true } },
  } as const satisfies Prisma.UserSelect
}

/** The holder's one mail about the mandates just granted ("mandates-granted"). */
async function queueGrantMail(tx: Tx, checked: CheckedGrant, input: GrantInput, created: { id: string }[], validUntil: Date): Promise<void> {
  await queueMailToPerson(tx, checked.holder.user, {
    idempotencyKey: `mandates-granted:${created.map((m) => m.id).sort()[0]}`,
    template: 'mandates-granted',
    data: {
      organisationName: checked.org.name,
      pending: checked.status === 'pending',
      mandates: checked.scopes.map((s) => ({
        scope: s.item.scope,
        serviceName: s.serviceName ?? undefined,
        providerName: s.providerName ?? undefined,
        level: levelLabel(input.level),
        validUntil: isoDate(validUntil),
      })),
    },
  })
}
