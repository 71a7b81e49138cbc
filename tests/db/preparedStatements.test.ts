import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient, statementNames } from '../../src/db/prisma.ts'
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

describe('page-read connections', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 })
  })
  afterAll(async () => {
    await t?.drop()
  })

  it('When a client is made for page reads, then its connections use generic plans; the default client does not', async () => {
    const reads = createPrismaClient(t.url, 1, { genericPlans: true })
    const plain = createPrismaClient(t.url, 1)
    try {
      const mode = async (db: typeof reads) => (await db.$queryRaw<{ plan_cache_mode: string }[]>`show plan_cache_mode`)[0]!.plan_cache_mode
      expect(await mode(reads)).toBe('force_generic_plan')
      expect(await mode(plain)).toBe('auto')
    } finally {
      await reads.$disconnect()
      await plain.$disconnect()
    }
  })

  it('When the same query runs again with other values, then it is answered from the prepared statement, correctly', async () => {
    const reads = createPrismaClient(t.url, 1, { genericPlans: true })
    try {
      const answer = async (n: number) => (await reads.$queryRaw<{ n: number }[]>`select ${n}::int + 1 as n`)[0]!.n
      expect(await answer(1)).toBe(2)
      expect(await answer(41)).toBe(42)
      const prepared = await reads.$queryRaw<{ count: bigint }[]>`select count(*) from pg_prepared_statements where statement like '%::int + 1 as n%' and statement not like '%pg_prepared_statements%'`
      expect(Number(prepared[0]!.count)).toBe(1)
    } finally {
      await reads.$disconnect()
    }
  })
})
