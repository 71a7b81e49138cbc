// A person's own means, newest end first, as Prisma's Means: Overzicht and Mijn gegevens show them on
// every visit, so they are read through the page reads (src/db/pageReads.ts) rather than Prisma.
import type { PageReads } from '../db/pageReads.ts'
import { Prisma, type Means } from '../generated/prisma/client.ts'
import { fromDbLevel } from '../domain/levels.ts'
import { withFields } from './withFields.ts'

export async function ownMeans(reads: PageReads, userId: string): Promise<Means[]> {
  const rows = await reads.rows<Omit<Means, 'level'> & { level: string }>(Prisma.sql`
    select x.id, x.user_id as "userId", x.level::text as level, x.status, x.valid_from as "validFrom", x.valid_until as "validUntil",
           x.issued_at as "issuedAt", x.ends_on as "endsOn", x.created_at as "createdAt", x.updated_at as "updatedAt"
    from means x where x.user_id = ${userId}::uuid
    order by x.valid_until desc, x.id`)
  return rows.map((m) => withFields(m, { level: fromDbLevel(m.level) }))
}
