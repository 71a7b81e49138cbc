// On a server whose time zone is not UTC (initdb takes the host's: Europe/Amsterdam on a Dutch server),
// Prisma's pg adapter wrote a Date as UTC wall-clock time without an offset and read a timestamptz as
// if it were UTC (prisma/orm#26786, #28629): every timestamp off by one or two hours. The app's pools
// put each session on UTC (utcPool, src/db/poolConfig.ts).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { createPrismaClient } from '../../src/db/prisma.ts'
import { PgPageReads } from '../../src/db/pageReads.ts'
import { poolConfigFromUrl } from '../../src/db/poolConfig.ts'
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

describe('the sessions of the app on a server that is not on UTC', () => {
  let t: TestDatabase
  let db: PrismaClient
  let reads: PgPageReads
  let plain: pg.Client
  const warnings: string[] = []
  const onWarning = (warning: Error) => warnings.push(warning.message)
  beforeAll(async () => {
    process.on('warning', onWarning)
    t = await createTestDatabase({ poolSize: 1 })
    // Before any session of the new database opens (a pooler in front keeps the first session's settings).
    const admin = new pg.Client(poolConfigFromUrl(inject('testAdminUrl')))
    await admin.connect()
    await admin.query(`alter database "${t.name}" set timezone to 'Europe/Amsterdam'`)
    await admin.end()
    db = createPrismaClient(t.url, 2)
    reads = PgPageReads.connect(t.url, 1)
    plain = new pg.Client(poolConfigFromUrl(t.url))
    await plain.connect()
  })
  afterAll(async () => {
    process.off('warning', onWarning)
    await plain?.end()
    await reads?.end()
    await db?.$disconnect()
    await t?.drop()
  })

  it('When a session opens, then the server gives it Europe/Amsterdam, and the app puts it on UTC', async () => {
    expect((await plain.query<{ tz: string }>(`select current_setting('TimeZone') as tz`)).rows[0]!.tz).toBe('Europe/Amsterdam')
    const [prisma] = await db.$queryRaw<{ tz: string }[]>`select current_setting('TimeZone') as tz`
    expect(prisma!.tz).toBe('UTC')
    const [page] = await reads.rows<{ tz: string }>(Prisma.sql`select current_setting('TimeZone') as tz`)
    expect(page!.tz).toBe('UTC')
  })

  it('When Prisma writes and reads a timestamp, then the server holds that instant and every reader gets it back', async () => {
    for (const instant of ['2026-07-01T12:00:00.000Z', '2026-12-31T23:30:00.250Z']) {
      const at = new Date(instant)
      const token = await db.actionToken.create({
        data: { purpose: 'test', tokenHash: randomBytes(32).toString('hex'), subject: {}, expiresAt: at },
      })
      // Read by a session on Amsterdam's time, compared as instants by the server itself.
      const held = await plain.query<{ same: boolean }>(`select expires_at = $1::timestamptz as same from action_tokens where id = $2`, [instant, token.id])
      expect(held.rows[0]!.same).toBe(true)
      expect((await db.actionToken.findUniqueOrThrow({ where: { id: token.id } })).expiresAt.toISOString()).toBe(instant)
      const [page] = await reads.rows<{ at: Date }>(Prisma.sql`select expires_at as at from action_tokens where id = ${token.id}::uuid`)
      expect(page!.at.toISOString()).toBe(instant)
    }
  })

  it("When the app's sessions are set to UTC, then pg is never given a query while another runs (deprecated in pg 9)", async () => {
    await Promise.all([db.$queryRaw`select 1`, reads.rows(Prisma.sql`select 1`), db.$queryRaw`select 2`])
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([])
  })
})
