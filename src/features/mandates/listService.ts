// Machtigingen: the list (one keyset-paginated statement per page, see docs/ARCHITECTURE.md "The hot
// path") and one mandate for the confirmation pages. Scoped in SQL to the admin's organisations (rule 7).
import { Prisma } from '../../generated/prisma/client.ts'
import type { MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { NotFoundError } from '../../errors.ts'
import { addMonths, isoDate, todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, levelRank } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { MANDATE_STATUSES } from '../../domain/statuses.ts'
import { EXPIRY_NOTICE_MONTHS } from '../../domain/terms.ts'
import type { AdminOrganisation, Principal } from '../../shared/principal.ts'
import { CatalogueNamesCache, namesKnow, type CatalogueNames } from '../../shared/catalogueNames.ts'
import { holderName, type Cursor, type HolderColumns, type ListFilter, type MandateRow } from './model.ts'
import { pageSizeOf } from '../../shared/pageSizes.ts'
import { adminOrganisationIds, adminOrganisationsById } from '../../policy/access.ts'
import { filterConditions, statusesOf } from './scoping.ts'
import { SearchTrigramsCache } from '../../shared/searchTrigrams.ts'
import { walkSql, walkedIds, type WalkRow } from './listWalk.ts'
import { INDEX_WALK, type IndexWalk } from '../../shared/indexWalk.ts'
import { inOrganisationSet } from '../../shared/organisationSet.ts'

type RawRow = HolderColumns & {
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

export type MandatePage = { rows: MandateRow[]; next: Cursor | null; previous: Cursor | null }

/** The page query's parts that depend on the filter, the sort and the cursor. */
type PageQuery = { orgIds: string[]; statuses: MandateStatus[]; allStatuses: boolean; conditions: Prisma.Sql[]; ascending: boolean; pageSize: number }

/** The ids of one page: per organisation (and status) a bounded scan, merged. */
function organisationScansSql(q: PageQuery): Prisma.Sql {
  const order = q.ascending ? Prisma.sql`asc` : Prisma.sql`desc`
  const where = Prisma.join(q.conditions, ' and ')
  const statuses = q.allStatuses ? Prisma.sql`` : Prisma.sql`cross join unnest(${q.statuses}::"MandateStatus"[]) as s(status)`
  const statusCondition = q.allStatuses ? Prisma.sql`true` : Prisma.sql`m.status = s.status`
  // The limit is written into the SQL, not bound: with a bound limit, the generic plan guesses the
  // page at 10 % of everything the scans could give, and joins users by hashing all of them (about
  // twice the work at 25 rows). One of three known numbers, so three prepared statements at most.
  const limit = Prisma.raw(String(q.pageSize + 1))
  // The scans read keys only (index-only on the list indexes, which INCLUDE kind, level and status:
  // migration *_mandates_list_covering); the page's rows are fetched by id afterwards.
  return Prisma.sql`
        select k.id from unnest(${q.orgIds}::uuid[]) as o(id)
        ${statuses}
        cross join lateral (
          select m.valid_until, m.id
          from mandates m
          where m.organisation_id = o.id and ${statusCondition} and ${where}
          order by m.valid_until ${order}, m.id ${order}
          limit ${limit}
        ) k
        order by k.valid_until ${order}, k.id ${order}
        limit ${limit}`
}

/**
 * The ids of one page for a user search over many organisations (an accountant's 500): per matching
 * user (at most 500) a bounded scan of that user's mandates (mandates_one_live_per_scope starts with
 * user_id), kept when of one of the admin's organisations, merged. Per organisation and status, the
 * search cost 500 × 2 index descents a page (3 ms of database time under load) for the few people a
 * search finds. A user's mandates are few (one per service and organisation at most), whatever the
 * size of the organisations. The organisations are a hashed set tested on the user's rows
 * (inOrganisationSet; as a join, PostgreSQL probed the user's index once per organisation: 55 ms for
 * a search that finds 100 people).
 */
function personScansSql(q: {
  users: Prisma.Sql
  orgIds: string[]
  statuses: MandateStatus[]
  conditions: Prisma.Sql[]
  ascending: boolean
  pageSize: number
}): Prisma.Sql {
  const order = q.ascending ? Prisma.sql`asc` : Prisma.sql`desc`
  const where = Prisma.join(q.conditions, ' and ')
  const limit = Prisma.raw(String(q.pageSize + 1))
  return Prisma.sql`
        select k.id from unnest(${q.users}) as p(id)
        cross join lateral (
          select m.valid_until, m.id
          from mandates m
          where m.user_id = p.id and m.status = any(${q.statuses}::"MandateStatus"[])
            and ${inOrganisationSet('m.organisation_id', q.orgIds)} and ${where}
          order by m.valid_until ${order}, m.id ${order}
          limit ${limit}
        ) k
        order by k.valid_until ${order}, k.id ${order}
        limit ${limit}`
}

/** One page of mandates: the rows of `keys` (a query of at most `pageSize + 1` ids), in page order. */
function pageSql(keys: Prisma.Sql, ascending: boolean): Prisma.Sql {
  const order = ascending ? Prisma.sql`asc` : Prisma.sql`desc`
  return Prisma.sql`
      with keys as (${keys}), page as (
        select m.id, m.user_id, m.organisation_id, m.scope, m.service_id, m.provider_id, m.level, m.branch_id,
               m.valid_from, m.valid_until, m.status
        from keys join mandates m on m.id = keys.id
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
      order by p.valid_until ${order}, p.id ${order}`
}

/** A row of the page as the list shows it, with the names of its organisation and catalogue entries. */
function toMandateRow(r: RawRow, organisations: ReadonlyMap<string, AdminOrganisation>, names: CatalogueNames, today: Date, twoMonths: Date): MandateRow {
  const level = fromDbLevel(r.level)
  const organisation = organisations.get(r.organisation_id)
  const adminLevel = organisation?.level
  return {
    id: r.id,
    userId: r.user_id,
    userName: holderName(r),
    userEmail: r.email,
    organisationId: r.organisation_id,
    organisationName: organisation?.name ?? '',
    scope: r.scope,
    serviceName: (r.service_id && names.services.get(r.service_id)?.name) || null,
    providerName: (r.provider_id ? names.providers.get(r.provider_id) : r.service_id && names.services.get(r.service_id)?.providerName) || null,
    level,
    branchName: r.branch_name,
    branchNumber: r.branch_number,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    status: r.status,
    expired: r.status === 'expired' || (r.status === 'active' && r.valid_until < today),
    expiringSoon: (r.status === 'active' || r.status === 'pending') && r.valid_until >= today && r.valid_until <= twoMonths,
    canRenew: r.status !== 'revoked' && r.status !== 'suspended' && adminLevel !== undefined && levelRank(level) <= levelRank(adminLevel),
  }
}

/** The cursors of the pages around this one. Forward: a next page when there was one more row; a previous page whenever we came from a cursor. */
function pageCursors(rows: MandateRow[], more: boolean, cursor: Cursor | null, reverse: boolean): { next: Cursor | null; previous: Cursor | null } {
  const key = (row: MandateRow | undefined): { date: string; id: string } | null => (row ? { date: isoDate(row.validUntil), id: row.id } : null)
  const first = key(rows[0])
  const last = key(rows[rows.length - 1])
  const hasNext = reverse ? Boolean(cursor) : more
  const hasPrevious = reverse ? more : Boolean(cursor)
  return {
    next: hasNext && last ? { direction: 'after' as const, ...last } : null,
    previous: hasPrevious && first ? { direction: 'before' as const, ...first } : null,
  }
}

export class MandateListService {
  private readonly catalogueNames: CatalogueNamesCache

  constructor(
    private readonly db: PrismaClient,
    /** For the list's read queries, which run on every list page (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
    /** When the list walks all organisations' mandates first, and how far (listWalk.ts; tests choose others). */
    private readonly walk: IndexWalk = INDEX_WALK,
  ) {
    this.catalogueNames = new CatalogueNamesCache(pageReads)
    this.searchTrigrams = new SearchTrigramsCache(pageReads)
  }

  /** For the user filter (src/shared/searchTrigrams.ts). */
  private readonly searchTrigrams: SearchTrigramsCache

  /**
   * The whole catalogue for the list's "Dienst" filter, by name: the same names the rows use, kept a
   * minute (see catalogueNames.ts). The same object until the names are read again, so the options
   * made from it are kept too (listView.ts).
   */
  async catalogueForFilter() {
    return (await this.catalogueNames.get()).sorted
  }

  /**
   * One page, keyset-paginated on (valid_until, id). Per organisation (and status) a LATERAL index
   * scan takes at most one page, so a page costs the same at the start and deep in a list of 100,000.
   */
  async list(principal: Principal, filter: ListFilter, cursor: Cursor | null, now = new Date()): Promise<MandatePage> {
    // All statuses ("Toon ook inactieve machtigingen"): one scan per organisation of
    // mandates(organisation_id, valid_until, id), which INCLUDEs kind, level and status. Fewer statuses:
    // a scan of mandates(organisation_id, status, valid_until, id) per organisation and status, so rows
    // of other statuses are never read past, however many there are.
    const allStatuses = MANDATE_STATUSES.every((status) => statusesOf(filter).includes(status))
    const commonTrigrams = filter.user?.trim() ? await this.searchTrigrams.get() : undefined
    const scoped = filterConditions(principal, filter, { scopeIndexed: false, commonTrigrams })
    if (!scoped) return { rows: [], next: null, previous: null }
    const descending = filter.sort === 'end-desc'
    // Walking backwards ("before") runs the query in the opposite order, then reverses.
    const reverse = cursor?.direction === 'before'
    const ascending = descending === reverse
    const position = cursor
      ? ascending
        ? Prisma.sql`(m.valid_until, m.id) > (${cursor.date}::date, ${cursor.id}::uuid)`
        : Prisma.sql`(m.valid_until, m.id) < (${cursor.date}::date, ${cursor.id}::uuid)`
      : null
    const conditions = position ? [...scoped.conditions, position] : scoped.conditions
    const pageSize = pageSizeOf(filter.pageSize)
    const manyOrganisations = scoped.orgIds.length >= this.walk.fromOrganisations
    // Over many organisations, or for one service ("Dienst"), a walk of all organisations' mandates in
    // page order first (listWalk.ts); not for a person, whose mandates are too rare among everyone's:
    // over many organisations those are read per person (personScansSql).
    const walked =
      !scoped.users && (filter.scope || manyOrganisations)
        ? walkedIds(
            await this.pageReads.rows<WalkRow>(
              walkSql({
                orgIds: scoped.orgIds,
                statuses: scoped.statuses,
                scope: filter.scope ?? null,
                match: scoped.conditions,
                position,
                ascending,
                limit: pageSize + 1,
                cap: this.walk.cap,
              }),
            ),
            { limit: pageSize + 1, ascending },
          )
        : null
    const keys = walked
      ? Prisma.sql`select k.id from unnest(${walked}::uuid[]) as k(id)`
      : scoped.users && manyOrganisations
        ? personScansSql({
            users: scoped.users,
            orgIds: scoped.orgIds,
            statuses: scoped.statuses,
            conditions: position ? [...scoped.others, position] : scoped.others,
            ascending,
            pageSize,
          })
        : organisationScansSql({ orgIds: scoped.orgIds, statuses: scoped.statuses, allStatuses, conditions, ascending, pageSize })
    const raw = await this.pageReads.rows<RawRow>(pageSql(keys, ascending))
    const more = raw.length > pageSize
    const pageRows = raw.slice(0, pageSize)
    if (reverse) pageRows.reverse()
    // Names of the organisations (the principal's) and of the catalogue (kept in memory) are not
    // joined in SQL: see catalogueNames.ts.
    const organisations = adminOrganisationsById(principal)
    const names = await this.catalogueNames.get((known) => pageRows.every((r) => namesKnow(known, r.service_id, r.provider_id)))
    const today = todayUtc(now)
    const twoMonths = addMonths(today, EXPIRY_NOTICE_MONTHS)
    const rows = pageRows.map((r) => toMandateRow(r, organisations, names, today, twoMonths))
    return { rows, ...pageCursors(rows, more, cursor, reverse) }
  }

  /** One mandate of the actor's organisations, for the confirmation pages; else 404. */
  async getForAdmin(principal: Principal, id: string, now = new Date()) {
    const mandate = await this.db.mandate.findFirst({
      where: { id, kind: 'use', organisationId: { in: adminOrganisationIds(principal) } },
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
}
