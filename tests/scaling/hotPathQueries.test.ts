// docs/SCALING.md shards the data by organisation (Citus): a query on a hot path may only touch a
// distributed table when it says which organisation (or which person, for the person-keyed tables)
// it is about, so Citus can route it to one shard (or a known few) instead of asking all of them.
// This test loads the hot pages as an admin, records every SQL text the app sends (Prisma's pg
// adapter and the page reads both go through pg.Client#query) and checks each statement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { createTestApp, type Agent, type TestApp } from '../helpers/app.ts'
import { checkStatement, KNOWN_GAPS, type Finding } from './shardKeys.ts'
import { recordStatements } from '../helpers/sqlRecorder.ts'

let t: TestApp
let agent: Agent
const recorded: string[] = []
let stopRecording = () => {}

beforeAll(async () => {
  t = await createTestApp()
  agent = await t.loginAs('sanne')
  // Warm up once (principal cache, prepared statements), then record.
  await agent.get(links.overview())
  stopRecording = recordStatements(recorded)
}, 120_000)

afterAll(async () => {
  stopRecording()
  await t?.close()
})

async function pagesOfOneOrganisation(): Promise<string[]> {
  const org = await t.database.db.organisation.findFirstOrThrow({ where: { name: { startsWith: 'Bakkerij De Vries' } } })
  const user = await t.database.db.organisationLink.findFirstOrThrow({ where: { organisationId: org.id } })
  const mandate = await t.database.db.mandate.findFirstOrThrow({ where: { organisationId: org.id } })
  return [
    links.overview(),
    links.mandates({ organisatie: org.id }),
    links.mandates({ organisatie: org.id, pagina: '2' }),
    links.mandates({ organisatie: org.id, inactief: '1' }),
    links.users({ organisatie: org.id }),
    links.users({ organisatie: org.id, zoek: 'jan' }),
    links.userDetail(user.userId),
    links.mandateHistory(mandate.id),
    links.requests(),
    links.auditLog({ organisatie: org.id }),
  ]
}

describe('hot paths are routable by organisation (docs/SCALING.md)', () => {
  it('When an admin loads the Beheer pages, then every statement on a distributed table names its organisation or person', async () => {
    const pages = await pagesOfOneOrganisation()
    const findings: Finding[] = []
    for (const page of pages) {
      recorded.length = 0
      const response = await agent.get(page)
      expect(response.status, page).toBe(200)
      expect(recorded.length, page).toBeGreaterThan(0)
      for (const sql of new Set(recorded)) findings.push(...checkStatement(sql).map((f) => ({ ...f, page })))
    }
    expect(findings.filter((f) => !f.known)).toEqual([])
    // Each known gap still happens (else: remove it from KNOWN_GAPS and docs/SCALING.md).
    expect(new Set(findings.map((f) => f.known))).toEqual(new Set(KNOWN_GAPS.map((g) => g.change)))
  })
})

describe('the check itself', () => {
  it.each([
    ['SELECT * FROM "public"."mandates" WHERE "public"."mandates"."status" = $1', ['mandates']],
    ['SELECT * FROM "public"."mandates" WHERE ("public"."mandates"."organisation_id" = $1 AND "status" = $2)', []],
    ['SELECT * FROM mandates m JOIN organisations o ON o.id = m.organisation_id WHERE m.organisation_id = ANY($1)', []],
    ['SELECT * FROM organisations o WHERE o.name ILIKE $1', ['organisations']],
    ['SELECT * FROM "public"."users" WHERE "public"."users"."id" = $1', []],
    ['SELECT * FROM "public"."means" WHERE "public"."means"."status" = $1', ['means']],
    ['SELECT * FROM "public"."services" WHERE "public"."services"."name" = $1', []],
  ])('%s → findings on %j', (sql, tables) => {
    expect(checkStatement(sql).map((f) => f.table)).toEqual(tables)
  })
})
