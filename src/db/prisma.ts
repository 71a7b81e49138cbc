import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import { poolConfigFromUrl, utcPool } from './poolConfig.ts'

export type { Db } from './tx.ts'

/** How many distinct statements are kept prepared (per connection); any beyond run unprepared. */
export const PREPARED_STATEMENT_LIMIT = 500

/**
 * Names a statement after its SQL text, so each connection parses it once and then only binds values
 * (PostgreSQL also keeps a generic plan when it is as good as a fresh one). The app's queries are the
 * same few texts again and again. Used for Prisma's queries and the page reads (src/db/pageReads.ts).
 * The number of names is capped: a text seen after the cap runs as an unnamed statement.
 */
export function statementNames(limit = PREPARED_STATEMENT_LIMIT): (query: { sql: string }) => string {
  const names = new Map<string, string>()
  return ({ sql }) => {
    let name = names.get(sql)
    if (name === undefined && names.size < limit) {
      name = `bm_${names.size}`
      names.set(sql, name)
    }
    return name as string // undefined past the cap: pg then sends an unnamed statement
  }
}

/** Prisma on a pool of UTC sessions (utcPool: its pg adapter misreads timestamps otherwise), which it ends on $disconnect. */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  const pool = utcPool(poolConfigFromUrl(databaseUrl, { max: poolSize }))
  return new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator: statementNames(), disposeExternalPool: true }) })
}
