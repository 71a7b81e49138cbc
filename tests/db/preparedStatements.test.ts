import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgPageReads, prismaPageReads } from '../../src/db/pageReads.ts'
import { statementNames } from '../../src/db/prisma.ts'
import { Prisma } from '../../src/generated/prisma/client.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

describe('statementNames', () => {
  it('When the same SQL text comes again, then it gets the same name; another text gets another', () => {
    const name = statementNames()
    const a = name({ sql: 'select 1' })
    expect(name({ sql: 'select 1' })).toBe(a)
    expect(name({ sql: 'select 2' })).not.toBe(a)
  })

  it('When more texts come than the cap, then the extra ones get no name (they run unprepared)', () => {
    const name = statementNames(2)
    name({ sql: 'select 1' })
    name({ sql: 'select 2' })
    expect(name({ sql: 'select 3' })).toBeUndefined()
    expect(name({ sql: 'select 1' })).toBeDefined()
  })
})

describe('page reads (src/db/pageReads.ts)', () => {
  let t: TestDatabase
  let reads: PgPageReads
  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1, demo: true })
    reads = PgPageReads.connect(t.url, 1)
  })
  afterAll(async () => {
    await reads?.end()
    await t?.drop()
  })

  it('When page reads run, then their connections use generic plans; the Prisma client does not', async () => {
    expect(await reads.rows(Prisma.sql`show plan_cache_mode`)).toEqual([{ plan_cache_mode: 'force_generic_plan' }])
    expect(await t.db.$queryRaw`show plan_cache_mode`).toEqual([{ plan_cache_mode: 'auto' }])
  })

  it('When a query runs through pg and through Prisma, then the rows are the same (uuid, text, date, timestamptz, json, null)', async () => {
    const query = Prisma.sql`
      select m.id, m.user_id, m.valid_from, m.valid_until, m.created_at, m.status::text as status, m.branch_id,
             json_build_object('level', m.level::text, 'n', 1) as extra
      from mandates m where m.kind = ${'use'}::"MandateKind" order by m.valid_until, m.id limit ${5}`
    const viaPg = await reads.rows(query)
    const viaPrisma = await prismaPageReads(t.db).rows(query)
    expect(viaPg).toHaveLength(5)
    expect(viaPg).toEqual(viaPrisma)
    const first = viaPg[0] as { valid_until: Date }
    expect(first.valid_until.toISOString()).toMatch(/T00:00:00\.000Z$/)
  })

  it('When the same query runs again with other values, then it is answered from one prepared statement, correctly', async () => {
    const answer = async (n: number) => (await reads.rows<{ n: number }>(Prisma.sql`select ${n}::int + 1 as n`))[0]!.n
    expect(await answer(1)).toBe(2)
    expect(await answer(41)).toBe(42)
    const prepared = await reads.rows<{ count: string }>(
      Prisma.sql`select count(*)::text as count from pg_prepared_statements where statement like ${'%::int + 1 as n%'} and statement not like ${'%pg_prepared_statements%'}`,
    )
    expect(prepared[0]!.count).toBe('1')
  })
})
