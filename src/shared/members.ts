// An organisation's members in name order, read from the index (organisation_id, last_name,
// first_name) INCLUDE (user_id) on organisation_links (and former_links for afgemelde people), where triggers
// keep the person's names (migration *_member_names). For several organisations (an accountant's
// 500) each is one bounded index scan of at most `offset + limit` rows, merged: the first N distinct
// members of the union are among the first N of each organisation, so nothing grows with the size of
// an organisation or of the users table. Used by Gebruikers and the wizard's user step.
import { Prisma } from '../generated/prisma/client.ts'

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
