// Logboek over several organisations reads one bounded index scan per organisation, merged
// (auditLogService.ids). Paged to the end, with each filter the page offers, it must list exactly the
// entries of the admin's organisations, newest first (by time, then id: the entries below are written
// out of time order), that a plain scan of all entries would; the back office sees everything, and
// with an organisation filter only that organisation. A period is a range of the index the page walks,
// so its plan stops after a page instead of sorting the period (the generic plan the pages run).
import pg from 'pg'
import type { Prisma } from '../../../src/generated/prisma/client.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditLogService } from '../../../src/features/audit/auditLogService.ts'
import { poolConfigFromUrl } from '../../../src/db/poolConfig.ts'
import { ORGANISATION_AUDIT_ACTIONS, storedActions, type AuditAction } from '../../../src/domain/auditActions.ts'
import type { AuditFilter } from '../../../src/features/audit/auditLogService.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { ACCOUNTS, createTestApp, type TestApp } from '../../helpers/app.ts'
import { checkStatement } from '../../scaling/shardKeys.ts'

let t: TestApp
let sanne: Principal
let backoffice: Principal
let orgIds: string[]
let otherOrgId: string

async function principalOf(email: string): Promise<Principal> {
  const user = await t.database.db.user.findFirstOrThrow({ where: { emailKey: email } })
  return (await t.services.authService.loadPrincipal(user.id))!
}

beforeAll(async () => {
  t = await createTestApp()
  sanne = await principalOf(ACCOUNTS.sanne.email)
  backoffice = await principalOf(ACCOUNTS.backoffice.email)
  orgIds = sanne.adminOrganisations.map((o) => o.id)
  otherOrgId = (await t.database.db.organisation.findFirstOrThrow({ where: { id: { notIn: orgIds } } })).id
  // 300 entries interleaved over her organisations, another one and none, with actions the app writes with an organisation.
  const organisations = [...orgIds, otherOrgId, null]
  const actions = ORGANISATION_AUDIT_ACTIONS.slice(0, 5).map((a) => storedActions(a)[0]!)
  await t.database.db.auditEvent.createMany({
    data: Array.from({ length: 300 }, (_, i) => ({
      actorLabel: i % 2 ? 'piet.precies@voorbeeld.example' : 'Anna_100%@voorbeeld.example',
      action: actions[i % actions.length]!,
      organisationId: organisations[i % organisations.length],
      subjectType: 'user',
      at: new Date(Date.UTC(2026, 10, 1 + (i % 28))),
    })),
  })
}, 120_000)

afterAll(async () => {
  await t?.close()
})

async function everyPage(principal: Principal, filter: AuditFilter, service = t.services.auditLogService): Promise<string[]> {
  const ids: string[] = []
  let cursor: bigint | undefined
  for (let i = 0; i < 100; i++) {
    const page = await service.page(principal, filter, cursor)
    ids.push(...page.rows.map((r) => r.id))
    if (!page.next) return ids
    cursor = BigInt(page.next)
  }
  throw new Error('more than 100 pages')
}

async function reference(organisations: string[] | null, filter: AuditFilter): Promise<string[]> {
  const rows = await t.database.db.auditEvent.findMany({
    where: {
      ...(organisations ? { organisationId: { in: organisations } } : {}),
      ...(filter.user ? { actorLabel: { contains: filter.user, mode: 'insensitive' } } : {}),
      ...(filter.action ? { action: { in: storedActions(filter.action) } } : {}),
      ...(filter.from || filter.until ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    select: { id: true },
  })
  return rows.map((r) => r.id.toString())
}

/** Page reads through Prisma that keep the text of every statement in `statements`. */
function recordingReads(statements: string[]) {
  return {
    rows: <T>(query: Prisma.Sql) => {
      statements.push(query.text)
      return t.database.db.$queryRaw<T[]>(query)
    },
  }
}

describe('Logboek over several organisations', () => {
  it('When an admin of several organisations pages through the Logboek, with each filter, then he gets exactly his organisations’ entries newest first', async () => {
    const options = await t.services.auditLogService.filterOptions(sanne)
    const cases: AuditFilter[] = [
      {},
      { organisationId: options.organisations[0]!.id },
      { action: options.actions[1]! },
      { user: 'anna_100%' },
      { user: 'PIET' },
      { from: new Date(Date.UTC(2026, 10, 10)), until: new Date(Date.UTC(2026, 10, 20)) },
    ]
    for (const filter of cases) {
      const scope = filter.organisationId ? [filter.organisationId] : orgIds
      const expected = await reference(scope, filter)
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0)
      expect(await everyPage(sanne, filter), JSON.stringify(filter)).toEqual(expected)
    }
    expect(await everyPage(sanne, { organisationId: otherOrgId })).toEqual([])
  })

  it('When the page is chosen in two rounds (as for an accountant of 500 organisations), then each filter pages through exactly the same entries', async () => {
    const options = await t.services.auditLogService.filterOptions(sanne)
    const cases: AuditFilter[] = [
      {},
      { action: options.actions[1]! },
      { user: 'anna_100%' },
      { from: new Date(Date.UTC(2026, 10, 10)), until: new Date(Date.UTC(2026, 10, 20)) },
    ]
    // A first round of 1 to 40 entries an organisation: without a bound (fewer than a page in the
    // first round), with one and a second round for some organisations (the export's batches of 7 with
    // 2 or 3 an organisation: her organisations' k-th entries cannot all be below the 7th), and for none.
    const statements: string[] = []
    const pageReads = recordingReads(statements)
    for (const firstRound of [1, 2, 3, 5, 40]) {
      const service = new AuditLogService(t.database.db, pageReads, { fromOrganisations: 1, firstRound, share: 0, walk: 0 })
      for (const filter of cases) {
        const expected = await reference(orgIds, filter)
        expect(await everyPage(sanne, filter, service), `${firstRound} ${JSON.stringify(filter)}`).toEqual(expected)
        const all: string[] = []
        for await (const rows of service.all(sanne, filter, 7)) all.push(...rows.map((r) => r.id))
        expect(all, `export, ${firstRound} ${JSON.stringify(filter)}`).toEqual(expected)
      }
    }
    // Each read of the entries names its organisation, so a sharded database routes it (docs/SCALING.md).
    expect(statements.some((sql) => sql.includes('with firsts'))).toBe(true)
    for (const sql of statements) expect(checkStatement(sql), sql).toEqual([])
  })

  it('When a page over many organisations is read from the window a recent page reached, then each filter pages through exactly the same entries, new ones included', async () => {
    const options = await t.services.auditLogService.filterOptions(sanne)
    const cases: AuditFilter[] = [
      {},
      { action: options.actions[1]! },
      { user: 'piet' },
      { from: new Date(Date.UTC(2026, 10, 10)), until: new Date(Date.UTC(2026, 10, 20)) },
    ]
    const statements: string[] = []
    const pageReads = recordingReads(statements)
    const windowed = () => statements.filter((sql) => sql.includes('a.organisation_id = any(')).length
    const service = new AuditLogService(t.database.db, pageReads, { fromOrganisations: 1, firstRound: 2, share: 2, walk: 0 })
    for (const filter of cases) {
      const expected = await reference(orgIds, filter)
      // The first time through, each kind of page learns how far back it reaches; the second time
      // pages are read from those windows (the last page, shorter than a page, falls back).
      for (const round of [1, 2]) {
        expect(await everyPage(sanne, filter, service), `${round} ${JSON.stringify(filter)}`).toEqual(expected)
        const all: string[] = []
        for await (const rows of service.all(sanne, filter, 7)) all.push(...rows.map((r) => r.id))
        expect(all, `export ${round} ${JSON.stringify(filter)}`).toEqual(expected)
      }
    }
    expect(windowed()).toBeGreaterThan(10)
    for (const sql of statements) expect(checkStatement(sql), sql).toEqual([])
    // Entries written after the window was learned are in the next first page.
    const before = windowed()
    await t.database.db.auditEvent.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        actorLabel: 'nieuw@voorbeeld.example',
        action: 'user.mail_locale_changed' satisfies AuditAction,
        organisationId: orgIds[i % orgIds.length],
        subjectType: 'user',
      })),
    })
    expect(await everyPage(sanne, {}, service)).toEqual(await reference(orgIds, {}))
    expect(windowed()).toBeGreaterThan(before)
  })

  it('When a page over many organisations is looked for among everyone’s newest entries, then each filter pages through exactly the same entries, whether the walk finds the page or falls short', async () => {
    const options = await t.services.auditLogService.filterOptions(sanne)
    const cases: AuditFilter[] = [{}, { action: options.actions[1]! }, { from: new Date(Date.UTC(2026, 10, 10)), until: new Date(Date.UTC(2026, 10, 20)) }]
    const isWalk = (sql: string) => sql.includes('select w.id from (')
    // Per walk length: pages found by the walk alone, and pages whose walk fell short (then read otherwise).
    const outcome = new Map<number, { found: number; short: number; statements: string[] }>()
    for (const walk of [1, 2, 4]) {
      const statements: string[] = []
      const service = new AuditLogService(t.database.db, recordingReads(statements), { fromOrganisations: 1, firstRound: 2, share: 2, walk })
      const counts = { found: 0, short: 0, statements }
      for (const filter of cases) {
        const expected = await reference(orgIds, filter)
        const ids: string[] = []
        let cursor: bigint | undefined
        for (let i = 0; i < 100; i++) {
          const from = statements.length
          const page = await service.page(sanne, filter, cursor)
          const mine = statements.slice(from)
          if (mine[0] && isWalk(mine[0])) counts[mine.length === 1 ? 'found' : 'short']++
          ids.push(...page.rows.map((r) => r.id))
          if (!page.next) break
          cursor = BigInt(page.next)
        }
        expect(ids, `${walk} ${JSON.stringify(filter)}`).toEqual(expected)
        const all: string[] = []
        for await (const rows of service.all(sanne, filter, 7)) all.push(...rows.map((r) => r.id))
        expect(all, `export ${walk} ${JSON.stringify(filter)}`).toEqual(expected)
      }
      for (const sql of statements) expect(checkStatement(sql), sql).toEqual([])
      outcome.set(walk, counts)
    }
    // Her organisations wrote about half of the entries: four pages' worth of everyone's newest holds
    // her page (not for the rarer action, nor the last page), one page's worth mostly does not.
    expect(outcome.get(4)!.found).toBeGreaterThan(1)
    expect(outcome.get(1)!.short).toBeGreaterThan(0)

    // A burst of another organisation's entries, newer than all of hers: the walk falls short, the
    // page is still exact, and the next page of that kind does not walk again.
    await t.database.db.auditEvent.createMany({
      data: Array.from({ length: 400 }, () => ({
        actorLabel: 'burst@voorbeeld.example',
        action: 'user.mail_locale_changed' satisfies AuditAction,
        organisationId: otherOrgId,
        subjectType: 'user',
      })),
    })
    const statements: string[] = []
    const service = new AuditLogService(t.database.db, recordingReads(statements), { fromOrganisations: 1, firstRound: 2, share: 2, walk: 4 })
    const expected = (await reference(orgIds, {})).slice(0, 50)
    expect((await service.page(sanne, {})).rows.map((r) => r.id)).toEqual(expected)
    expect(isWalk(statements[0]!)).toBe(true)
    expect(statements.length).toBeGreaterThan(1)
    const from = statements.length
    expect((await service.page(sanne, {})).rows.map((r) => r.id)).toEqual(expected)
    expect(statements.slice(from).some(isWalk)).toBe(false)
  })

  it('When the back office pages through the Logboek, then it sees every entry, and with an organisation filter only that organisation’s', async () => {
    expect(await everyPage(backoffice, {})).toEqual(await reference(null, {}))
    expect(await everyPage(backoffice, { organisationId: otherOrgId })).toEqual(await reference([otherOrgId], {}))
  })

  it('When an admin filters on a period, then each organisation’s scan reads the period in page order and stops after a page (it does not read the whole period to sort it)', async () => {
    const scans = await entryScans({ from: new Date(Date.UTC(2026, 10, 1)), until: new Date(Date.UTC(2026, 11, 1)) })
    // Every read of the entries stops at a page (51 rows a loop): ordered by id, the period's
    // entries were all read from the (organisation_id, at) index and sorted.
    for (const scan of scans) expect(scan['Actual Rows'], JSON.stringify(scan)).toBeLessThanOrEqual(51)
  })

  it('When an admin filters on an action, then each organisation’s scan reads only entries of that action and stops after a page (however rare the action is among its entries)', async () => {
    // An action the page's Actie filter offers (and the entries above were written with).
    const action = (await t.services.auditLogService.filterOptions(sanne)).actions[0]!
    const scans = await entryScans({ action })
    for (const scan of scans) {
      expect(scan['Actual Rows'], JSON.stringify(scan)).toBeLessThanOrEqual(51)
      // Read past as "Rows Removed by Filter" when the action was tested per entry of (organisation_id, at, id).
      expect(scan['Rows Removed by Filter'] ?? 0, JSON.stringify(scan)).toBe(0)
    }
    expect(await everyPage(sanne, { action })).toEqual(await reference(orgIds, { action }))
  })
})

/**
 * The reads of audit_events in the statements of Sanne's first two pages with `filter`, run as the
 * pages run them (the generic plan) with EXPLAIN ANALYZE.
 */
async function entryScans(filter: AuditFilter): Promise<PlanNode[]> {
  const statements: Prisma.Sql[] = []
  const service = new AuditLogService(t.database.db, {
    rows: <T>(query: Prisma.Sql) => {
      statements.push(query)
      return t.database.db.$queryRaw<T[]>(query)
    },
  })
  const first = await service.page(sanne, filter)
  if (first.next) await service.page(sanne, filter, BigInt(first.next))
  const client = new pg.Client(poolConfigFromUrl(t.database.url))
  await client.connect()
  try {
    await client.query('SET plan_cache_mode = force_generic_plan')
    const scans: PlanNode[] = []
    for (const [i, statement] of statements.entries()) {
      await client.query(`PREPARE logboek_${i} AS ${statement.text}`)
      // EXECUTE in an EXPLAIN takes no bound parameters: the values go in as literals.
      const args = statement.values.map((v) => client.escapeLiteral(literal(v))).join(', ')
      const result = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE logboek_${i}(${args})`)
      // The scans that choose the page: those under a Limit (the page's own rows are joined by id
      // afterwards, however the planner likes for a small table).
      const found = chosenScans(result.rows[0]!['QUERY PLAN'][0].Plan)
      expect(found.length).toBeGreaterThan(0)
      scans.push(...found)
    }
    return scans
  } finally {
    await client.end()
  }
}

type PlanNode = {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Actual Rows': number
  'Rows Removed by Filter'?: number
  Plans?: PlanNode[]
}

/** A bound value as PostgreSQL reads it from text (these statements bind uuid and text arrays, dates and strings). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `{${value.map((v) => `"${String(v)}"`).join(',')}}`
  if (value instanceof Date) return value.toISOString()
  return String(value)
}

/** The reads of audit_events below a Limit node of `plan`. */
function chosenScans(plan: PlanNode, limited = false): PlanNode[] {
  const here = limited && plan['Relation Name'] === 'audit_events' ? [plan] : []
  return [...here, ...(plan.Plans ?? []).flatMap((child) => chosenScans(child, limited || plan['Node Type'] === 'Limit'))]
}
