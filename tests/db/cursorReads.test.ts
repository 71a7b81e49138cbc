// The export's reads (src/db/cursorReads.ts): every row once, in order, as text, through a cursor in
// batches; a stop, a failing statement or a failing row handler ends the transaction and gives the
// connection back, so the next read on the same (one-connection) pool works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgCursorReads, type TextRow } from '../../src/db/cursorReads.ts'
import { Prisma } from '../../src/generated/prisma/client.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

let t: TestDatabase
let reads: PgCursorReads
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 1 })
  reads = PgCursorReads.connect(t.url, 1)
})
afterAll(async () => {
  await reads?.end()
  await t?.drop()
})

const series = (n: number) => Prisma.sql`select g::text as n, case when g % 2 = 0 then null else 'x,"' || g || '"' end as text, date '2026-01-01' + g as day
  from generate_series(1, ${n}::int) g order by g`

async function readAll(query: Prisma.Sql, batchSize: number) {
  const rows: (string | null)[][] = []
  const batches: number[] = []
  await reads.eachRow(query, {
    batchSize,
    onRow: (fields: TextRow) => rows.push([...fields]),
    afterBatch: () => Promise.resolve((batches.push(rows.length), true)),
  })
  return { rows, batches }
}

describe('cursor reads', () => {
  it('When a statement gives 1,203 rows in batches of 500, then every row arrives once, in order, as text, and a flush follows each batch', async () => {
    const { rows, batches } = await readAll(series(1203), 500)
    expect(rows).toHaveLength(1203)
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: 1203 }, (_, i) => i + 1))
    expect(rows[0]).toEqual(['1', 'x,"1"', '2026-01-02'])
    expect(rows[1]).toEqual(['2', null, '2026-01-03'])
    expect(batches).toEqual([500, 1000, 1203])
  })

  it('When the statement has bound values (uuid arrays, enums), then they reach PostgreSQL as the page reads pass them', async () => {
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']
    const { rows } = await readAll(Prisma.sql`select x::text from unnest(${ids}::uuid[]) x where ${'EH3'}::"Level" >= ${'EH2+'}::"Level" order by x`, 10)
    expect(rows).toEqual([[ids[0]], [ids[1]]])
  })

  it('When the statement gives no rows, then no batch is flushed', async () => {
    expect(await readAll(series(0), 500)).toEqual({ rows: [], batches: [] })
  })

  it('When the reader stops after the first batch, then no more rows are read and the connection is free again', async () => {
    let seen = 0
    await reads.eachRow(series(5000), { batchSize: 100, onRow: () => seen++, afterBatch: () => Promise.resolve(false) })
    expect(seen).toBe(100)
    expect((await readAll(series(3), 500)).rows).toHaveLength(3)
  })

  it("When the statement fails, then the read rejects with PostgreSQL's error and the connection is free again", async () => {
    await expect(readAll(Prisma.sql`select 1 / (g - 3) from generate_series(1, 5) g`, 500)).rejects.toThrow(/division by zero/)
    expect((await readAll(series(3), 500)).rows).toHaveLength(3)
  })

  it('When the row handler throws, then the read rejects with that error and the connection is free again', async () => {
    const failing = reads.eachRow(series(50), {
      batchSize: 20,
      onRow: (fields) => {
        if (fields[0] === '7') throw new Error('cannot format row 7')
      },
      afterBatch: () => Promise.resolve(true),
    })
    await expect(failing).rejects.toThrow('cannot format row 7')
    expect((await readAll(series(3), 500)).rows).toHaveLength(3)
  })

  it('When the read runs, then it runs in a read-only transaction', async () => {
    expect((await readAll(Prisma.sql`select current_setting('transaction_read_only')`, 10)).rows).toEqual([['on']])
  })

  it('When the database ends the connection while the export waits between batches (a restart), then the read fails and nothing is thrown past it', async () => {
    const own = PgCursorReads.connect(t.url, 1)
    const poolErrors: Error[] = []
    own.on('error', (error) => poolErrors.push(error))
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.prependListener('uncaughtException', onUncaught)
    try {
      const read = own.eachRow(series(100), {
        batchSize: 10,
        onRow: () => {},
        // The export waits for the socket to drain: meanwhile PostgreSQL ends its connection (57P01).
        afterBatch: async () => {
          await t.db.$executeRaw`select pg_terminate_backend(pid) from pg_stat_activity where query like 'fetch 10 from bm_export%' and pid <> pg_backend_pid()`
          await new Promise((resolve) => setTimeout(resolve, 200))
          return true
        },
      })
      await expect(read).rejects.toThrow()
      expect(uncaught).toEqual([])
      expect(poolErrors.map((e) => e.message).join()).toMatch(/terminat/)
    } finally {
      process.removeListener('uncaughtException', onUncaught)
      await own.end()
    }
  })
})
