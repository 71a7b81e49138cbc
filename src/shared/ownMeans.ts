// A person's own means, newest end first, as Prisma's Means: Overzicht and Mijn gegevens show them on
// every visit, so they are read through the page reads (src/db/pageReads.ts) rather than Prisma.
import type { PageReads } from '../db/pageReads.ts'
import { Prisma, type Means } from '../generated/prisma/client.ts'
import { fromDbLevel } from '../domain/levels.ts'
import { withFields } from './withFields.ts'

/** A means row as `ownMeansSql` selects it: Means' field names, the level as text. */
export type OwnMeansRow = Omit<Means, 'level'> & { level: string }

/** The date fields of `OwnMeansRow`, for rows read inside a json column (reviveDates). */
export const OWN_MEANS_DATES = ['validFrom', 'validUntil', 'issuedAt', 'endsOn', 'createdAt', 'updatedAt'] as const

/** The select of a person's own means, newest end first (alias x; a person's page reads it as a subquery). */
export function ownMeansSql(userId: string): Prisma.Sql {
  return Prisma.sql`
    select x.id, x.user_id as "userId", x.level::text as level, x.status, x.valid_from as "validFrom", x.valid_until as "validUntil",
           x.issued_at as "issuedAt", x.ends_on as "endsOn", x.created_at as "createdAt", x.updated_at as "updatedAt"
    from means x where x.user_id = ${userId}::uuid
    order by x.valid_until desc, x.id`
}

/** Rows of `ownMeansSql` as Means. */
export function toOwnMeans(rows: OwnMeansRow[]): Means[] {
  return rows.map((m) => withFields(m, { level: fromDbLevel(m.level) }))
}

export async function ownMeans(reads: PageReads, userId: string): Promise<Means[]> {
  return toOwnMeans(await reads.rows<OwnMeansRow>(ownMeansSql(userId)))
}
