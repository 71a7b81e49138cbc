// A link request ("verzoek", rule 8) is open while it is pending and before its end: the daily scan
// lapses it afterwards, so between its end and that scan it is pending but no longer open. The one
// definition, as SQL on a table alias and as a Prisma filter.
import { Prisma } from '../generated/prisma/client.ts'

/** The link requests of table alias `alias` that are open at `now`. */
export function openLinkRequest(alias: string, now: Date): Prisma.Sql {
  const r = Prisma.raw(alias)
  return Prisma.sql`${r}.status = 'pending' and ${r}.expires_at > ${now}::timestamptz`
}

/** The same, as a Prisma filter on link requests. */
export function openLinkRequestWhere(now: Date) {
  return { status: 'pending', expiresAt: { gt: now } } as const satisfies Prisma.LinkRequestWhereInput
}
