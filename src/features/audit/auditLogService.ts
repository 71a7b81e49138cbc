// Beheer → Logboek: reading the audit trail. Admins see the entries of the organisations they
// administer (scoped in SQL), the back office sees everything, including the entries without an
// organisation (logins, failed logins, logouts, second-factor enrolment, password resets).
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts'
import type { Principal } from '../../shared/principal.ts'
import type { TFunction } from 'i18next'
import { organisationScope } from '../../policy/access.ts'
import { AUDIT_ACTIONS, ORGANISATION_AUDIT_ACTIONS, storedActions, type AuditAction } from '../../domain/auditActions.ts'
import { auditNames, type AuditNames } from '../../shared/auditSubjects.ts'
import { escapeLike } from '../../shared/userSearch.ts'
import { inOrganisationSet } from '../../shared/organisationSet.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import type { AuditRow } from '../../shared/audit.ts'
import { ORGANISATION_SELECT_MAX, wantedOrganisation } from '../../web/organisationChoice.ts'

type OrganisationOption = { id: string; name: string; kvkNumber: string }

export type AuditFilter = {
  organisationId?: string
  user?: string
  action?: AuditAction
  from?: Date
  /** exclusive */
  until?: Date
}

export type { AuditRow } from '../../shared/audit.ts'

/** A page of the API's `GET /api/v1/audit-events`; Logboek shows 25, 50 or 100 (src/shared/pageSizes.ts). */
export const PAGE_SIZE = 50

/**
 * From how many organisations a page is chosen in two rounds (`mergedIds`) instead of a page from
 * every organisation. The first round reads `share` × a page spread over the organisations, at least
 * `firstRound` entries of each. Before either, a page is looked for in the newest `walk` × a page
 * entries of everyone (`walkIds`; 0: never). Tests set other values to reach every branch with few
 * organisations.
 */
export type AuditMerge = { fromOrganisations: number; firstRound: number; share: number; walk: number }
export const AUDIT_MERGE: AuditMerge = { fromOrganisations: 20, firstRound: 2, share: 2, walk: 100 }

/** How long (ms) a kind of page whose walk found less than a page is read without one. */
const WALK_RETRY_MS = 60_000

/** How many look-backs (`AuditLogService.lookbacks`) a process keeps before it starts again. */
const LOOKBACKS_KEPT = 10_000

/** Conditions as the `and …` that follows a where clause, or nothing. */
function andAll(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`and ${Prisma.join(conditions, ' and ')}` : Prisma.empty
}

/** One scan per stored name of the filtered action (`s.action`), or nothing without an action filter. */
function perAction(actions: string[] | null): Prisma.Sql {
  return actions ? Prisma.sql`cross join unnest(${actions}::text[]) as s(action)` : Prisma.empty
}

export class AuditLogService {
  /**
   * Per admin, filter, page kind (first or after a cursor) and size: how far back from the page's
   * start a recent page of it reached (ms), learned in this process. Over many organisations the
   * page is first read from that window only (`windowIds`), twice as deep.
   */
  private readonly lookbacks = new Map<string, number>()

  /** Per kind of page (as `lookbacks`): when its walk last found less than a page. */
  private readonly walkMisses = new Map<string, number>()

  constructor(
    private readonly db: PrismaClient,
    /** For the names of a page's actors and subjects (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
    private readonly merge: AuditMerge = AUDIT_MERGE,
  ) {}

  /**
   * The filters on alias `a` (the organisation scope is applied by `ids`). `byAction`: the action is
   * matched by the caller's scan (one per stored name of it), not here.
   */
  private conditions(filter: AuditFilter, before?: bigint, byAction = false): Prisma.Sql[] {
    const and: Prisma.Sql[] = []
    if (filter.user) and.push(Prisma.sql`a.actor_label ilike ${`%${escapeLike(filter.user)}%`}`)
    if (filter.action && !byAction) and.push(Prisma.sql`a.action = any(${storedActions(filter.action)}::text[])`)
    if (filter.from) and.push(Prisma.sql`a.at >= ${filter.from}`)
    if (filter.until) and.push(Prisma.sql`a.at < ${filter.until}`)
    // The cursor is an entry's id (the links and the API keep that form); the page order is (at, id),
    // so the position is that entry's (at, id), looked up once per statement.
    if (before !== undefined) and.push(Prisma.sql`(a.at, a.id) < (select c.at, c.id from audit_events c where c.id = ${before.toString()}::bigint)`)
    return and
  }

  /**
   * The ids of one page, newest first (by `at`, then id), as SQL to select from, for fewer than
   * `fromOrganisations` organisations (more: `mergedPage`): one bounded scan of the index
   * (organisation_id, at, id) per organisation, merged, not a walk backwards through everyone's
   * entries; a period is a range of that same index, so it stops after a page too, however many
   * entries the period holds (ordered by id, PostgreSQL read all of them to sort them). With an
   * action, one scan per organisation and stored name of the action, of (organisation_id, action, at,
   * id): a rare action costs a page, not a read of every entry the organisation has.
   */
  private scopedIds(organisations: string[], where: Prisma.Sql, take: number, actions: string[] | null): Prisma.Sql {
    const byAction = perAction(actions)
    const action = actions ? Prisma.sql`and a.action = s.action` : Prisma.empty
    return Prisma.sql`
      select x.id from unnest(${organisations}::uuid[]) as o(id)
      ${byAction}
      cross join lateral (
        select a.at, a.id from audit_events a where a.organisation_id = o.id ${action} ${where} order by a.at desc, a.id desc limit ${take}
      ) x
      order by x.at desc, x.id desc limit ${take}`
  }

  /**
   * The ids of one page over many organisations (an accountant's 500), in two rounds instead of a
   * page from each (500 × 51 index entries). First the newest `k` entries of each organisation (and
   * stored action name), k = 2·take / organisations, at least 2. The take-th newest of those, `bound`, is
   * no newer than the page's last entry, so the page is among the entries at or above it: those of
   * the first round, and, only for an organisation whose k-th entry is still at or above it (it may
   * have more), its next entries down to `bound`. Without a bound (the first round found fewer than a
   * page) every organisation that gave k entries is read on, up to a page.
   */
  private mergedIds(organisations: string[], where: Prisma.Sql, take: number, actions: string[] | null): Prisma.Sql {
    const k = Math.min(take, Math.max(this.merge.firstRound, Math.ceil((this.merge.share * take) / organisations.length)))
    const byAction = perAction(actions)
    const action = actions ? Prisma.sql`s.action` : Prisma.sql`null::text`
    const sameAction = (alias: string) => (actions ? Prisma.sql`and a.action = ${Prisma.raw(alias)}.action` : Prisma.empty)
    const limit = Prisma.raw(String(take))
    const first = Prisma.raw(String(k))
    return Prisma.sql`
      with firsts as materialized (
        select o.id as org, ${action} as action, x.at, x.id,
               row_number() over (partition by o.id, ${action} order by x.at desc, x.id desc) as n
        from unnest(${organisations}::uuid[]) as o(id)
        ${byAction}
        cross join lateral (
          select a.at, a.id from audit_events a where a.organisation_id = o.id ${sameAction('s')} ${where}
          order by a.at desc, a.id desc limit ${first}
        ) x
      ), bound as materialized (
        select f.at, f.id from firsts f order by f.at desc, f.id desc offset ${take - 1} limit 1
      ), more as (
        select f.org, f.action, f.at, f.id from firsts f
        where f.n = ${first} and (not exists (select 1 from bound) or (f.at, f.id) >= (select b.at, b.id from bound b))
      )
      select y.id from (
        select f.at, f.id from firsts f
        union all
        select z.at, z.id from more m
        cross join lateral (
          select a.at, a.id from audit_events a
          where a.organisation_id = m.org ${sameAction('m')} ${where}
            and (a.at, a.id) < (m.at, m.id)
            and (not exists (select 1 from bound) or (a.at, a.id) >= (select b.at, b.id from bound b))
          order by a.at desc, a.id desc limit ${limit}
        ) z
      ) y
      order by y.at desc, y.id desc limit ${limit}`
  }

  /**
   * One page of entries with their organisation, in one statement through the page-read pool for
   * admins (keyed, bounded scans: the generic plan is the right one). The back office without an
   * organisation filter reads the index (at, id) backwards; its ids are read first through Prisma,
   * planned for the filter's values.
   */
  private async fetch(principal: Principal, filter: AuditFilter, before: bigint | undefined, take: number): Promise<AuditRow[]> {
    const scope = organisationScope(principal, { backofficeSeesAll: true })
    const organisations = filter.organisationId ? (scope ?? [filter.organisationId]).filter((id) => id === filter.organisationId) : scope
    if (organisations?.length === 0) return []
    if (organisations && organisations.length >= this.merge.fromOrganisations) return this.mergedPage(principal, organisations, filter, before, take)
    const where = andAll(this.conditions(filter, before, Boolean(organisations && filter.action)))
    let page: Prisma.Sql
    if (organisations) {
      page = this.scopedIds(organisations, where, take, filter.action ? storedActions(filter.action) : null)
    } else {
      const ids = await this.db.$queryRaw<{ id: bigint }[]>`select a.id from audit_events a where true ${where} order by a.at desc, a.id desc limit ${take}`
      if (ids.length === 0) return []
      page = Prisma.sql`select unnest(${ids.map((r) => r.id.toString())}::bigint[]) as id`
    }
    return this.entries(page)
  }

  /** The entries of the ids `page` selects, newest first, with their organisation. */
  private entries(page: Prisma.Sql): Promise<AuditRow[]> {
    return this.pageReads.rows<AuditRow>(Prisma.sql`
      with page as (${page})
      select a.id::text as id, a.at, a.actor_id as "actorId", a.actor_label as "actorLabel", a.action, a.subject_type as "subjectType",
             a.subject_id as "subjectId", a.before, a.after, a.ip_address as "ipAddress", a.request_id as "requestId",
             o.name as "organisationName", o.kvk_number as "kvkNumber"
      from page p
      join audit_events a on a.id = p.id
      left join organisations o on o.id = a.organisation_id
      order by a.at desc, a.id desc`)
  }

  /**
   * A page over many organisations (an accountant's 500). The two rounds of `mergedIds` cost an index
   * descent per organisation and a lateral scan each (about 3 µs of database time apiece). So the page
   * is first looked for among the newest entries of everyone (`walkIds`: at most `walk` × a page of
   * them, read in page order from one index, without a table row each): an admin whose organisations
   * write a few percent of all entries finds his page there. A kind of page whose walk fell short (his
   * organisations are quiet, a burst of others' entries, a rare action, the end of the log) is read
   * without a walk for a minute. The user filter tests a column the walk's index lacks, so it never
   * walks. Next, when a recent page of the same kind says how far back a page reaches, the page is read
   * from that window, twice as deep, as one scan of (organisation_id, at, id) for all organisations at
   * once (`windowIds`): a full page from it is exact, since every entry outside the window is older than
   * every entry in it. Fewer than a page falls back to the two rounds. Either way the depth the page
   * reached is kept for the next one.
   */
  private async mergedPage(principal: Principal, organisations: string[], filter: AuditFilter, before: bigint | undefined, take: number): Promise<AuditRow[]> {
    const key = JSON.stringify([principal.id, filter.organisationId, filter.user, filter.action, filter.from, filter.until, before !== undefined, take])
    // Where a page starts: after the cursor, or at the end of the period (now without one).
    const start = before === undefined ? Math.min(Date.now(), filter.until?.getTime() ?? Infinity) : undefined
    const missed = this.walkMisses.get(key)
    if (this.merge.walk > 0 && !filter.user && (missed === undefined || Date.now() - missed > WALK_RETRY_MS)) {
      const rows = await this.entries(this.walkIds(organisations, filter, before, take))
      if (rows.length === take) {
        this.walkMisses.delete(key)
        return this.learn(key, rows, take, start)
      }
      if (this.walkMisses.size >= LOOKBACKS_KEPT) this.walkMisses.clear()
      this.walkMisses.set(key, Date.now())
    }
    const lookback = this.lookbacks.get(key)
    if (lookback !== undefined) {
      const rows = await this.entries(this.windowIds(organisations, filter, before, take, start, 2 * lookback + 1000))
      if (rows.length === take) return this.learn(key, rows, take, start)
    }
    const where = andAll(this.conditions(filter, before, Boolean(filter.action)))
    const page = this.mergedIds(organisations, where, take, filter.action ? storedActions(filter.action) : null)
    return this.learn(key, await this.entries(page), take, start)
  }

  /**
   * The newest `take` ids of the organisations (and action) among the newest `walk` × `take` entries
   * of everyone in the period, after the cursor: one backward range of audit_events_recent_idx (at, id)
   * INCLUDE (organisation_id, action), which holds every column tested, so no table row is read for an
   * entry that is not kept. Exact only when it gives a full page (every entry it did not read is older
   * than every entry it kept). The organisations are a hashed set (inOrganisationSet), tested on the
   * walked entries: a plain IN would be turned into a join that reads the whole walk to sort it.
   */
  private walkIds(organisations: string[], filter: AuditFilter, before: bigint | undefined, take: number): Prisma.Sql {
    const actions = filter.action ? storedActions(filter.action) : null
    const action = actions ? Prisma.sql`and w.action = any(${actions}::text[])` : Prisma.empty
    const range = andAll(this.conditions({ from: filter.from, until: filter.until }, before))
    return Prisma.sql`
      select w.id from (
        select a.at, a.id, a.organisation_id, a.action from audit_events a
        where true ${range}
        order by a.at desc, a.id desc limit ${Prisma.raw(String(take * this.merge.walk))}
      ) w
      where ${inOrganisationSet('w.organisation_id', organisations)} ${action}
      order by w.at desc, w.id desc limit ${Prisma.raw(String(take))}`
  }

  /** Keeps how far back from `start` (or, after a cursor, from the page's first entry) a full page reached. */
  private learn(key: string, rows: AuditRow[], take: number, start: number | undefined): AuditRow[] {
    const first = rows[0]
    const last = rows[rows.length - 1]
    // Fewer than a page is the end of the log: no window finds a full page there.
    if (!first || !last || rows.length < take) {
      this.lookbacks.delete(key)
      return rows
    }
    if (this.lookbacks.size >= LOOKBACKS_KEPT) this.lookbacks.clear()
    this.lookbacks.set(key, Math.max(0, (start ?? first.at.getTime()) - last.at.getTime()))
    return rows
  }

  /**
   * The newest `take` ids of the organisations, within `depth` ms before the page's start (`start`,
   * or the cursor entry's time), with the filters: one index scan for all organisations (and stored
   * names of the action), sorted. Exact only when it gives a full page.
   */
  private windowIds(
    organisations: string[],
    filter: AuditFilter,
    before: bigint | undefined,
    take: number,
    start: number | undefined,
    depth: number,
  ): Prisma.Sql {
    const from =
      start === undefined
        ? Prisma.sql`(select c.at from audit_events c where c.id = ${before!.toString()}::bigint) - ${depth / 1000}::float8 * interval '1 second'`
        : Prisma.sql`${new Date(start - depth)}::timestamptz`
    return Prisma.sql`
      select a.id from audit_events a
      where a.organisation_id = any(${organisations}::uuid[]) and a.at >= ${from} ${andAll(this.conditions(filter, before))}
      order by a.at desc, a.id desc limit ${take}`
  }

  /** One page of `size` entries, newest first, after the cursor (keyset: `(at, id)` below the cursor entry's). */
  async page(principal: Principal, filter: AuditFilter, cursor?: bigint, size: number = PAGE_SIZE): Promise<{ rows: AuditRow[]; next: string | null }> {
    const rows = await this.fetch(principal, filter, cursor, size + 1)
    const more = rows.length > size
    const shown = rows.slice(0, size)
    return { rows: shown, next: more ? shown[shown.length - 1]!.id : null }
  }

  /** Every matching entry (older than `start`, when given), in batches (the CSV export, the API's NDJSON). */
  async *all(principal: Principal, filter: AuditFilter, batch = 1000, start?: bigint): AsyncGenerator<AuditRow[]> {
    let cursor: bigint | undefined = start
    for (;;) {
      const rows = await this.fetch(principal, filter, cursor, batch)
      if (rows.length === 0) return
      yield rows
      if (rows.length < batch) return
      cursor = BigInt(rows[rows.length - 1]!.id)
    }
  }

  /** The names and pages of the actors and subjects of `rows` (for the sentences). */
  names(principal: Principal, t: TFunction, rows: AuditRow[]): Promise<AuditNames> {
    return auditNames(this.pageReads, principal, t, rows)
  }

  /**
   * The choices of the filter form: every action the app writes, and the organisations its
   * "Organisatie" field chooses from (src/web/organisationChoice.ts): an admin's own; for the back
   * office all of them while they fit a select, else those whose name or KvK number fits what was
   * typed (`typed`; at most 200), and `searchAll` so the page shows a search field over all of them.
   */
  async filterOptions(
    principal: Principal,
    typed?: unknown,
  ): Promise<{ organisations: readonly OrganisationOption[]; searchAll: boolean; actions: readonly AuditAction[] }> {
    // An admin sees his organisations' entries only: the personal actions never belong to one.
    if (organisationScope(principal, { backofficeSeesAll: true })) {
      return { organisations: principal.adminOrganisations, searchAll: false, actions: ORGANISATION_AUDIT_ACTIONS }
    }
    const actions = AUDIT_ACTIONS
    const select = { id: true, name: true, kvkNumber: true } as const
    const orderBy = [{ name: 'asc' as const }, { id: 'asc' as const }]
    const few = await this.db.organisation.findMany({ select, orderBy, take: ORGANISATION_SELECT_MAX + 1 })
    if (few.length <= ORGANISATION_SELECT_MAX) return { organisations: few, searchAll: false, actions }
    const wanted = wantedOrganisation(typed)
    const where: Prisma.OrganisationWhereInput | null =
      wanted.kind === 'id'
        ? { id: wanted.id }
        : wanted.kind === 'kvk'
          ? { kvkNumber: wanted.kvk }
          : wanted.kind === 'name'
            ? { OR: [{ name: { contains: wanted.name, mode: 'insensitive' } }, ...(wanted.digits ? [{ kvkNumber: { startsWith: wanted.name } }] : [])] }
            : null
    const organisations = where ? await this.db.organisation.findMany({ select, where, orderBy, take: 200 }) : []
    return { organisations, searchAll: true, actions }
  }
}
