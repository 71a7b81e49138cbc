// Machtigingen merged over many organisations (an accountant's 500), and any list filtered on one
// service ("Dienst", whose mandates are a few among an organisation's): instead of one index scan per
// organisation and status (500 × 2 descents and up to a page from each, 26,000 index entries for a
// page of 25), walk the index (status, valid_until, id) of all organisations in page order and keep
// the rows of the admin's organisations. The statuses are walked as one stream in page order (a merge
// of one range per status), so the walk stops once the page is full, whichever statuses its rows
// have: with "Toon ook inactieve machtigingen" a walk per status read up to a page of matches from
// each of the five (6,181 index pages for an accountant's "niveau + inactieve", 1,209 merged). The
// admin's share of all mandates decides the length of the walk (4.5 % in the bench: about 600
// entries for a page), so the walk is capped (`cap` entries a status walked); a walk that reaches
// the cap without filling the page makes the list fall back to the scans per organisation. Nothing
// here grows with an organisation's size: at most `cap` × statuses entries, then the bounded
// per-organisation scans. A service's walk reads (scope_key, status, valid_until, id) INCLUDE
// (organisation_id, kind, level): for the 1M-mandate organisation about a tenth of a service's
// mandates are its own, so a page is a few hundred entries, where its own index had to fetch a table
// row for each of its mandates of every service to test the scope.
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

export type WalkRow = { valid_until: Date; id: string; matched: boolean; last: boolean }

/**
 * The first `cap` × statuses entries of the statuses in page order (after the cursor), numbered: a
 * merge of one index range per status, each ordered and limited, so PostgreSQL merges them (Merge
 * Append) and stops with the stream. Of those the matching rows, and the last entry (where a capped
 * walk stopped), at most `limit + 1` rows. The organisations are a hashed set (an IN over the array,
 * built once a statement).
 */
export function walkSql(q: WalkQuery): Prisma.Sql {
  const order = q.ascending ? Prisma.sql`asc` : Prisma.sql`desc`
  const keys = Prisma.sql`m.valid_until ${order}, m.id ${order}`
  const cap = Prisma.raw(String(q.cap * q.statuses.length))
  const emitted = Prisma.raw(String(q.limit + 1))
  const position = q.position ? Prisma.sql`and ${q.position}` : Prisma.empty
  const scope = q.scope ? Prisma.sql`and m.scope_key = ${q.scope}` : Prisma.empty
  const match = Prisma.join([Prisma.sql`m.organisation_id in (select unnest(${q.orgIds}::uuid[]))`, ...q.match], ' and ')
  const ranges = q.statuses.map(
    (status) => Prisma.sql`(
            select m.valid_until, m.id, m.organisation_id, m.kind, m.level, m.scope_key
            from mandates m
            where m.status = ${status}::"MandateStatus" ${scope} ${position}
            order by ${keys}
            limit ${cap})`,
  )
  return Prisma.sql`
      select w.valid_until, w.id, w.matched, w.last from (
        select m.valid_until, m.id, (${match}) as matched, m.n = ${cap} as last
        from (
          select m.valid_until, m.id, m.organisation_id, m.kind, m.level, m.scope_key,
                 row_number() over (order by ${keys}) as n
          from (${Prisma.join(ranges, ' union all ')}) m
          order by ${keys}
          limit ${cap}
        ) m
      ) w
      where w.matched or w.last
      limit ${emitted}`
}

type Key = { valid_until: Date; id: string }

/** Page order on (valid_until, id); ids compare as PostgreSQL compares uuids (their lowercase text). */
function compare(a: Key, b: Key, ascending: boolean): number {
  const c = a.valid_until.getTime() - b.valid_until.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return ascending ? c : -c
}

/**
 * The ids of the page (at most `limit`, in page order) from the walk's rows, or null when the walk
 * cannot tell them (it reached its cap before the page was full): then the per-organisation scans must.
 */
export function walkedIds(rows: WalkRow[], q: Pick<WalkQuery, 'limit' | 'ascending'>): string[] | null {
  const matched = rows.filter((r) => r.matched).sort((a, b) => compare(a, b, q.ascending))
  if (matched.length < q.limit && rows.some((r) => r.last)) return null
  return matched.slice(0, q.limit).map((r) => r.id)
}
