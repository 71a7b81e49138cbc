// A person's page (UsersService.detail): the person with their means, links, former links, mandates
// and applications in the admin's organisations. The organisations' names come from the principal and
// the services' from the catalogue in memory: the result must be exactly what Prisma's includes give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PERSON_DATA_SELECT } from '../../../src/shared/selects.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { ACCOUNTS, createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
const db = () => t.database.db

beforeAll(async () => {
  t = await createTestApp()
  // Someone afgemeld from Sanne's first organisation (the demo has nobody), so former links are compared too.
  const sanne = await principalOf(ACCOUNTS.sanne.email)
  const former = await db().user.create({
    data: { firstName: 'Oud', lastName: 'Medewerker', email: 'oud.medewerker@voorbeeld.nl', dateOfBirth: new Date('1970-01-01') },
  })
  await db().formerLink.create({ data: { userId: former.id, organisationId: sanne.adminOrganisations[0]!.id } })
})
afterAll(async () => {
  await t.close()
})

async function principalOf(email: string): Promise<Principal> {
  const user = await db().user.findFirstOrThrow({ where: { emailKey: email } })
  return (await t.services.authService.loadPrincipal(user.id))!
}

/** The person as Prisma's includes read them (the detail's query before its names came from memory). */
function reference(userId: string, orgIds: string[]) {
  return db().user.findFirst({
    where: { id: userId, OR: [{ links: { some: { organisationId: { in: orgIds } } } }, { formerLinks: { some: { organisationId: { in: orgIds } } } }] },
    select: {
      ...PERSON_DATA_SELECT,
      locale: true,
      means: { orderBy: [{ validUntil: 'desc' }, { id: 'asc' }] },
      links: {
        where: { organisationId: { in: orgIds } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { organisation: { select: { id: true, name: true, kvkNumber: true } } },
      },
      formerLinks: {
        where: { organisationId: { in: orgIds } },
        orderBy: [{ endedAt: 'asc' }, { id: 'asc' }],
        include: { organisation: { select: { id: true, name: true, kvkNumber: true } } },
      },
      mandates: {
        where: { organisationId: { in: orgIds } },
        include: { organisation: { select: { name: true } }, service: { select: { name: true } }, provider: { select: { name: true } } },
        orderBy: [{ status: 'asc' }, { validUntil: 'asc' }, { id: 'asc' }],
      },
      applications: {
        where: { organisationId: { in: orgIds } },
        include: { organisation: { select: { name: true } } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      },
    },
  })
}

describe('UsersService.detail', () => {
  it('When an admin opens any person of her organisations, then the page has exactly what Prisma’s includes read, names of organisations, services and providers included, and whether the account is activated', async () => {
    let compared = 0
    let withService = 0
    let withProvider = 0
    const activatedSeen = new Set<boolean>()
    let withApplication = 0
    let withFormerLink = 0
    let withLevel = 0
    for (const email of [ACCOUNTS.sanne.email, ACCOUNTS.pieter.email]) {
      const principal = await principalOf(email)
      const orgIds = principal.adminOrganisations.map((o) => o.id)
      expect(orgIds.length).toBeGreaterThan(0)
      const people = await db().user.findMany({
        where: { OR: [{ links: { some: { organisationId: { in: orgIds } } } }, { formerLinks: { some: { organisationId: { in: orgIds } } } }] },
        select: { id: true },
      })
      for (const { id } of people) {
        const expected = await reference(id, orgIds)
        const { user, activated } = await t.services.usersService.detail(principal, id)
        expect(user, id).toEqual(expected)
        expect(activated, id).toBe(await t.services.activationService.isActivated(id))
        activatedSeen.add(activated)
        withApplication += user.applications.length
        withFormerLink += user.formerLinks.length
        withLevel += user.applications.filter((a) => a.level).length
        compared++
        withService += user.mandates.filter((m) => m.service).length
        withProvider += user.mandates.filter((m) => m.provider).length
      }
    }
    // The demo data must have exercised every name: persons, services and providers.
    expect(compared).toBeGreaterThan(5)
    expect(withService).toBeGreaterThan(0)
    expect(withProvider).toBeGreaterThan(0)
    expect(activatedSeen).toEqual(new Set([true, false]))
    expect(withApplication).toBeGreaterThan(0)
    expect(withFormerLink).toBeGreaterThan(0)
    expect(withLevel).toBeGreaterThan(0)
  })

  it('When a person is not of the admin’s organisations, then the page is not found', async () => {
    const sanne = await principalOf(ACCOUNTS.sanne.email)
    const stranger = await db().user.findFirstOrThrow({
      where: { links: { none: { organisationId: { in: sanne.adminOrganisations.map((o) => o.id) } } }, formerLinks: { none: {} } },
    })
    await expect(t.services.usersService.detail(sanne, stranger.id)).rejects.toThrow()
  })
})
