// Gebruikers and the wizard's user step read an organisation's members in name order from the names
// kept on organisation_links / former_links (src/shared/members.ts). They must list exactly the
// people, in exactly the order, that the person-driven query (every user in name order, tested for
// membership) listed: for one organisation and for several, paged, with the means filters and with
// "Toon ook inactieve gebruikers", after a rename, and for people linked to several organisations.
import { Prisma } from '../../../src/generated/prisma/client.ts'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { toDbLevel } from '../../../src/domain/levels.ts'
import { addYears, todayUtc } from '../../../src/domain/dates.ts'
import { PAGE_SIZE, UsersService, type UserFilter } from '../../../src/features/users/usersService.ts'
import { CANDIDATE_PAGE } from '../../../src/features/mandates/wizardService.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { ACCOUNTS } from '../../helpers/app.ts'
import { recordStatements } from '../../helpers/sqlRecorder.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
let principal: Principal
let orgIds: string[]

// Names that sort on last name, then first name, then id (equal names twice), with case and accents.
const LAST = ['de Boer', 'Bakker', 'Visser', 'bakker', 'Ömer', 'Jansen', 'Zwart', 'Aa']
const FIRST = ['Anna', 'Bram', 'anna', 'Émile', 'Kees']

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  const admin = await db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.sanne.email } })
  principal = (await t.services.authService.loadPrincipal(admin.id))!
  orgIds = principal.adminOrganisations.map((o) => o.id)
  expect(orgIds.length).toBeGreaterThan(1)
  // 70 people: each in one or both of the admin's organisations, some with an active EH3 means.
  for (let i = 0; i < 70; i++) {
    const user = await db.user.create({
      data: {
        firstName: FIRST[i % FIRST.length]!,
        lastName: LAST[i % LAST.length]!,
        dateOfBirth: new Date('1980-01-01'),
        email: `lid${i}@leden.example`,
      },
    })
    const orgs = i % 3 === 0 ? orgIds : [orgIds[i % orgIds.length]!]
    for (const organisationId of orgs) await db.organisationLink.create({ data: { userId: user.id, organisationId } })
    if (i % 4 === 0)
      await db.means.create({
        data: { userId: user.id, level: 'EH3', status: 'active', validFrom: todayUtc(), validUntil: addYears(todayUtc(), 3) },
      })
  }
  // One person afgemeld from the first organisation (link gone, former link kept), one renamed.
  const leaver = await db.user.findFirstOrThrow({ where: { emailKey: 'lid1@leden.example' } })
  await db.organisationLink.deleteMany({ where: { userId: leaver.id } })
  await db.formerLink.create({ data: { userId: leaver.id, organisationId: orgIds[0]! } })
  await db.user.update({ where: { emailKey: 'lid2@leden.example' }, data: { lastName: 'Aalbers', firstName: 'Zoë' } })
}, 120_000)

afterAll(async () => {
  await t?.close()
})

/** The person-driven reference: every user in name order, tested for membership (the former query). */
async function reference(ids: string[], filter: UserFilter = {}): Promise<string[]> {
  const former = filter.inactief
    ? Prisma.sql`or exists (select 1 from former_links f where f.user_id = u.id and f.organisation_id = any(${ids}::uuid[]))`
    : Prisma.empty
  const level = filter.level ? Prisma.sql`and m.level = ${toDbLevel(filter.level)}::"Level"` : Prisma.empty
  const rows = await t.database.db.$queryRaw<{ id: string }[]>`
    select u.id from users u
    left join lateral (select level, status from means where user_id = u.id
      order by (status = 'active') desc, (status = 'requested') desc, valid_until desc limit 1) m on true
    where (exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id = any(${ids}::uuid[])) ${former}) ${level}
    order by u.last_name, u.first_name, u.id`
  return rows.map((r) => r.id)
}

async function everyPage(filter: UserFilter, service: UsersService = t.services.usersService): Promise<string[]> {
  const ids: string[] = []
  let after: string | undefined
  for (let page = 0; page < 20; page++) {
    const result = await service.list(principal, filter, after)
    expect(result.rows.length).toBeLessThanOrEqual(PAGE_SIZE)
    ids.push(...result.rows.map((r) => r.id))
    if (!result.next) return ids
    after = result.next
  }
  throw new Error('more than 20 pages')
}

describe('members in name order', () => {
  it('When links are added or a person is renamed, then the links carry the person’s current names, whatever an insert said', async () => {
    const db = t.database.db
    const renamed = await db.user.findFirstOrThrow({ where: { emailKey: 'lid2@leden.example' }, include: { links: true } })
    expect(renamed.links.length).toBeGreaterThan(0)
    expect(renamed.links.every((l) => l.lastName === 'Aalbers' && l.firstName === 'Zoë')).toBe(true)
    const leaver = await db.formerLink.findFirstOrThrow({ where: { user: { emailKey: 'lid1@leden.example' } }, include: { user: true } })
    expect([leaver.lastName, leaver.firstName]).toEqual([leaver.user.lastName, leaver.user.firstName])
    const forged = await db.organisationLink.update({ where: { id: renamed.links[0]!.id }, data: { lastName: 'Anders' } })
    expect(forged.lastName).toBe('Aalbers')
    await db.user.update({ where: { id: leaver.userId }, data: { lastName: 'Vertrokken' } })
    expect((await db.formerLink.findFirstOrThrow({ where: { userId: leaver.userId } })).lastName).toBe('Vertrokken')
  })

  it('When Gebruikers is paged for all, for each organisation, with a level filter and with the inactive, then it lists exactly the person-driven order', async () => {
    const cases: { ids: string[]; filter: UserFilter }[] = [
      { ids: orgIds, filter: {} },
      ...orgIds.map((id) => ({ ids: [id], filter: { organisationId: id } })),
      { ids: orgIds, filter: { level: 'EH3' } },
      { ids: orgIds, filter: { inactief: '1' } },
      { ids: [orgIds[0]!], filter: { organisationId: orgIds[0]!, inactief: '1' } },
    ]
    for (const c of cases) {
      const expected = await reference(c.ids, c.filter)
      expect(expected.length).toBeGreaterThan(0)
      expect(await everyPage(c.filter), JSON.stringify(c.filter)).toEqual(expected)
    }
    // People in both organisations appear once; the leaver only with the inactive shown.
    const all = await everyPage({})
    expect(new Set(all).size).toBe(all.length)
    const leaver = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'lid1@leden.example' } })
    expect(all).not.toContain(leaver.id)
    expect(await everyPage({ inactief: '1' })).toContain(leaver.id)
  })

  it('When the wizard’s user step is paged, with and without the users of the admin’s other organisations, then it lists exactly the person-driven order', async () => {
    for (const includeUnlinked of [false, true]) {
      const ids: string[] = []
      for (let page = 0; ; page++) {
        const result = await t.services.mandateWizardService.candidateUsers(principal, orgIds[0]!, includeUnlinked, '', page)
        expect(result.users.length).toBeLessThanOrEqual(CANDIDATE_PAGE)
        ids.push(...result.users.map((u) => u.id))
        if (!result.more) break
      }
      expect(ids).toEqual(await reference(includeUnlinked ? orgIds : [orgIds[0]!]))
    }
  })

  it('When Gebruikers walks every organisation’s links in name order (from 50 organisations on), then with any cap it lists exactly the person-driven order, and the walk served pages', async () => {
    // Every statement sent (the walk through the page reads, the page itself through Prisma).
    const statements: string[] = []
    const reads = { rows: <T>(query: Prisma.Sql) => t.database.db.$queryRaw<T[]>(query) }
    onTestFinished(recordStatements(statements))
    const cases: { ids: string[]; filter: UserFilter }[] = [
      { ids: orgIds, filter: {} },
      { ids: orgIds, filter: { level: 'EH3' } },
      { ids: [orgIds[1]!], filter: { organisationId: orgIds[1]! } },
      { ids: orgIds, filter: { inactief: '1' } },
    ]
    let walked = 0
    let fellBack = 0
    for (const cap of [1, 5, 30, 100_000]) {
      const service = new UsersService(t.database.db, t.config, reads, { fromOrganisations: 1, cap })
      for (const c of cases) {
        statements.length = 0
        expect(await everyPage(c.filter, service), `${JSON.stringify(c.filter)} cap ${cap}`).toEqual(await reference(c.ids, c.filter))
        const walks = statements.filter((text) => text.includes('row_number()')).length
        const scans = statements.filter((text) => text.includes('cross join lateral')).length
        if (c.filter.inactief) {
          expect(walks, 'no walk with afgemelde people').toBe(0)
          continue
        }
        walked += walks - scans
        fellBack += scans
        if (cap === 100_000 && !c.filter.inactief) expect(scans, JSON.stringify(c.filter)).toBe(0)
      }
    }
    expect(walked).toBeGreaterThan(5)
    expect(fellBack).toBeGreaterThan(5)
  })

  it('When Gebruikers lists people, then each row counts the live mandates and names the links in the admin’s organisations only, and marks who is afgemeld from all of them', async () => {
    const db = t.database.db
    // One member also holds a live mandate and a link at an organisation the admin does not administer.
    const other = await db.organisation.findFirstOrThrow({ where: { id: { notIn: orgIds } } })
    const member = await db.user.findFirstOrThrow({ where: { emailKey: 'lid4@leden.example' } })
    await db.organisationLink.create({ data: { userId: member.id, organisationId: other.id } })
    await db.mandate.create({
      data: {
        userId: member.id,
        organisationId: other.id,
        scope: 'all',
        level: 'EH2',
        validFrom: todayUtc(),
        validUntil: addYears(todayUtc(), 1),
        status: 'active',
      },
    })
    await db.mandate.create({
      data: {
        userId: member.id,
        organisationId: orgIds[0]!,
        scope: 'all',
        level: 'EH2',
        validFrom: todayUtc(),
        validUntil: addYears(todayUtc(), 1),
        status: 'active',
      },
    })
    const rows = []
    let after: string | undefined
    do {
      const page = await t.services.usersService.list(principal, { inactief: '1' }, after)
      rows.push(...page.rows)
      after = page.next ?? undefined
    } while (after)
    const names = new Map(principal.adminOrganisations.map((o) => [o.id, o.name]))
    for (const row of rows) {
      const links = await db.organisationLink.findMany({ where: { userId: row.id, organisationId: { in: orgIds } }, include: { organisation: true } })
      const live = await db.mandate.count({ where: { userId: row.id, organisationId: { in: orgIds }, status: { in: ['active', 'pending'] } } })
      expect(row.mandates, row.id).toBe(live)
      expect(row.organisations, row.id).toEqual(
        principal.adminOrganisations.filter((o) => links.some((l) => l.organisationId === o.id)).map((o) => names.get(o.id)),
      )
      expect(row.formerOnly, row.id).toBe(links.length === 0)
    }
    expect(rows.some((r) => r.id === member.id)).toBe(true)
    expect(rows.some((r) => r.formerOnly)).toBe(true)
    expect(rows.some((r) => r.mandates > 0)).toBe(true)
  })
})
