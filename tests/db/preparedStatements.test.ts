import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { PgPageReads, arrayParameter, prismaPageReads } from '../../src/db/pageReads.ts'
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

describe('arrayParameter', () => {
  const tricky = ['a', 'with "quotes"', 'back\\slash', 'comma, {braces}', ' spaced ', 'NULL', '', 'één ✓']
  it('When an array of strings is a parameter, then it is the literal pg itself would send', () => {
    for (const value of [[], ['2f3ccafd-9298-4f2e-a331-c109c69e41d0'], tricky]) {
      expect(arrayParameter(value)).toBe(pgLiteral(value))
    }
  })
  it('When a value is no array of strings, then it is left to pg', () => {
    const mixed = ['a', null]
    expect(arrayParameter(mixed)).toBe(mixed)
    expect(arrayParameter(7)).toBe(7)
    expect(arrayParameter('text')).toBe('text')
  })
  it('When the same frozen array comes again, then its literal is the one made before; an unfrozen one is made again', () => {
    const frozen = Object.freeze(['x', 'y'])
    expect(arrayParameter(frozen)).toBe('{"x","y"}')
    expect(arrayParameter(frozen)).toBe('{"x","y"}')
    const open = ['x']
    expect(arrayParameter(open)).toBe('{"x"}')
    open.push('z')
    expect(arrayParameter(open)).toBe('{"x","z"}')
  })
  it("When a frozen array holds uuids (a principal's organisations), then it goes in binary, made once; an unfrozen one stays text", () => {
    const ids = ['2f3ccafd-9298-4f2e-a331-c109c69e41d0', 'BF27EE24-9E5F-48F4-8FA7-3B493307E8C3']
    const frozen = Object.freeze([...ids])
    const binary = arrayParameter(frozen)
    expect(binary).toBeInstanceOf(Buffer)
    expect(arrayParameter(frozen)).toBe(binary)
    expect(arrayParameter([...ids])).toBe(pgLiteral(ids))
    expect(arrayParameter(Object.freeze([ids[0], 'not-a-uuid']))).toBe(`{"${ids[0]}","not-a-uuid"}`)
  })
})

/** pg's own serializer (prepareValue), which the page reads no longer call for arrays of strings. */
function pgLiteral(value: unknown[]): unknown {
  return (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils.prepareValue(value)
}

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

  it('When a frozen array of uuids is sent in binary, then PostgreSQL reads the same ids as from text, and refuses it as another type', async () => {
    const orgs = await t.db.organisation.findMany({ select: { id: true }, orderBy: { name: 'asc' } })
    expect(orgs.length).toBeGreaterThan(2)
    const ids = Object.freeze(orgs.map((o) => o.id))
    const asText = orgs.map((o) => o.id)
    for (const chosen of [ids, Object.freeze(ids.slice(0, 1)), Object.freeze([ids[0]!.toUpperCase()])]) {
      const [row] = await reads.rows<{ ids: string[]; names: string[]; same: boolean }>(Prisma.sql`
        select ${chosen}::uuid[]::text[] as ids, ${chosen}::uuid[] = ${[...chosen]}::uuid[] as same,
               array(select o.name from organisations o where o.id = any(${chosen}::uuid[]) order by o.name) as names`)
      expect(row!.ids).toEqual(chosen.map((id) => id.toLowerCase()))
      expect(row!.same).toBe(true)
      expect(row!.names).toHaveLength(chosen.length)
    }
    expect(asText).toEqual([...ids])
    await expect(reads.rows(Prisma.sql`select ${ids}::text[] as ids`)).rejects.toThrow(/wrong element type|binary/)
  })

  it('When page reads run, then their connections use generic plans; the Prisma client does not', async () => {
    expect(await reads.rows(Prisma.sql`show plan_cache_mode`)).toEqual([{ plan_cache_mode: 'force_generic_plan' }])
    expect(await t.db.$queryRaw`show plan_cache_mode`).toEqual([{ plan_cache_mode: 'auto' }])
  })

  it('When search reads run (plans: custom), then each run is planned for its values, from one prepared statement; page reads reuse one generic plan', async () => {
    const search = PgPageReads.connect(t.url, 1, 'custom')
    try {
      expect(await search.rows(Prisma.sql`show plan_cache_mode`)).toEqual([{ plan_cache_mode: 'force_custom_plan' }])
      const plans = async (reads: PgPageReads) => {
        for (const pattern of ['%ee%', '%a%', 'x', '%Bakkerij%', '%', '%ee%']) {
          await reads.rows(Prisma.sql`select o.id from organisations o where o.name like ${pattern} order by o.name limit ${5}`)
        }
        return reads.rows<{ generic_plans: number; custom_plans: number }>(
          Prisma.sql`select generic_plans::int, custom_plans::int from pg_prepared_statements where statement like ${'%where o.name like $1 order by o.name%'} and statement not like ${'%pg_prepared_statements%'}`,
        )
      }
      expect(await plans(search)).toEqual([{ generic_plans: 0, custom_plans: 6 }])
      expect(await plans(reads)).toEqual([{ generic_plans: 6, custom_plans: 0 }])
    } finally {
      await search.end()
    }
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

  it('When an array of strings is a parameter, then PostgreSQL receives every element as it was (quotes, backslashes, commas)', async () => {
    const values = ['with "quotes"', 'back\\slash', 'comma, {braces}', ' spaced ', 'NULL', '', 'één ✓']
    for (const array of [values, Object.freeze([...values])]) {
      const [row] = await reads.rows<{ a: string[] }>(Prisma.sql`select ${array}::text[] as a`)
      expect(row!.a).toEqual(values)
    }
    const ids = Object.freeze(['2f3ccafd-9298-4f2e-a331-c109c69e41d0', 'bf27ee24-9e5f-48f4-8fa7-3b493307e8c3'])
    expect(await reads.rows(Prisma.sql`select count(*)::int as n from unnest(${ids}::uuid[])`)).toEqual([{ n: 2 }])
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
