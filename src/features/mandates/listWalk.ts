// Machtigingen merged over many organisations (an accountant's 500), and any list filtered on one
// service ("Dienst", whose mandates are a few among an organisation's): instead of one index scan per
// organisation and status (500 × 2 descents and up to a page from each, 26,000 index entries for a
// page of 25), walk the index (status, valid_until, id) of all organisations in page order and keep
// the rows of the admin's organisations. The admin's share of all mandates decides the length of the
// walk (4.5 % in the bench: about 600 entries a status for a page), so the walk is capped: a status
// whose walk reaches the cap without filling the page says how far it got (its last entry), and
// when the rows found up to the nearest such point do not fill the page, the list falls back to the
// scans per organisation. Nothing here grows with an organisation's size: at most `cap` entries a
// status, then the bounded per-organisation scans. A service's walk reads (scope_key, status,
// valid_until, id) INCLUDE (organisation_id, kind, level): for the 1M-mandate organisation about a
// tenth of a service's mandates are its own, so a page is a few hundred entries, where its own index
// had to fetch a table row for each of its mandates of every service to test the scope.
import { Prisma } from '../../generated/prisma/client.ts'
import type { MandateStatus } from '../../generated/prisma/client.ts'

export type WalkQuery = {
  orgIds: string[]
  statuses: MandateStatus[]
  /** One scope ("Dienst"): the walk reads that scope's mandates of every organisation (mandates_by_scope_idx). */
  scope: string | null
  /** The filter's conditions on alias m (kind, level, scope), tested on the walked rows. */
  match: Prisma.Sql[]
  /** The cursor's keyset condition on alias m, or null on the first page. */
  position: Prisma.Sql | null
  ascending: boolean
  /** Rows wanted: the page and one more. */
  limit: number
  cap: number
}

export type WalkRow = { status: string; valid_until: Date; id: string; matched: boolean; last: boolean }

/**
 * Per status: the first `cap` entries of the status in page order (after the cursor), numbered; of
 * those the matching rows, and the entry numbered `cap` (where a capped walk stopped), at most
 * `limit + 1` rows. The organisations are a hashed set (an IN over the array, built once a statement).
 */
export function walkSql(q: WalkQuery): Prisma.Sql {
  const order = q.ascending ? Prisma.sql`asc` : Prisma.sql`desc`
  const cap = Prisma.raw(String(q.cap))
  const emitted = Prisma.raw(String(q.limit + 1))
  const position = q.position ? Prisma.sql`and ${q.position}` : Prisma.empty
  const scope = q.scope ? Prisma.sql`and m.scope_key = ${q.scope}` : Prisma.empty
  const match = Prisma.join([Prisma.sql`m.organisation_id in (select unnest(${q.orgIds}::uuid[]))`, ...q.match], ' and ')
  return Prisma.sql`
      select s.status::text as status, w.valid_until, w.id, w.matched, w.last
      from unnest(${q.statuses}::"MandateStatus"[]) as s(status)
      cross join lateral (
        select x.valid_until, x.id, x.matched, x.last from (
          select m.valid_until, m.id, (${match}) as matched, m.n = ${cap} as last
          from (
            select m.valid_until, m.id, m.organisation_id, m.kind, m.level, m.scope_key,
                   row_number() over (order by m.valid_until ${order}, m.id ${order}) as n
            from mandates m
            where m.status = s.status ${scope} ${position}
            order by m.valid_until ${order}, m.id ${order}
            limit ${cap}
          ) m
        ) x
        where x.matched or x.last
        limit ${emitted}
      ) w`
}

type Key = { valid_until: Date; id: string }

/** Page order on (valid_until, id); ids compare as PostgreSQL compares uuids (their lowercase text). */
function compare(a: Key, b: Key, ascending: boolean): number {
  const c = a.valid_until.getTime() - b.valid_until.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return ascending ? c : -c
}

/**
 * The ids of the page (at most `limit`, in page order) from the walk's rows, or null when the walk
 * cannot tell them (a capped status left a gap before the page was full): then the per-organisation
 * scans must.
 */
export function walkedIds(rows: WalkRow[], q: Pick<WalkQuery, 'statuses' | 'limit' | 'ascending'>): string[] | null {
  // How far each status's walk is known to be complete: up to its last emitted row when it stopped
  // at the row limit, up to its capped entry, or to the end.
  let frontier: Key | null = null
  for (const status of q.statuses) {
    const emitted = rows.filter((r) => r.status === status).sort((a, b) => compare(a, b, q.ascending))
    const stop = emitted.length === q.limit + 1 ? emitted[emitted.length - 1] : emitted.find((r) => r.last)
    if (stop && (!frontier || compare(stop, frontier, q.ascending) < 0)) frontier = stop
  }
  const known = rows.filter((r) => r.matched && (!frontier || compare(r, frontier, q.ascending) <= 0)).sort((a, b) => compare(a, b, q.ascending))
  if (frontier && known.length < q.limit) return null
  return known.slice(0, q.limit).map((r) => r.id)
}
