// Rows read inside a json column (a person's page reads its relations as json arrays) carry their
// dates as text; reviveDates must give the same Dates the page reads give for the columns themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgPageReads, prismaPageReads, type PageReads } from '../../src/db/pageReads.ts'
import { reviveDates } from '../../src/db/jsonDates.ts'
import { Prisma } from '../../src/generated/prisma/client.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

type Row = { at: Date | null; day: Date | null; json: { at: string | null; day: string | null } }

describe('reviveDates (src/db/jsonDates.ts)', () => {
  let t: TestDatabase
  let reads: PgPageReads
  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 })
    reads = PgPageReads.connect(t.url, 1)
  })
  afterAll(async () => {
    await reads?.end()
    await t?.drop()
  })

  const values = [
    ['2026-03-29 01:30:00.123999+00', '2026-03-29'],
    ['2026-10-25 00:59:59.999999+00', '1970-01-01'],
    ['1999-12-31 23:00:00+01', '2027-01-31'],
    [null, null],
  ] as const

  async function compare(source: PageReads, timeZone: string) {
    for (const [at, day] of values) {
      const [row] = await source.rows<Row>(Prisma.sql`
        select v.at, v.day, json_build_object('at', v.at, 'day', v.day) as json
        from (select set_config('TimeZone', ${timeZone}, true), ${at}::timestamptz as at, ${day}::date as day) v`)
      const [revived] = reviveDates([{ ...row!.json }], ['at', 'day'])
      expect(revived!.at === null ? null : (revived!.at as unknown as Date).toISOString()).toBe(row!.at?.toISOString() ?? null)
      expect(revived!.day === null ? null : (revived!.day as unknown as Date).toISOString()).toBe(row!.day?.toISOString() ?? null)
    }
  }

  it('When dates come back inside json, then they revive to the Dates of the columns themselves (any session time zone)', async () => {
    for (const timeZone of ['UTC', 'Europe/Amsterdam', 'America/St_Johns']) await compare(reads, timeZone)
    // Prisma's pg adapter misreads a timestamptz in a session that is not on UTC (prisma/orm#26786);
    // the app's sessions are on UTC (utcPool, tests/db/sessionTimeZone.test.ts).
    await compare(prismaPageReads(t.db), 'UTC')
  })

  it('When a field is not text (already a Date, or absent from the list), then it is left as it is', () => {
    const date = new Date('2026-01-01T00:00:00Z')
    const [row] = reviveDates([{ a: date, b: '2026-01-02', c: 'not a date field' }], ['a', 'b'])
    expect(row!.a).toBe(date)
    expect(row!.b).toEqual(new Date('2026-01-02T00:00:00Z'))
    expect(row!.c).toBe('not a date field')
  })
})
