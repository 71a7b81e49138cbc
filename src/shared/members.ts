// An organisation's members in name order, read from the index (organisation_id, last_name,
// first_name) INCLUDE (user_id) on organisation_links (and former_links for afgemelde people), where triggers
// keep the person's names (migration *_member_names). For several organisations (an accountant's
// 500) each is one bounded index scan of at most `offset + limit` rows, merged: the first N distinct
// members of the union are among the first N of each organisation, so nothing grows with the size of
// an organisation or of the users table. Used by Gebruikers and the wizard's user step.
//
// Gebruikers over many organisations (an accountant's 500: 500 scans of up to a page each, 13,000
// rows made distinct and sorted for 25) first walks every organisation's links in name order on
// organisation_links (last_name, first_name, user_id) INCLUDE (organisation_id) and keeps the rows of
// the admin's organisations, as Machtigingen does (src/features/mandates/listWalk.ts): at most `cap`
// entries, and when a capped walk has not found the page, the scans per organisation serve it.
import { Prisma } from '../generated/prisma/client.ts'
import type { PageReads } from '../db/pageReads.ts'
import { INDEX_WALK, type IndexWalk } from './indexWalk.ts'

/** A position in name order: (last name, first name, user id), as the lists' keyset cursors hold it. */
export type NamePosition = { lastName: string; firstName: string; userId: string }

export type MemberQuery = {
  organisationIds: string[]
  /** Also the people afgemeld from these organisations (former_links). */
  former?: boolean
  /** Only members after this position (keyset paging). */
  after?: NamePosition | null
  /** A further condition on the member, on alias `l` (its `l.user_id`). */
  condition?: Prisma.Sql
  offset?: number
  limit: number
}

function scan(table: 'organisation_links' | 'former_links', q: MemberQuery, take: number): Prisma.Sql {
  // The index is (organisation_id, last_name, first_name) INCLUDE (user_id): the first comparison is
  // its range condition, the second the exact keyset (ties on both names, by user id).
  const after = q.after
    ? Prisma.sql`and (l.last_name, l.first_name) >= (${q.after.lastName}, ${q.after.firstName})
        and (l.last_name, l.first_name, l.user_id) > (${q.after.lastName}, ${q.after.firstName}, ${q.after.userId}::uuid)`
    : Prisma.empty
  const condition = q.condition ? Prisma.sql`and ${q.condition}` : Prisma.empty
  return Prisma.sql`select x.user_id, x.last_name, x.first_name
    from unnest(${q.organisationIds}::uuid[]) as o(id)
    cross join lateral (
      select l.user_id, l.last_name, l.first_name from ${Prisma.raw(table)} l
      where l.organisation_id = o.id ${after} ${condition}
      order by l.last_name, l.first_name, l.user_id
      limit ${take}
    ) x`
}

/**
 * A query of `user_id, last_name, first_name` of the members (distinct people) in name order, paged
 * by `after` and/or `offset`; use it as a subquery (`from (${membersInNameOrder(…)}) c`).
 */
export function membersInNameOrder(q: MemberQuery): Prisma.Sql {
  const take = (q.offset ?? 0) + q.limit
  const sources = q.former ? Prisma.sql`${scan('organisation_links', q, take)} union ${scan('former_links', q, take)}` : scan('organisation_links', q, take)
  return Prisma.sql`select distinct c.user_id, c.last_name, c.first_name from (${sources}) c
    order by c.last_name, c.first_name, c.user_id
    limit ${q.limit} offset ${q.offset ?? 0}`
}

/** The longest page the walk is tried for (Gebruikers shows 25; the export asks thousands). */
const WALK_ROWS = 500

type WalkedLink = { user_id: string; matched: boolean; last: boolean }

/**
 * The first `cap` links of all organisations in name order (after the position), numbered; of those
 * the people linked to the admin's organisations (who meet the condition) and the one whose link is
 * numbered `cap`, at most `emitted` people.
 */
function walkSql(q: MemberQuery, cap: number, emitted: number): Prisma.Sql {
  const after = q.after
    ? Prisma.sql`where (l.last_name, l.first_name) >= (${q.after.lastName}, ${q.after.firstName})
        and (l.last_name, l.first_name, l.user_id) > (${q.after.lastName}, ${q.after.firstName}, ${q.after.userId}::uuid)`
    : Prisma.empty
  const condition = q.condition ? Prisma.sql`and ${q.condition}` : Prisma.empty
  // A person linked to several of the organisations is one row (grouped in walk order, so the walk
  // still stops as soon as the page is found).
  return Prisma.sql`select x.user_id, bool_or(x.matched) as matched, bool_or(x.last) as last from (
      select l.user_id, l.last_name, l.first_name,
             (l.organisation_id in (select unnest(${q.organisationIds}::uuid[])) ${condition}) as matched,
             row_number() over (order by l.last_name, l.first_name, l.user_id) = ${Prisma.raw(String(cap))} as last
      from organisation_links l ${after}
      order by l.last_name, l.first_name, l.user_id
      limit ${Prisma.raw(String(cap))}
    ) x
    where x.matched or x.last
    group by x.last_name, x.first_name, x.user_id
    order by x.last_name, x.first_name, x.user_id
    limit ${Prisma.raw(String(emitted))}`
}

/**
 * The page's people from the walk's rows (one a person, in name order), or null when the walk cannot
 * tell them: it reached its cap before the page was full.
 */
function walkedMembers(rows: WalkedLink[], emitted: number, offset: number, limit: number): string[] | null {
  const people = rows.filter((r) => r.matched).map((r) => r.user_id)
  const complete = rows.length < emitted && !rows.some((r) => r.last)
  if (!complete && people.length < offset + limit) return null
  return people.slice(offset, offset + limit)
}

/**
 * A query of the page's members (`user_id`, in name order) for `from (${…}) c`: the walked ids over
 * many organisations when the walk could tell them, else `membersInNameOrder`.
 */
export async function membersPage(reads: PageReads, q: MemberQuery, walk: IndexWalk = INDEX_WALK): Promise<Prisma.Sql> {
  const offset = q.offset ?? 0
  const emitted = offset + q.limit + 1
  // Not for afgemelde people too (former_links has no such index), nor for a long list (the export).
  if (q.former || q.organisationIds.length < walk.fromOrganisations || emitted > WALK_ROWS) return membersInNameOrder(q)
  const ids = walkedMembers(await reads.rows<WalkedLink>(walkSql(q, walk.cap, emitted)), emitted, offset, q.limit)
  return ids ? Prisma.sql`select k.user_id from unnest(${ids}::uuid[]) as k(user_id)` : membersInNameOrder(q)
}
