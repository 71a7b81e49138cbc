// Machtigingen: the list and every change an admin makes to use-mandates (grant, revoke, renew,
// activate). The rules of domain.md (1–9, 14) live here, once; handlers only parse and render.
// Every query is scoped in SQL to the actor's admin organisations (rule 7); anything outside them
// is a NotFoundError.
import { randomUUID } from 'node:crypto'
import { Prisma } from '../../generated/prisma/client.ts'
import type { Level, MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { escapeLike, userMatches } from '../../shared/userSearch.ts'
import { CatalogueNamesCache } from './catalogueNames.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { todayUtc, isoDate } from '../../domain/dates.ts'
import { recordAudit, recordAuditMany, type AuditEntry } from '../../shared/audit.ts'
import type { Tx } from '../../db/tx.ts'
import type { Actor } from '../../shared/actor.ts'
import type { AdminOrganisation, Principal } from '../../shared/principal.ts'
import { queueMail, queueMails, type QueuedMail } from '../../shared/outbox.ts'

export const LEVELS: Level[] = ['EH2', 'EH2_PLUS', 'EH3', 'EH4']
export const TERMS = [1, 3, 5] as const
export type Term = (typeof TERMS)[number]
export const STATUSES: MandateStatus[] = ['active', 'pending', 'expired', 'revoked', 'suspended']
export const LIVE_STATUSES: MandateStatus[] = ['active', 'pending']
/** Rows a list page shows: 25 unless the admin chooses 50 or 100 ("Aantal per pagina"), as in Gebruikers. */
export const PAGE_SIZES = [25, 50, 100] as const
export const DEFAULT_PAGE_SIZE = 25
/** Link requests lapse after 3 months (rule 8). */
const LINK_REQUEST_MONTHS = 3

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level)
}
/** The database spells EH2_PLUS as 'EH2+'. */
/** Rule 5: a mandate for one service is at least that service's required level. */
function assertLevelCoversScope(scope: { requiredLevel?: Level | null; serviceName?: string | null }, level: Level, field: string): void {
  if (scope.requiredLevel && levelRank(scope.requiredLevel) > levelRank(level)) {
    throw new RuleViolation('mandates:errors.serviceLevel', field, { name: scope.serviceName, level: toDbLevel(scope.requiredLevel) })
  }
}

export function toDbLevel(level: Level): string {
  return level === 'EH2_PLUS' ? 'EH2+' : level
}
export function fromDbLevel(value: string): Level {
  return (value === 'EH2+' ? 'EH2_PLUS' : value) as Level
}

/** Adds whole years the way PostgreSQL does (29 Feb + 1 year = 28 Feb), so the DB term check agrees. */
export function addYearsClamped(date: Date, years: number): Date {
  const y = date.getUTCFullYear() + years
  const m = date.getUTCMonth()
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)))
}

export function isTerm(value: number): value is Term {
  return (TERMS as readonly number[]).includes(value)
}

export type ScopeItem = { scope: 'all' } | { scope: 'provider'; providerId: string } | { scope: 'service'; serviceId: string }

export function scopeKeyOf(item: ScopeItem): string {
  if (item.scope === 'all') return 'all'
  if (item.scope === 'provider') return `provider:${item.providerId}`
  return `service:${item.serviceId}`
}

export type ListFilter = {
  organisationId?: string
  user?: string
  /** 'all' | 'provider:<uuid>' | 'service:<uuid>' */
  scope?: string
  level?: Level
  status?: MandateStatus
  inactive?: boolean
  sort?: 'end' | 'end-desc'
  /** One of PAGE_SIZES; DEFAULT_PAGE_SIZE when absent. */
  pageSize?: number
}

export type Cursor = { direction: 'after' | 'before'; date: string; id: string }

export type MandateRow = {
  id: string
  userId: string
  userName: string
  userEmail: string
  organisationId: string
  organisationName: string
  scope: 'all' | 'provider' | 'service'
  serviceName: string | null
  providerName: string | null
  level: Level
  branchName: string | null
  branchNumber: string | null
  validFrom: Date
  validUntil: Date
  status: MandateStatus
  expiringSoon: boolean
  expired: boolean
}

export type RenewOutcome = {
  id: string
  userName: string
  organisationName: string
  scope: 'all' | 'provider' | 'service'
  serviceName: string | null
  providerName: string | null
  oldUntil: Date
  newUntil: Date | null
  /** null when renewed, else the reason it was refused. */
  refusal: null | 'revoked' | 'suspended' | 'adminLevel' | 'meansLevel' | 'tooLong' | 'exists'
}

export type RenewSelection = { ids: string[] } | { filter: ListFilter }

type RawRow = {
  id: string
  user_id: string
  first_name: string
  last_name_prefix: string | null
  last_name: string
  email: string
  organisation_id: string
  scope: 'all' | 'provider' | 'service'
  service_id: string | null
  provider_id: string | null
  level: string
  branch_name: string | null
  branch_number: string | null
  valid_from: Date
  valid_until: Date
  status: MandateStatus
}

export function personName(u: { firstName: string; lastNamePrefix?: string | null; lastName: string }): string {
  return [u.firstName, u.lastNamePrefix, u.lastName].filter(Boolean).join(' ')
}


/** The statuses a list filter shows: the one chosen, all ("Toon ook inactieve"), or active and pending. */
function statusesOf(filter: ListFilter): MandateStatus[] {
  return filter.status ? [filter.status] : filter.inactive ? STATUSES : LIVE_STATUSES
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

export class MandateService {
  constructor(
    private readonly db: PrismaClient,
    /** For the list's read queries, which run on every list page (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {
    this.catalogueNames = new CatalogueNamesCache(pageReads)
  }

  private readonly catalogueNames: CatalogueNamesCache

  /**
   * The whole catalogue for the list's "Dienst" filter, by name: the same names the rows use, kept a
   * minute (see catalogueNames.ts). The same object until the names are read again, so the options
   * made from it are kept too (listView.ts).
   */
  async catalogueForFilter() {
    return (await this.catalogueNames.get()).sorted
  }

  // -------------------------------------------------------------------------------------------
  // Scoping

  /** The admin organisation, or 404 (rule 7). */
  adminOrganisation(principal: Principal, organisationId: string): AdminOrganisation {
    const org = principal.adminOrganisations.find((o) => o.id === organisationId)
    if (!org) throw new NotFoundError()
    return org
  }

  private orgIds(principal: Principal, filter?: ListFilter): string[] {
    const ids = principal.adminOrganisations.map((o) => o.id)
    if (filter?.organisationId) return ids.filter((id) => id === filter.organisationId)
    return ids
  }

  // -------------------------------------------------------------------------------------------
  // The list

  /**
   * Mandates of the users matching a name or e-mail search (among the users with a mandate in these
   * organisations), as a condition on alias m. The users are found inside the same statement (an
   * InitPlan PostgreSQL runs once), so the search costs no extra round trip.
   */
  private userCondition(orgIds: string[], query: string): Prisma.Sql {
    return Prisma.sql`m.user_id = any(array(
      select u.id from users u
      where ${userMatches(query)}
        and exists (select 1 from mandates um where um.user_id = u.id and um.organisation_id = any(${orgIds}::uuid[]))
      limit 500))`
  }

  /**
   * Conditions shared by the list and bulk renewal ("all matching the filter"), on alias m.
   * `levelIndexed: false` compares the level as text, so PostgreSQL cannot pick the index on
   * (organisation_id, level, valid_until, id) for it: for a scan per status (the list without
   * inactive ones) that index would read past every mandate of the level in other statuses.
   */
  private filterConditions(
    principal: Principal,
    filter: ListFilter,
    { levelIndexed = true } = {},
  ): { orgIds: string[]; statuses: MandateStatus[]; conditions: Prisma.Sql[] } | null {
    const orgIds = this.orgIds(principal, filter)
    if (orgIds.length === 0) return null
    const statuses = statusesOf(filter)
    const conditions: Prisma.Sql[] = [Prisma.sql`m.kind = 'use'`]
    if (filter.level) {
      const level = toDbLevel(filter.level)
      conditions.push(levelIndexed ? Prisma.sql`m.level = ${level}::"Level"` : Prisma.sql`m.level::text = ${level}`)
    }
    if (filter.scope) conditions.push(Prisma.sql`m.scope_key = ${filter.scope}`)
    if (filter.user && filter.user.trim()) conditions.push(this.userCondition(orgIds, filter.user))
    return { orgIds, statuses, conditions }
  }

  /**
   * One page, keyset-paginated on (valid_until, id). Per organisation (and status) a LATERAL index
   * scan takes at most one page, so a page costs the same at the start and deep in a list of 100,000.
   */
  async list(principal: Principal, filter: ListFilter, cursor: Cursor | null, now = new Date()) {
    // All statuses ("Toon ook inactieve machtigingen"): one scan per organisation, of
    // mandates(organisation_id, level, valid_until, id) when filtered on level, else of
    // mandates(organisation_id, valid_until, id). Fewer statuses: a scan of mandates(organisation_id,
    // status, valid_until, id) per organisation and status, so rows of other statuses are never read
    // past, however many there are.
    const allStatuses = STATUSES.every((status) => statusesOf(filter).includes(status))
    const scoped = this.filterConditions(principal, filter, { levelIndexed: allStatuses })
    const empty = { rows: [] as MandateRow[], next: null as Cursor | null, previous: null as Cursor | null }
    if (!scoped) return empty
    const descending = filter.sort === 'end-desc'
    // Walking backwards ("before") runs the query in the opposite order, then reverses.
    const reverse = cursor?.direction === 'before'
    const ascending = descending === reverse
    const order = ascending ? Prisma.sql`asc` : Prisma.sql`desc`
    const conditions = [...scoped.conditions]
    if (cursor) {
      conditions.push(
        ascending
          ? Prisma.sql`(m.valid_until, m.id) > (${cursor.date}::date, ${cursor.id}::uuid)`
          : Prisma.sql`(m.valid_until, m.id) < (${cursor.date}::date, ${cursor.id}::uuid)`,
      )
    }
    const where = Prisma.join(conditions, ' and ')
    const statuses = allStatuses ? Prisma.sql`` : Prisma.sql`cross join unnest(${scoped.statuses}::"MandateStatus"[]) as s(status)`
    const statusCondition = allStatuses ? Prisma.sql`true` : Prisma.sql`m.status = s.status`
    const pageSize = PAGE_SIZES.find((size) => size === filter.pageSize) ?? DEFAULT_PAGE_SIZE
    // The limit is written into the SQL, not bound: with a bound limit, the generic plan guesses the
    // page at 10 % of everything the scans could give, and joins users by hashing all of them (about
    // twice the work at 25 rows). One of three known numbers, so three prepared statements at most.
    const limit = Prisma.raw(String(pageSize + 1))
    const raw = await this.pageReads.rows<RawRow>(Prisma.sql`
      with page as (
        select k.* from unnest(${scoped.orgIds}::uuid[]) as o(id)
        ${statuses}
        cross join lateral (
          select m.id, m.user_id, m.organisation_id, m.scope, m.service_id, m.provider_id, m.level, m.branch_id,
                 m.valid_from, m.valid_until, m.status
          from mandates m
          where m.organisation_id = o.id and ${statusCondition} and ${where}
          order by m.valid_until ${order}, m.id ${order}
          limit ${limit}
        ) k
        order by k.valid_until ${order}, k.id ${order}
        limit ${limit}
      )
      select p.id, p.user_id, u.first_name, u.last_name_prefix, u.last_name, u.email,
             p.organisation_id, p.scope::text as scope, p.service_id, p.provider_id, p.level::text as level,
             p.valid_from, p.valid_until, p.status::text as status,
             -- Looked up only for a mandate limited to a branch: a join would scan branches again
             -- for every row of the page (for a small table PostgreSQL scans rather than seeks).
             case when p.branch_id is not null then (select b.name from branches b where b.id = p.branch_id) end as branch_name,
             case when p.branch_id is not null then (select b.branch_number from branches b where b.id = p.branch_id) end as branch_number
      from page p
      join users u on u.id = p.user_id
      order by p.valid_until ${order}, p.id ${order}`)
    const more = raw.length > pageSize
    const pageRows = raw.slice(0, pageSize)
    if (reverse) pageRows.reverse()
    // Names of the organisations (the principal's) and of the catalogue (kept in memory) are not
    // joined in SQL: see catalogueNames.ts.
    const organisationNames = new Map(principal.adminOrganisations.map((o) => [o.id, o.name]))
    const names = await this.catalogueNames.get(
      (known) => pageRows.every((r) => (!r.service_id || known.services.has(r.service_id)) && (!r.provider_id || known.providers.has(r.provider_id))),
    )
    const today = todayUtc(now)
    const twoMonths = new Date(today)
    twoMonths.setUTCMonth(twoMonths.getUTCMonth() + 2)
    const rows: MandateRow[] = pageRows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      userName: personName({ firstName: r.first_name, lastNamePrefix: r.last_name_prefix, lastName: r.last_name }),
      userEmail: r.email,
      organisationId: r.organisation_id,
      organisationName: organisationNames.get(r.organisation_id) ?? '',
      scope: r.scope,
      serviceName: (r.service_id && names.services.get(r.service_id)?.name) || null,
      providerName: (r.provider_id ? names.providers.get(r.provider_id) : r.service_id && names.services.get(r.service_id)?.providerName) || null,
      level: fromDbLevel(r.level),
      branchName: r.branch_name,
      branchNumber: r.branch_number,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      status: r.status,
      expired: r.status === 'expired' || (r.status === 'active' && r.valid_until < today),
      expiringSoon: (r.status === 'active' || r.status === 'pending') && r.valid_until >= today && r.valid_until <= twoMonths,
    }))
    const key = (row: MandateRow | undefined): { date: string; id: string } | null => (row ? { date: isoDate(row.validUntil), id: row.id } : null)
    const first = key(rows[0])
    const last = key(rows[rows.length - 1])
    // Forward: a next page when there was one more row; a previous page whenever we came from a cursor.
    const hasNext = reverse ? Boolean(cursor) : more
    const hasPrevious = reverse ? more : Boolean(cursor)
    return {
      rows,
      next: hasNext && last ? { direction: 'after' as const, ...last } : null,
      previous: hasPrevious && first ? { direction: 'before' as const, ...first } : null,
    }
  }

  /** One mandate of the actor's organisations, for the confirmation pages; else 404. */
  async getForAdmin(principal: Principal, id: string, now = new Date()) {
    const mandate = await this.db.mandate.findFirst({
      where: { id, kind: 'use', organisationId: { in: principal.adminOrganisations.map((o) => o.id) } },
      include: {
        user: { select: { firstName: true, lastNamePrefix: true, lastName: true, email: true } },
        organisation: { select: { name: true } },
        service: { select: { name: true, provider: { select: { name: true } } } },
        provider: { select: { name: true } },
        branch: { select: { name: true, branchNumber: true } },
      },
    })
    if (!mandate) throw new NotFoundError()
    const today = todayUtc(now)
    return {
      ...mandate,
      userName: personName(mandate.user),
      expired: mandate.status === 'expired' || (mandate.status === 'active' && mandate.validUntil < today),
    }
  }

  // -------------------------------------------------------------------------------------------
  // The wizard's choices

  /** Users to choose from: linked to the organisation, plus (when asked) those the admin manages elsewhere. */
  async candidateUsers(principal: Principal, organisationId: string, includeUnlinked: boolean) {
    this.adminOrganisation(principal, organisationId)
    const others = principal.adminOrganisations.map((o) => o.id).filter((id) => id !== organisationId)
    const users = await this.db.user.findMany({
      where: includeUnlinked
        ? { links: { some: { organisationId: { in: [organisationId, ...others] } } } }
        : { links: { some: { organisationId } } },
      select: {
        id: true,
        firstName: true,
        lastNamePrefix: true,
        lastName: true,
        email: true,
        links: { where: { organisationId }, select: { id: true } },
        linkRequests: { where: { organisationId, status: 'pending', expiresAt: { gt: new Date() } }, select: { id: true } },
      },
      orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }],
      take: 1000,
    })
    return users.map((u) => ({
      id: u.id,
      name: personName(u),
      email: u.email,
      linked: u.links.length > 0,
      linkRequested: u.linkRequests.length > 0,
    }))
  }

  /**
   * Whether the admin may grant to this user at this organisation: linked (active mandates), or
   * managed in another of his organisations with a pending link request (pending mandates). Else 404.
   */
  private async holderStatus(db: PrismaClient | Tx, principal: Principal, organisationId: string, userId: string, now: Date) {
    const adminOrgIds = principal.adminOrganisations.map((o) => o.id)
    const user = await db.user.findFirst({
      where: { id: userId, links: { some: { organisationId: { in: adminOrgIds } } } },
      select: {
        id: true,
        firstName: true,
        lastNamePrefix: true,
        lastName: true,
        email: true,
        locale: true,
        links: { where: { organisationId }, select: { id: true } },
        linkRequests: { where: { organisationId, status: 'pending', expiresAt: { gt: now } }, select: { id: true } },
        means: { where: { status: 'active' }, select: { level: true } },
      },
    })
    if (!user) throw new NotFoundError()
    const meansLevel = user.means.map((m) => m.level).sort((a, b) => levelRank(b) - levelRank(a))[0] ?? null
    return { user, linked: user.links.length > 0, linkRequested: user.linkRequests.length > 0, meansLevel }
  }

  /** The user step: a linked user, or an unlinked one managed elsewhere, who then gets a link request (rule 8). */
  async chooseHolder(actor: Actor, organisationId: string, userId: string, now = new Date()) {
    const principal = actor.principal!
    const org = this.adminOrganisation(principal, organisationId)
    const holder = await this.holderStatus(this.db, principal, organisationId, userId, now)
    if (holder.linked || holder.linkRequested) return { linked: holder.linked, linkRequestCreated: false }
    const expiresAt = new Date(now)
    expiresAt.setUTCMonth(expiresAt.getUTCMonth() + LINK_REQUEST_MONTHS)
    await this.db.$transaction(async (tx) => {
      const request = await tx.linkRequest.create({
        data: { userId, organisationId, requestedById: principal.id, status: 'pending', createdAt: now, expiresAt },
      })
      await recordAudit(tx, actor, {
        action: 'linkRequest.created',
        organisationId,
        subjectType: 'LinkRequest',
        subjectId: request.id,
        after: { userId, organisationId, status: 'pending', expiresAt },
      })
      await queueMail(tx, {
        idempotencyKey: `link-request:${request.id}`,
        to: holder.user.email,
        template: 'link-request',
        locale: holder.user.locale,
        data: { linkRequestId: request.id, name: personName(holder.user), organisationName: org.name, requestedByName: principal.name, requestPath: '/mijn-gegevens', expiresAt: isoDate(expiresAt) },
      })
    })
    return { linked: false, linkRequestCreated: true }
  }

  /** Rules 1 and 2: the levels on offer, and why the others are not. */
  async levelChoices(principal: Principal, organisationId: string, userId: string, now = new Date()) {
    const org = this.adminOrganisation(principal, organisationId)
    const holder = await this.holderStatus(this.db, principal, organisationId, userId, now)
    const choices = LEVELS.map((level) => {
      let reason: null | 'adminLevel' | 'meansLevel' | 'noMeans' = null
      if (levelRank(level) > levelRank(org.level)) reason = 'adminLevel'
      else if (!holder.meansLevel) reason = 'noMeans'
      else if (levelRank(level) > levelRank(holder.meansLevel)) reason = 'meansLevel'
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
    const services = await this.db.$queryRaw<{ id: string; name: string; required_level: string; provider_name: string; refuses_branch_restriction: boolean }[]>`
      select s.id, s.name, s.required_level::text as required_level, p.name as provider_name, s.refuses_branch_restriction
      from services s join service_providers p on p.id = s.provider_id
      where ${q === '' || offerAll ? Prisma.sql`true` : Prisma.sql`(s.name ilike ${pattern} or p.name ilike ${pattern})`}
      order by s.name limit 100`
    return {
      offerAll,
      providers,
      services: services.map((s) => ({ id: s.id, name: s.name, requiredLevel: fromDbLevel(s.required_level), providerName: s.provider_name, refusesBranchRestriction: s.refuses_branch_restriction })),
    }
  }

  /**
   * The wizard's "Machtiging toevoegen": the scope described, or a RuleViolation when the service is
   * unknown or requires a higher level than the one chosen (rule 5, as `grant` checks it again).
   */
  async describeAddable(item: ScopeItem | null, level: Level) {
    if (!item) throw new RuleViolation('mandates:errors.unknownService', 'choice')
    const [described] = await this.describeScopes([item])
    assertLevelCoversScope(described!, level, 'choice')
    return described!
  }

  /** Names for the chosen scopes, or a RuleViolation for an unknown service or provider (rule 5). */
  async describeScopes(items: ScopeItem[]) {
    const serviceIds = items.flatMap((i) => (i.scope === 'service' ? [i.serviceId] : []))
    const providerIds = items.flatMap((i) => (i.scope === 'provider' ? [i.providerId] : []))
    const [services, providers] = await Promise.all([
      this.db.service.findMany({ where: { id: { in: serviceIds } }, select: { id: true, name: true, requiredLevel: true, refusesBranchRestriction: true, provider: { select: { name: true } } } }),
      this.db.serviceProvider.findMany({
        where: { id: { in: providerIds } },
        select: { id: true, name: true, services: { where: { refusesBranchRestriction: true }, select: { id: true }, take: 1 } },
      }),
    ])
    return items.map((item) => {
      if (item.scope === 'all') return { item, key: 'all', serviceName: null, providerName: null, requiredLevel: null as Level | null, refusesBranchRestriction: false }
      if (item.scope === 'provider') {
        const provider = providers.find((p) => p.id === item.providerId)
        if (!provider) throw new RuleViolation('mandates:errors.unknownService', 'service')
        const refuses = provider.services.length > 0
        return { item, key: scopeKeyOf(item), serviceName: null, providerName: provider.name, requiredLevel: null, refusesBranchRestriction: refuses }
      }
      const service = services.find((s) => s.id === item.serviceId)
      if (!service) throw new RuleViolation('mandates:errors.unknownService', 'service')
      return { item, key: scopeKeyOf(item), serviceName: service.name, providerName: service.provider.name, requiredLevel: service.requiredLevel, refusesBranchRestriction: service.refusesBranchRestriction }
    })
  }

  async branches(principal: Principal, organisationId: string) {
    this.adminOrganisation(principal, organisationId)
    return this.db.branch.findMany({ where: { organisationId }, orderBy: { name: 'asc' }, select: { id: true, name: true, branchNumber: true, city: true } })
  }

  // -------------------------------------------------------------------------------------------
  // Grant

  /** Checks rules 1, 2, 4, 5, 6 for a grant without changing anything; returns what it would create. */
  async checkGrant(
    principal: Principal,
    input: { organisationId: string; userId: string; level: Level; termYears: number; branchId: string | null; items: ScopeItem[] },
    now = new Date(),
    db: PrismaClient | Tx = this.db,
  ) {
    const org = this.adminOrganisation(principal, input.organisationId)
    const holder = await this.holderStatus(db, principal, input.organisationId, input.userId, now)
    if (!holder.linked && !holder.linkRequested) throw new RuleViolation('mandates:errors.notLinked', 'userId')
    if (!isTerm(input.termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    if (levelRank(input.level) > levelRank(org.level)) {
      throw new RuleViolation('mandates:errors.adminLevel', 'level', { level: toDbLevel(org.level) })
    }
    if (!holder.meansLevel || levelRank(input.level) > levelRank(holder.meansLevel)) {
      throw new RuleViolation('mandates:errors.meansLevel', 'level', { level: holder.meansLevel ? toDbLevel(holder.meansLevel) : '-' })
    }
    if (input.items.length === 0) throw new RuleViolation('mandates:errors.noServices', 'service')
    const scopes = await this.describeScopes(input.items)
    const seen = new Set<string>()
    for (const s of scopes) {
      if (seen.has(s.key)) throw new RuleViolation('mandates:errors.duplicateItem', 'service', { name: s.serviceName ?? s.providerName ?? 'alle' })
      seen.add(s.key)
      assertLevelCoversScope(s, input.level, 'service')
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
  async grant(
    actor: Actor,
    input: { organisationId: string; userId: string; level: Level; termYears: number; branchId: string | null; items: ScopeItem[] },
    now = new Date(),
  ) {
    const principal = actor.principal
    if (!principal) throw new NotFoundError()
    const today = todayUtc(now)
    try {
      return await this.db.$transaction(async (tx) => {
        const checked = await this.checkGrant(principal, input, now, tx)
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
        await recordAuditMany(
          tx,
          actor,
          created.map((m) => ({ action: 'mandate.granted', organisationId: input.organisationId, subjectType: 'Mandate', subjectId: m.id, after: { ...m, userId: input.userId } })),
        )
        await queueMail(tx, {
          idempotencyKey: `mandates-granted:${created.map((m) => m.id).sort()[0]}`,
          to: checked.holder.user.email,
          template: 'mandates-granted',
          locale: checked.holder.user.locale,
          data: {
            name: personName(checked.holder.user),
            organisationName: checked.org.name,
            pending: checked.status === 'pending',
            mandates: checked.scopes.map((s) => ({
              scope: s.item.scope,
              serviceName: s.serviceName ?? undefined,
              providerName: s.providerName ?? undefined,
              level: toDbLevel(input.level),
              validUntil: isoDate(validUntil),
            })),
          },
        })
        return { mandates: created, status: checked.status, scopes: checked.scopes, validUntil, organisationName: checked.org.name, userName: personName(checked.holder.user) }
      })
    } catch (error) {
      // Two identical requests at once: the unique key lets one through (rule: one live mandate per scope).
      if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.existsRace', 'service')
      throw error
    }
  }

  // -------------------------------------------------------------------------------------------
  // Revoke (rule 9: at once)

  async revoke(actor: Actor, id: string, now = new Date()) {
    const principal = actor.principal
    if (!principal) throw new NotFoundError()
    const orgIds = principal.adminOrganisations.map((o) => o.id)
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; organisation_id: string; status: MandateStatus; level: string; valid_until: Date; user_id: string }[]>`
        select id, organisation_id, status::text as status, level::text as level, valid_until, user_id from mandates
        where id = ${id}::uuid and kind = 'use' and organisation_id = any(${orgIds}::uuid[])
        for update`
      const before = rows[0]
      if (!before) throw new NotFoundError()
      if (before.status === 'revoked') throw new RuleViolation('mandates:errors.alreadyRevoked')
      const updated = await tx.mandate.update({
        where: { id },
        data: { status: 'revoked', revokedAt: now },
        select: { id: true, status: true, revokedAt: true, organisation: { select: { name: true } }, user: { select: { email: true, firstName: true, lastNamePrefix: true, lastName: true, locale: true } }, service: { select: { name: true } }, provider: { select: { name: true } }, scope: true, level: true },
      })
      await recordAudit(tx, actor, {
        action: 'mandate.revoked',
        organisationId: before.organisation_id,
        subjectType: 'Mandate',
        subjectId: id,
        before: { status: before.status },
        after: { status: 'revoked', revokedAt: now },
      })
      await queueMail(tx, {
        idempotencyKey: `mandate-revoked:${id}`,
        to: updated.user.email,
        template: 'mandate-revoked',
        locale: updated.user.locale,
        data: {
          name: personName(updated.user),
          organisationName: updated.organisation.name,
          scope: updated.scope,
          serviceName: updated.service?.name ?? undefined,
          providerName: updated.provider?.name ?? undefined,
          level: toDbLevel(updated.level),
          revokedAt: isoDate(now),
        },
      })
      return { id, userName: personName(updated.user) }
    })
  }

  // -------------------------------------------------------------------------------------------
  // Activate an expired mandate (rule 9: never a revoked one)

  async activate(actor: Actor, id: string, termYears: number, now = new Date()) {
    const principal = actor.principal
    if (!principal) throw new NotFoundError()
    const orgIds = principal.adminOrganisations.map((o) => o.id)
    const today = todayUtc(now)
    try {
      return await this.db.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; organisation_id: string; user_id: string; status: MandateStatus; level: string; valid_from: Date; valid_until: Date; scope_key: string }[]>`
          select id, organisation_id, user_id, status::text as status, level::text as level, valid_from, valid_until, scope_key from mandates
          where id = ${id}::uuid and kind = 'use' and organisation_id = any(${orgIds}::uuid[])
          for update`
        const m = rows[0]
        if (!m) throw new NotFoundError()
        if (!isTerm(termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
        if (m.status === 'revoked') throw new RuleViolation('mandates:errors.revokedNeverActivated')
        const expired = m.status === 'expired' || (m.status === 'active' && m.valid_until < today)
        if (!expired) throw new RuleViolation('mandates:errors.notExpired')
        const level = fromDbLevel(m.level)
        const org = this.adminOrganisation(principal, m.organisation_id)
        if (levelRank(level) > levelRank(org.level)) throw new RuleViolation('mandates:errors.adminLevel', undefined, { level: toDbLevel(org.level) })
        const holder = await tx.means.findMany({ where: { userId: m.user_id, status: 'active' }, select: { level: true } })
        if (!holder.some((x) => levelRank(x.level) >= levelRank(level))) {
          const best = holder.map((x) => x.level).sort((a, b) => levelRank(b) - levelRank(a))[0]
          throw new RuleViolation('mandates:errors.meansLevel', undefined, { level: best ? toDbLevel(best) : '-' })
        }
        if (m.status === 'expired') {
          const live = await tx.mandate.count({ where: { userId: m.user_id, organisationId: m.organisation_id, kind: 'use', scopeKey: m.scope_key, live: true } })
          if (live > 0) throw new RuleViolation('mandates:errors.liveExists')
        }
        const validUntil = addYearsClamped(today, termYears)
        const updated = await tx.mandate.update({
          where: { id },
          data: { status: 'active', validFrom: today, validUntil },
          select: {
            user: { select: { email: true, firstName: true, lastNamePrefix: true, lastName: true, locale: true } },
            organisation: { select: { name: true } },
            scope: true,
            service: { select: { name: true } },
            provider: { select: { name: true } },
          },
        })
        await recordAudit(tx, actor, {
          action: 'mandate.activated',
          organisationId: m.organisation_id,
          subjectType: 'Mandate',
          subjectId: id,
          before: { status: m.status, validFrom: m.valid_from, validUntil: m.valid_until },
          after: { status: 'active', validFrom: today, validUntil },
        })
        await queueMail(tx, {
          idempotencyKey: `renewal-done:activate:${id}:${isoDate(today)}:${randomUUID()}`,
          to: updated.user.email,
          template: 'renewal-done',
          locale: updated.user.locale,
          data: {
            name: personName(updated.user),
            kind: 'mandate',
            level: toDbLevel(level),
            validUntil: isoDate(validUntil),
            termYears,
            organisationName: updated.organisation.name,
            scope: updated.scope,
            serviceName: updated.service?.name ?? undefined,
            providerName: updated.provider?.name ?? undefined,
          },
        })
        return { id, validUntil, userName: personName(updated.user) }
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.liveExists')
      throw error
    }
  }

  // -------------------------------------------------------------------------------------------
  // Renew (rule 4), one or many: one set-based UPDATE with the rule checks in SQL

  async renew(actor: Actor, selection: RenewSelection, termYears: number, now = new Date()): Promise<RenewOutcome[]> {
    const principal = actor.principal
    if (!principal) throw new NotFoundError()
    if (!isTerm(termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    const today = isoDate(todayUtc(now))
    let target: Prisma.Sql
    if ('ids' in selection) {
      const orgIds = principal.adminOrganisations.map((o) => o.id)
      if (selection.ids.length === 0 || orgIds.length === 0) return []
      target = Prisma.sql`m.id = any(${selection.ids}::uuid[]) and m.kind = 'use' and m.organisation_id = any(${orgIds}::uuid[])`
    } else {
      const scoped = this.filterConditions(principal, selection.filter)
      if (!scoped) return []
      target = Prisma.sql`m.organisation_id = any(${scoped.orgIds}::uuid[]) and m.status = any(${scoped.statuses}::"MandateStatus"[]) and ${Prisma.join(scoped.conditions, ' and ')}`
    }
    const adminOrgIds = principal.adminOrganisations.map((o) => o.id)
    const adminLevels = principal.adminOrganisations.map((o) => toDbLevel(o.level))
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string; organisation_id: string; organisation_name: string; level: string; user_id: string; first_name: string; last_name_prefix: string | null; last_name: string; email: string; locale: string; scope: 'all' | 'provider' | 'service'; service_name: string | null; provider_name: string | null; old_status: MandateStatus; old_from: Date; old_until: Date; new_until: Date; refusal: RenewOutcome['refusal']; renewed: boolean }[]
      >`
        with cand as (
          select m.id, m.organisation_id, m.user_id, m.kind, m.scope_key, m.scope, m.service_id, m.provider_id, m.level,
                 m.status, m.valid_from, m.valid_until,
                 (m.status = 'expired' or m.valid_until < ${today}::date) as was_expired
          from mandates m
          where ${target}
          order by m.id
          for update of m
        ), checked as (
          select c.*,
            (case when c.was_expired then ${today}::date else c.valid_until end + make_interval(years => ${termYears}::int))::date as new_until,
            case
              when c.status = 'revoked' then 'revoked'
              when c.status = 'suspended' then 'suspended'
              when c.level > a.level then 'adminLevel'
              when not exists (select 1 from means mm where mm.user_id = c.user_id and mm.status = 'active' and mm.level >= c.level) then 'meansLevel'
              when (case when c.was_expired then ${today}::date else c.valid_until end + make_interval(years => ${termYears}::int))::date
                   > (${today}::date + interval '5 years')::date then 'tooLong'
              when c.status = 'expired' and exists (
                select 1 from mandates o where o.user_id = c.user_id and o.organisation_id = c.organisation_id
                  and o.kind = c.kind and o.scope_key = c.scope_key and o.live) then 'exists'
            end as refusal
          from cand c
          join unnest(${adminOrgIds}::uuid[], ${adminLevels}::"Level"[]) as a(org_id, level) on a.org_id = c.organisation_id
        ), upd as (
          update mandates m set
            valid_until = ch.new_until,
            valid_from = case when ch.status = 'expired' then ${today}::date else m.valid_from end,
            status = case when ch.status = 'expired' then 'active'::"MandateStatus" else m.status end,
            updated_at = now()
          from checked ch
          where m.id = ch.id and ch.refusal is null
          returning m.id
        )
        select ch.id, ch.organisation_id, o.name as organisation_name, ch.level::text as level, ch.user_id, u.first_name, u.last_name_prefix, u.last_name, u.email, u.locale,
               ch.scope::text as scope, s.name as service_name, coalesce(p.name, sp.name) as provider_name,
               ch.status::text as old_status, ch.valid_from as old_from, ch.valid_until as old_until, ch.new_until, ch.refusal,
               (upd.id is not null) as renewed
        from checked ch
        left join upd on upd.id = ch.id
        join users u on u.id = ch.user_id
        join organisations o on o.id = ch.organisation_id
        left join services s on s.id = ch.service_id
        left join service_providers sp on sp.id = s.provider_id
        left join service_providers p on p.id = ch.provider_id
        order by u.last_name, u.first_name, ch.valid_until, ch.id`
      const renewed = rows.filter((r) => r.renewed)
      const audit: AuditEntry[] = renewed.map((r) => ({
        action: 'mandate.renewed',
        organisationId: r.organisation_id,
        subjectType: 'Mandate',
        subjectId: r.id,
        before: { status: r.old_status, validFrom: r.old_from, validUntil: r.old_until },
        after: { status: r.old_status === 'expired' ? 'active' : r.old_status, validUntil: r.new_until, termYears },
      }))
      await recordAuditMany(tx, actor, audit)
      const batch = randomUUID()
      const byUser = new Map<string, typeof renewed>()
      for (const r of renewed) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r])
      const mails: QueuedMail[] = [...byUser.values()].map((list) => ({
        idempotencyKey: `renewal-done:${batch}:${list[0]!.user_id}`,
        to: list[0]!.email,
        template: 'renewal-done',
        locale: list[0]!.locale,
        // One mail per holder: the template lists the mandates; `count` picks the plural subject.
        data: {
          name: personName({ firstName: list[0]!.first_name, lastNamePrefix: list[0]!.last_name_prefix, lastName: list[0]!.last_name }),
          kind: 'mandate',
          termYears,
          count: list.length,
          mandates: list.map((r) => ({
            organisationName: r.organisation_name,
            scope: r.scope,
            serviceName: r.service_name ?? undefined,
            providerName: r.provider_name ?? undefined,
            level: r.level,
            validUntil: isoDate(r.new_until),
          })),
        },
      }))
      await queueMails(tx, mails)
      return rows.map((r) => ({
        id: r.id,
        userName: personName({ firstName: r.first_name, lastNamePrefix: r.last_name_prefix, lastName: r.last_name }),
        organisationName: r.organisation_name,
        scope: r.scope,
        serviceName: r.service_name,
        providerName: r.provider_name,
        oldUntil: r.old_until,
        newUntil: r.renewed ? r.new_until : null,
        refusal: r.renewed ? null : (r.refusal ?? 'exists'),
      }))
    })
  }
}
