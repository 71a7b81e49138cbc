import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyMigrations, diffMigrationsToSchema, isEmptyDiff, listMigrations } from '../../src/db/migrations.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

describe('migrations', () => {
  let t: TestDatabase

  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 })
  })

  afterAll(async () => {
    await t?.drop()
  })

  it('When the committed migrations are diffed against schema.prisma, then there is no difference', async () => {
    // Arrange
    const url = t.url

    // Act
    const sql = await diffMigrationsToSchema(url)

    // Assert
    expect(isEmptyDiff(sql), `migrations differ from schema.prisma:\n${sql}`).toBe(true)
  })

  it('When migrations are applied to an already migrated database, then nothing is applied', async () => {
    // Arrange
    const url = t.url

    // Act
    const applied = await applyMigrations(url)

    // Assert
    expect(applied).toEqual([])
  })

  it('When the test database is cloned from the template, then every committed migration is recorded', async () => {
    // Arrange
    const committed = listMigrations().migrationDirectories.map((dir) => dir.path)

    // Act
    const rows = await t.db.$queryRaw<{ migration_name: string }[]>`
      select migration_name from _prisma_migrations where finished_at is not null order by migration_name`

    // Assert
    expect(committed.length).toBeGreaterThan(0)
    expect(rows.map((row) => row.migration_name)).toEqual(committed)
  })

  it('When the Machtigingen list scans an organisation, then its index carries the columns the filters test, so the scan reads no table rows', async () => {
    // Arrange: the list's key scan for one organisation, as listService's pageSql writes it; the
    // table is empty here, so the planner is told to use an index and may pick the one it can read alone
    const scan = `explain (costs off) select m.valid_until, m.id from mandates m
       where m.organisation_id = '00000000-0000-4000-8000-000000000001' and m.status = 'active' and m.kind = 'use' and m.level::text = 'EH3'
       order by m.valid_until, m.id limit 26`

    // Act
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('set local enable_seqscan = off')
      await tx.$executeRawUnsafe('set local enable_bitmapscan = off')
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(scan)
    })

    // Assert (on an empty table the planner may as well walk the status index, which carries them too)
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using mandates_(list_|by_status_idx)/)
  })

  it('When the daily scan lapses the pending verzoeken past their end, then it reads an index of the pending ones, not every verzoek', async () => {
    const lapse = `explain (costs off) update link_requests set status = 'lapsed' where status = 'pending' and expires_at <= now() returning id`
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('set local enable_seqscan = off')
      const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(lapse)
      return rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    expect(plan).toMatch(/link_requests_pending_expiry_idx/)
  })

  it('When the Machtigingen list walks every organisation by status (listWalk.ts), then its index carries organisation, kind and level, so the walk reads no table rows', async () => {
    const walk = `explain (costs off) select m.valid_until, m.id, m.organisation_id, m.kind, m.level from mandates m
       where m.status = 'active' and (m.valid_until, m.id) > ('2027-01-01', '00000000-0000-4000-8000-000000000001')
       order by m.valid_until, m.id limit 4000`
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('set local enable_seqscan = off')
      await tx.$executeRawUnsafe('set local enable_bitmapscan = off')
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(walk)
    })
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using mandates_by_status_idx/)
  })

  it('When mandates and audit entries grow to millions of rows, then autovacuum keeps them after a hundredth has changed, not the default fifth', async () => {
    const rows = await t.db.$queryRawUnsafe<{ relname: string; reloptions: string[] | null }[]>(
      `select relname, reloptions from pg_class where relname in ('mandates', 'audit_events') and relkind = 'r' order by relname`,
    )
    expect(rows.map((r) => r.relname)).toEqual(['audit_events', 'mandates'])
    for (const row of rows) {
      expect(row.reloptions, row.relname).toEqual(
        expect.arrayContaining(['autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_insert_scale_factor=0.01', 'autovacuum_analyze_scale_factor=0.01']),
      )
    }
  })
})

describe('isEmptyDiff', () => {
  it('When a diff holds only comments and blank lines, then it is empty', () => {
    expect(isEmptyDiff('-- This is an empty migration.\n\n')).toBe(true)
  })

  it('When a diff holds a statement, then it is not empty', () => {
    expect(isEmptyDiff('-- AlterTable\nALTER TABLE "users" ADD COLUMN "x" TEXT;\n')).toBe(false)
  })
})
