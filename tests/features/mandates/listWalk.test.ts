// Machtigingen over many organisations, or filtered on one service, walks all organisations' mandates
// in page order first (listWalk.ts) and falls back to the scans per organisation when a capped walk
// cannot tell the page.
// Here the walk is switched on from one organisation and capped at several lengths, from one that
// always gives up to one that never has to: paged to the end and back, with each filter the page
// offers, every list must equal the per-organisation scans' list, and the walk must really have
// served pages (and the fallback others).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Prisma } from '../../../src/generated/prisma/client.ts'
import { MandateListService } from '../../../src/features/mandates/listService.ts'
import type { Cursor, ListFilter } from '../../../src/features/mandates/model.ts'
import { walkedIds, type WalkRow } from '../../../src/features/mandates/listWalk.ts'
import { LEVELS } from '../../../src/domain/levels.ts'
import { MANDATE_STATUSES } from '../../../src/domain/statuses.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'
import { actorFor, demo } from './helpers.ts'

let t: TestDatabase
let sanne: Principal
const statements: string[] = []

beforeAll(async () => {
  t = await createTestDatabase({ demo: true, poolSize: 4 })
  const d = await demo(t.db)
  sanne = (await actorFor(t.db, d.sanne)).principal!
}, 120_000)
afterAll(async () => {
  await t.drop()
})

function service(walk: { fromOrganisations: number; cap: number }): MandateListService {
  return new MandateListService(
    t.db,
    {
      rows: <T>(query: Prisma.Sql) => {
        statements.push(query.text)
        return t.db.$queryRaw<T[]>(query)
      },
    },
    walk,
  )
}

/** Every page forward, then every page back from the last one: the ids in page order, both ways. */
async function walkThrough(list: MandateListService, filter: ListFilter): Promise<{ forward: string[]; backward: string[] }> {
  const forward: string[] = []
  let cursor: Cursor | null = null
  let last: Cursor | null = null
  for (let i = 0; i < 100; i++) {
    const page = await list.list(sanne, filter, cursor)
    forward.push(...page.rows.map((r) => r.id))
    if (!page.next) {
      last = page.previous
      break
    }
    cursor = page.next
  }
  const backward: string[] = []
  for (cursor = last; cursor;) {
    const page = await list.list(sanne, filter, cursor)
    backward.unshift(...page.rows.map((r) => r.id))
    cursor = page.previous
  }
  return { forward, backward }
}

const FILTERS: ListFilter[] = [
  { pageSize: 25 },
  { inactive: true, pageSize: 25 },
  { sort: 'end-desc', pageSize: 25 },
  { sort: 'end-desc', inactive: true, pageSize: 50 },
  ...MANDATE_STATUSES.map((status) => ({ status, pageSize: 25 })),
  ...LEVELS.map((level) => ({ level, pageSize: 25 })),
  ...LEVELS.map((level) => ({ level, inactive: true, sort: 'end-desc' as const, pageSize: 25 })),
]

describe('Machtigingen walked over all organisations', () => {
  it('When the list walks all organisations with any cap, then every filter gives, forward and back, the same pages as the scans per organisation', async () => {
    const scans = service({ fromOrganisations: Number.POSITIVE_INFINITY, cap: 1 })
    const walks = [1, 3, 10, 40, 100_000].map((cap) => ({ cap, list: service({ fromOrganisations: 1, cap }) }))
    let walkedPages = 0
    let fellBack = 0
    // The "Dienst" options the page offers ('all', each provider, each service) that Sanne's mandates use.
    const catalogue = await scans.catalogueForFilter()
    const offered = ['all', ...catalogue.providers.map((p) => `provider:${p.id}`), ...catalogue.services.map((x) => `service:${x.id}`)]
    const used = new Set(
      (await t.db.mandate.findMany({ where: { organisationId: { in: sanne.adminOrganisations.map((o) => o.id) } }, select: { scopeKey: true } })).map(
        (m) => m.scopeKey,
      ),
    )
    const scopes = offered.filter((scope) => used.has(scope)).slice(0, 6)
    expect(scopes.length).toBeGreaterThan(2)
    const filters: ListFilter[] = [
      ...FILTERS,
      ...scopes.map((scope) => ({ scope, pageSize: 25 })),
      ...scopes.map((scope) => ({ scope, inactive: true, sort: 'end-desc' as const, pageSize: 25 })),
    ]
    for (const filter of filters) {
      const expected = await walkThrough(scans, filter)
      expect(expected.backward, JSON.stringify(filter)).toEqual(expected.forward.slice(0, expected.backward.length))
      for (const { cap, list } of walks) {
        statements.length = 0
        const got = await walkThrough(list, filter)
        expect(got.forward, `${JSON.stringify(filter)} cap ${cap}`).toEqual(expected.forward)
        expect(got.backward, `${JSON.stringify(filter)} cap ${cap} backward`).toEqual(expected.backward)
        const walked = statements.filter((s) => s.includes('row_number()')).length
        const scanned = statements.filter((s) => s.includes('o.id and')).length
        walkedPages += walked - scanned
        fellBack += scanned
        if (cap === 100_000) expect(scanned, JSON.stringify(filter)).toBe(0)
      }
    }
    expect(walkedPages).toBeGreaterThan(30)
    expect(fellBack).toBeGreaterThan(30)
  })

  it('When a user search runs over many organisations, then the scans per person give, forward and back, the same pages as the scans per organisation', async () => {
    const scans = service({ fromOrganisations: Number.POSITIVE_INFINITY, cap: 1 })
    const persons = service({ fromOrganisations: 1, cap: 10 })
    // Searches as an admin types them: a holder's last name and e-mail address from the list itself,
    // parts that many share (every address holds "@": more than a page), and one that finds nobody.
    let listed = (await scans.list(sanne, { inactive: true, pageSize: 100 }, null)).rows
    expect(listed.length).toBeGreaterThan(5)
    // More than a page for the searches many match: service mandates for the holders listed.
    const services = await t.db.service.findMany({ where: { requiredLevel: 'EH2' }, select: { id: true }, orderBy: { name: 'asc' }, take: 3 })
    expect(services).toHaveLength(3)
    const withMeans = new Set((await t.db.means.findMany({ where: { status: 'active' }, select: { userId: true } })).map((m) => m.userId))
    const holders = [...new Map(listed.filter((r) => withMeans.has(r.userId)).map((r) => [r.userId, r])).values()].slice(0, 8)
    expect(holders.length).toBeGreaterThan(4)
    const statuses = ['active', 'expired', 'pending', 'revoked', 'active', 'suspended'] as const
    for (const [h, row] of holders.entries()) {
      for (const [i, { id: serviceId }] of services.entries()) {
        await t.db.mandate.create({
          data: {
            kind: 'use',
            userId: row.userId,
            organisationId: row.organisationId,
            scope: 'service',
            serviceId,
            scopeKey: `service:${serviceId}`,
            level: 'EH2',
            validFrom: new Date(Date.UTC(2026, 0, 1)),
            validUntil: new Date(Date.UTC(2027, h, 1 + i * 3)),
            status: statuses[(h + i) % statuses.length],
          },
        })
      }
    }
    listed = (await scans.list(sanne, { inactive: true, pageSize: 100 }, null)).rows
    const holder = listed[Math.floor(listed.length / 2)]!
    const searches = [holder.userName.split(' ').at(-1)!, holder.userEmail, 'de', '@', 'niemand-heet-zo']
    let personPages = 0
    let longest = 0
    for (const user of searches) {
      for (const filter of [
        { user, pageSize: 25 },
        { user, inactive: true, pageSize: 25 },
        { user, inactive: true, sort: 'end-desc' as const, pageSize: 25 },
        { user, level: 'EH3' as const, pageSize: 25 },
        { user, status: 'expired' as const, pageSize: 25 },
      ] satisfies ListFilter[]) {
        const expected = await walkThrough(scans, filter)
        statements.length = 0
        const got = await walkThrough(persons, filter)
        expect(got.forward, JSON.stringify(filter)).toEqual(expected.forward)
        expect(got.backward, `${JSON.stringify(filter)} backward`).toEqual(expected.backward)
        expect(
          statements.some((s) => s.includes('o.id and')),
          JSON.stringify(filter),
        ).toBe(false)
        personPages += statements.filter((s) => s.includes('as p(id)')).length
        longest = Math.max(longest, got.forward.length)
        if (user === holder.userEmail && 'inactive' in filter && !('level' in filter)) expect(got.forward).toContain(holder.id)
      }
    }
    expect(personPages).toBeGreaterThan(searches.length * 5)
    expect(longest).toBeGreaterThan(25)
  })

  it('When a capped walk stops before the page is full, then it asks for the scans; a walk that met the end or filled the page does not', () => {
    const day = (d: number) => new Date(Date.UTC(2027, 0, d))
    const row = (d: number, id: string, matched = true, last = false): WalkRow => ({ valid_until: day(d), id, matched, last })
    const q = { limit: 3, ascending: true }
    // The walk filled the page (limit + 1 emitted rows, in any order from the statement).
    expect(walkedIds([row(1, 'a1'), row(3, 'a3'), row(5, 'a5'), row(2, 'p2')], q)).toEqual(['a1', 'p2', 'a3'])
    // Capped at day 2: what is known up to there does not fill the page.
    expect(walkedIds([row(1, 'a1'), row(2, 'px', false, true)], q)).toBeNull()
    // Capped on a matching entry that fills the page: every row up to there is known.
    expect(walkedIds([row(1, 'a1'), row(3, 'a3'), row(9, 'a9', true, true)], q)).toEqual(['a1', 'a3', 'a9'])
    // Capped after the page was full (the cap's entry is emitted too).
    expect(walkedIds([row(1, 'a1'), row(3, 'a3'), row(4, 'a4'), row(9, 'px', false, true)], q)).toEqual(['a1', 'a3', 'a4'])
    // The walk met the end of its statuses: the list ends here, short of a page.
    expect(walkedIds([row(1, 'a1')], q)).toEqual(['a1'])
    // Backwards (sorted by end date, latest first), ties on the day broken by id.
    expect(walkedIds([row(4, 'b'), row(4, 'c'), row(1, 'p')], { ...q, ascending: false })).toEqual(['c', 'b', 'p'])
  })
})
