// The Machtigingen list's user filter ("naam of e-mailadres"): substring of the displayed name or
// of the e-mail address, case-insensitive, `%` and `_` literal, only users with a mandate in the
// admin's organisations; a search of three or more characters can use the trigram index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../../src/shared/principal.ts'
import { MandateListService } from '../../../src/features/mandates/listService.ts'
import { userMatches } from '../../../src/shared/userSearch.ts'
import { SearchTrigramsCache } from '../../../src/shared/searchTrigrams.ts'
import { UsersService } from '../../../src/features/users/usersService.ts'
import { PgPageReads, prismaPageReads, type PageReads } from '../../../src/db/pageReads.ts'
import { INDEX_WALK } from '../../../src/shared/indexWalk.ts'
import { loadConfig } from '../../../src/config.ts'
import { MandateWizardService } from '../../../src/features/mandates/wizardService.ts'
import { todayUtc } from '../../../src/domain/dates.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'
import { actorFor, demo, yearsFromToday } from './helpers.ts'

let t: TestDatabase
let service: MandateListService
let d: Awaited<ReturnType<typeof demo>>
let sanne: Principal
/** Test users, all with the last name Zoekmans. */
const u = { wim: '', bram: '', eline: '', wanda: '', wouter: '' }

async function addUser(firstName: string, lastNamePrefix: string | null, email: string, mandateIn: string | null, linkedTo: string) {
  const user = await t.db.user.create({
    data: { firstName, lastNamePrefix, lastName: 'Zoekmans', email, dateOfBirth: new Date('1985-05-05') },
  })
  await t.db.means.create({ data: { userId: user.id, level: 'EH3', status: 'active', validFrom: todayUtc(), validUntil: yearsFromToday(2) } })
  await t.db.organisationLink.create({ data: { userId: user.id, organisationId: linkedTo } })
  if (mandateIn) {
    await t.db.mandate.create({
      data: {
        kind: 'use',
        userId: user.id,
        organisationId: mandateIn,
        scope: 'all',
        level: 'EH2',
        validFrom: todayUtc(),
        validUntil: yearsFromToday(1),
        status: 'active',
      },
    })
  }
  return user.id
}

beforeAll(async () => {
  t = await createTestDatabase({ demo: true, poolSize: 4 })
  service = new MandateListService(t.db)
  d = await demo(t.db)
  sanne = (await actorFor(t.db, d.sanne)).principal!
  u.wim = await addUser('Wim', 'van der', 'w.zoek_mans@zoektest.example', d.bakkerij, d.bakkerij)
  u.bram = await addUser('Bram', null, 'b.zoekxmans@zoektest.example', d.holding, d.holding)
  u.eline = await addUser('Eline', null, 'e.100%zoek@zoektest.example', d.bakkerij, d.bakkerij)
  // Wanda has her mandate at Pieter's organisation; Wouter is linked to Sanne's but has no mandate.
  u.wanda = await addUser('Wanda', null, 'wanda@zoektest.example', d.bakker, d.bakker)
  u.wouter = await addUser('Wouter', null, 'wouter@zoektest.example', null, d.bakkerij)
})
afterAll(async () => {
  await t.drop()
})

/** The holders of the mandates the list shows for this search (all statuses). */
async function listedUsers(user: string, organisationId?: string): Promise<string[]> {
  const page = await service.list(sanne, { user, inactive: true, ...(organisationId ? { organisationId } : {}) }, null)
  return [...new Set(page.rows.map((r) => r.userId))].sort()
}
const sorted = (...ids: string[]) => [...ids].sort()

describe('list: user filter', () => {
  it('When searching part of the displayed name, then the users whose name holds it are listed, in any case', async () => {
    expect(await listedUsers('m van der zoek')).toEqual([u.wim])
    expect(await listedUsers('WIM VAN DER ZOEKMANS')).toEqual([u.wim])
    expect(await listedUsers('  eline zoekMANS ')).toEqual([u.eline])
  })

  it('When searching part of the e-mail address, then its user is listed, in any case', async () => {
    expect(await listedUsers('W.ZOEK_MANS@ZoekTest')).toEqual([u.wim])
    expect(await listedUsers('b.zoekxmans@')).toEqual([u.bram])
  })

  it('When the search holds % or _, then they match only themselves, not any text', async () => {
    expect(await listedUsers('zoek_mans')).toEqual([u.wim])
    expect(await listedUsers('100%zoek')).toEqual([u.eline])
    expect(await listedUsers('%')).toEqual([u.eline])
    expect(await listedUsers('zoek%mans')).toEqual([])
    expect(await listedUsers('w_zoek')).toEqual([])
  })

  it('When the search runs from the end of the name into the e-mail address, then nobody matches', async () => {
    expect(await listedUsers('Zoekmans\nw.zoek')).toEqual([])
  })

  it('When searching one or two characters, then the users whose name or e-mail holds them are listed', async () => {
    const ids = await listedUsers('iM')
    expect(ids).toContain(u.wim)
    const users = await t.db.user.findMany({ where: { id: { in: ids } } })
    for (const user of users) expect(`${user.firstName} ${user.lastNamePrefix ?? ''} ${user.lastName} ${user.email}`.toLowerCase()).toContain('im')
  })

  it("When users match the search but have no mandate in the admin's organisations, then they are never found (rule 7)", async () => {
    expect(await listedUsers('zoekmans')).toEqual(sorted(u.wim, u.bram, u.eline))
    expect(await listedUsers('zoekmans', d.holding)).toEqual([u.bram])
    expect(await listedUsers('wanda')).toEqual([])
    expect(await listedUsers('wouter')).toEqual([])
  })

  it('When searching three or more characters, then the planner can answer it from the trigram index users_search_trgm_idx', async () => {
    // With plain and index scans off, a bitmap scan of an index matching the expression is the only
    // plan that is not disabled: it is chosen exactly when the search uses the index's expression.
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`set local enable_seqscan = off`
      await tx.$executeRaw`set local enable_indexscan = off`
      await tx.$executeRaw`set local enable_indexonlyscan = off`
      const rows = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`explain select u.id from users u where ${userMatches('zoekmans')}`
      return rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    expect(plan).toContain('Bitmap Index Scan on users_search_trgm_idx')
    expect(plan).not.toMatch(/Disabled: true|Seq Scan/)
  })
})

describe("a word in most users' names (the search leaves its trigrams out of the index conditions)", () => {
  /** 300 users "Gemeen 0000" … "Gemeen 0299" (gemeen.N@veel.example), each with a mandate at the bakery. */
  const gemeen: string[] = []
  let common: ReadonlySet<string>

  beforeAll(async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      firstName: 'Gerrit',
      lastName: `Gemeen ${String(i).padStart(4, '0')}`,
      email: `gemeen.${i}@veel.example`,
      dateOfBirth: new Date('1980-01-01'),
    }))
    const users = await t.db.user.createManyAndReturn({ data: rows, select: { id: true, lastName: true } })
    users.sort((a, b) => a.lastName.localeCompare(b.lastName)).forEach((user) => gemeen.push(user.id))
    await t.db.organisationLink.createMany({ data: gemeen.map((userId) => ({ userId, organisationId: d.bakkerij })) })
    await t.db.means.createMany({
      data: gemeen.map((userId) => ({ userId, level: 'EH3' as const, status: 'active' as const, validFrom: todayUtc(), validUntil: yearsFromToday(2) })),
    })
    await t.db.mandate.createMany({
      data: gemeen.map((userId) => ({
        kind: 'use' as const,
        userId,
        organisationId: d.bakkerij,
        scope: 'all' as const,
        level: 'EH2' as const,
        validFrom: todayUtc(),
        validUntil: yearsFromToday(1),
        status: 'active' as const,
      })),
    })
    await t.db.$executeRaw`analyze users`
    common = await new SearchTrigramsCache(prismaPageReads(t.db)).get()
  })

  it("When PostgreSQL's statistics show a word in most users' texts, then its trigrams are common and other names' are not", () => {
    for (const trigram of ['gem', 'eme', 'mee', 'een', 'vee', 'eel', 'exa']) expect(common.has(trigram), trigram).toBe(true)
    for (const trigram of ['zoe', 'san', '004']) expect(common.has(trigram), trigram).toBe(false)
  })

  it('When searching such a name, then the index is asked only for the uncommon part, and the plan says so', async () => {
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`set local enable_seqscan = off`
      await tx.$executeRaw`set local enable_indexscan = off`
      await tx.$executeRaw`set local enable_indexonlyscan = off`
      const rows = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`explain select u.id from users u where ${userMatches('Gemeen 0042', common)}`
      return rows.map((r) => r['QUERY PLAN']).join('\n')
    })
    const indexCondition = plan.slice(plan.indexOf('Index Cond:'))
    expect(indexCondition).toContain("'%0042%'")
    expect(indexCondition).not.toContain('gemeen')
  })

  it('When searching with the common trigrams left out, then exactly the same users are found as with the whole search', async () => {
    const found = async (search: string, trigrams?: ReadonlySet<string>) =>
      (await t.db.$queryRaw<{ id: string }[]>`select u.id from users u where ${userMatches(search, trigrams)} order by u.id`).map((r) => r.id)
    const searches = [
      'Gemeen 0042',
      'gemeen 004',
      'GEMEEN.42@VEEL',
      'een 01',
      'rrit gemeen 029',
      'gemeen',
      'meen 02',
      'gemeen_0042',
      'x%gemeen 1',
      'Gerrit Gemeen',
      'emeen.1',
    ]
    for (const search of searches) {
      const whole = await found(search)
      expect(await found(search, common), search).toEqual(whole)
    }
    expect(await found('Gemeen 0042', common)).toEqual([gemeen[42]])
    expect((await found('gemeen 004', common)).length).toBe(10)
  })

  it('When an admin searches such a name in Gebruikers, Machtigingen and the wizard, then that user is found', async () => {
    const users = new UsersService(t.db, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }))
    expect((await users.list(sanne, { q: 'Gemeen 0042' })).rows.map((r) => r.id)).toEqual([gemeen[42]])
    // As the app runs it: the search through reads planned for their values (src/services.ts), the
    // list without a search through the page reads; both give what Prisma gives.
    const custom = PgPageReads.connect(t.url, 1, 'custom')
    const generic = PgPageReads.connect(t.url, 1)
    try {
      const searched: string[] = []
      const searchReads: PageReads = { rows: (query) => (searched.push(query.text), custom.rows(query)) }
      const app = new UsersService(t.db, loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), generic, INDEX_WALK, searchReads)
      for (const q of ['Gemeen 0042', 'gemeen 004', 'zoekmans', 'ge']) {
        expect(await app.list(sanne, { q }), q).toEqual(await users.list(sanne, { q }))
      }
      expect(searched).toHaveLength(4)
      expect(await app.list(sanne, {})).toEqual(await users.list(sanne, {}))
      expect(searched).toHaveLength(4)
    } finally {
      await custom.end()
      await generic.end()
    }
    expect(await listedUsers('gemeen 0042')).toEqual([gemeen[42]])
    const wizard = new MandateWizardService(t.db)
    expect((await wizard.candidateUsers(sanne, d.bakkerij, false, 'Gemeen 0042')).users.map((u) => u.id)).toEqual([gemeen[42]])
  })
})
