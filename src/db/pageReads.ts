// The read queries that run on every page (who is logged in) or on every Machtigingen list page.
// They bypass Prisma's query engine, which costs about 1 ms of CPU per query at our scale (the same
// query straight through pg: about 0.15 ms), and they run prepared, with generic plans, on a small
// pool of their own. A search, whose best plan depends on its pattern, runs the same way on a pool
// of its own that plans each statement for its values (`plans: 'custom'`). Everything else, and
// every write, goes through Prisma.
import pg from 'pg'
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import { checkOut } from './checkedOut.ts'
import { poolConfigFromUrl, utcPool } from './poolConfig.ts'
import { statementNames } from './prisma.ts'

/**
 * Rows of one read query built with Prisma.sql. Values come back as Prisma's $queryRaw gives them
 * for the types these queries use: uuid and text as strings, json parsed, date and timestamptz as
 * Dates (a date at UTC midnight). Not for bigint or numeric columns (pg gives strings for those).
 */
export interface PageReads {
  rows<T>(query: Prisma.Sql): Promise<T[]>
}

/** The same reads through Prisma: for services built without a pool (unit tests of a service). */
export function prismaPageReads(db: PrismaClient): PageReads {
  return { rows: <T>(query: Prisma.Sql) => db.$queryRaw<T[]>(query) }
}

const DATE_OID = 1082
/** pg's parsers, but a `date` is a Date at midnight UTC. */
function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === DATE_OID) return (value: string) => new Date(`${value}T00:00:00Z`)
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- @types/pg types the parser of a format given at run time as any
  return pg.types.getTypeParser(oid, format as 'text')
}
const types = { getTypeParser: getTypeParser as typeof pg.types.getTypeParser }

/** What frozen arrays (a principal's organisations: adminOrganisationIds) are sent as, made once each. */
const sent = new WeakMap<readonly unknown[], string | Buffer>()

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const UUID_OID = 2950

/**
 * Ids as a uuid[] in PostgreSQL's binary array format (what array_recv reads: one dimension, no
 * nulls, element type uuid, then each element as its length and 16 bytes). pg sends a Buffer
 * parameter in binary, so PostgreSQL copies the ids instead of parsing their text: for an
 * accountant's 500 organisations 0.07 instead of 0.29 ms a statement (PostgreSQL 18, this host), on
 * every statement that names them. The parameter must be a uuid[] in the statement (`::uuid[]`);
 * anything else is refused by PostgreSQL ("wrong element type"), not misread.
 */
export function binaryUuidArray(ids: readonly string[]): Buffer {
  const buffer = Buffer.alloc(20 + ids.length * 20)
  buffer.writeInt32BE(1, 0) // dimensions
  buffer.writeInt32BE(0, 4) // no nulls
  buffer.writeUInt32BE(UUID_OID, 8)
  buffer.writeInt32BE(ids.length, 12)
  buffer.writeInt32BE(1, 16) // lower bound
  let offset = 20
  for (const id of ids) {
    buffer.writeInt32BE(16, offset)
    buffer.write(id.replaceAll('-', ''), offset + 4, 16, 'hex')
    offset += 20
  }
  return buffer
}

/**
 * An array of strings as the array literal pg would send (`{"a","b"}`, `\` and `"` escaped): for an
 * accountant's 500 organisation ids, pg's own serializer cost about 30 µs a query, twice as much as
 * this. A frozen array is made once; a frozen array of uuids (adminOrganisationIds) is sent in binary
 * (binaryUuidArray). Anything else is left to pg.
 */
export function arrayParameter(value: unknown): unknown {
  if (!Array.isArray(value)) return value
  const frozen = Object.isFrozen(value)
  const known = frozen ? sent.get(value) : undefined
  if (known !== undefined) return known
  let literal = '{'
  let uuids = value.length > 0
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i]
    if (typeof element !== 'string') return value
    if (uuids && !UUID.test(element)) uuids = false
    const text = element.includes('\\') || element.includes('"') ? element.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : element
    literal += i === 0 ? `"${text}"` : `,"${text}"`
  }
  literal += '}'
  if (!frozen) return literal
  const made = uuids ? binaryUuidArray(value as string[]) : literal
  sent.set(value, made)
  return made
}

/**
 * How a pool's statements are planned; each is prepared once a connection either way. `generic`
 * (plan_cache_mode=force_generic_plan): one plan for all values (keyed lookups and keyset pages).
 * `custom` (force_custom_plan): planned for its values on every run, as Prisma's were (a trigram
 * search: a pattern of two characters has no trigram to look up, one of seven a few entries; only
 * the values tell the index from a walk in name order).
 */
export type Plans = 'generic' | 'custom'

export class PgPageReads implements PageReads {
  private readonly name = statementNames()

  constructor(
    private readonly pool: pg.Pool,
    private readonly plans: Plans = 'generic',
  ) {}

  /**
   * Generic plans (plan_cache_mode=force_generic_plan) unless `plans` is `custom`: PostgreSQL's own
   * choice kept re-planning the list query (about 1 ms each time) because it cannot see the sizes of
   * the arrays it is given. Only keyed lookups and keyset pages run on generic plans, whose best plan
   * does not depend on the values. Eight connections: a list page runs two of these reads, and with
   * four, ten concurrent pages (the benchmark's load) queued for a connection often enough to cost a
   * tenth of the throughput. The search reads have four (one statement a page).
   */
  static connect(databaseUrl: string, size = 8, plans: Plans = 'generic'): PgPageReads {
    return new PgPageReads(utcPool(poolConfigFromUrl(databaseUrl, { max: size })), plans)
  }

  /** Connections already set to their plans. A SET, not the startup `options`: PgBouncer does not
   * pass those on (README, DATABASE_URL). */
  private readonly set = new WeakSet<pg.PoolClient>()

  async rows<T>(query: Prisma.Sql): Promise<T[]> {
    const text = query.text
    const { client, release } = await checkOut(this.pool)
    let failed: Error | undefined
    try {
      if (!this.set.has(client)) {
        await client.query(this.plans === 'custom' ? 'SET plan_cache_mode = force_custom_plan' : 'SET plan_cache_mode = force_generic_plan')
        this.set.add(client)
      }
      const result = await client.query({ name: this.name({ sql: text }), text, values: query.values.map(arrayParameter), types })
      return result.rows as T[]
    } catch (error) {
      failed = error as Error
      throw error
    } finally {
      release(failed)
    }
  }

  on(event: 'error', listener: (error: Error) => void): this {
    this.pool.on(event, listener)
    return this
  }

  end(): Promise<void> {
    return this.pool.end()
  }
}
