// Overzicht's "Uw machtigingen": the person's live own mandates (active and pending), in the order of
// Mijn gegevens (status, then end date), each with its service or scope (src/shared/ownMandates.ts);
// ended ones are not listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OWN_MANDATES_SHOWN } from '../../../src/features/overview/overviewService.ts'
import { giveAdminOrganisations } from '../../helpers/adminOrganisations.ts'
import { ACCOUNTS, createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

describe('Overzicht: own mandates', () => {
  it('When a user opens Overzicht, then his active and pending mandates are listed as Mijn gegevens orders them (status, then end date) with their service, and a revoked one is not', async () => {
    // Arrange: one of Jan's mandates revoked
    const db = t.database.db
    const jan = await db.user.findFirstOrThrow({ where: { email: 'jan.smit@demo.example' } })
    const revoked = await db.mandate.findFirstOrThrow({ where: { userId: jan.id, scope: 'service', status: 'active' }, include: { service: true } })
    await db.mandate.update({ where: { id: revoked.id }, data: { status: 'revoked', revokedAt: new Date() } })
    const live = await db.mandate.findMany({
      where: { userId: jan.id, status: { in: ['active', 'pending'] } },
      include: { organisation: true, service: true },
      orderBy: [{ status: 'asc' }, { validUntil: 'asc' }, { id: 'asc' }],
    })
    expect(live.length).toBeGreaterThan(1)

    // Act
    const page = await (await t.loginAs('jan')).get('/overzicht')
    const shown = await t.services.overviewService.forUser((await t.services.authService.loadPrincipal(jan.id))!)

    // Assert
    expect(page.status).toBe(200)
    expect(shown.mandates.map((m) => m.id)).toEqual(live.map((m) => m.id))
    const section = page.text.slice(page.text.indexOf('Uw machtigingen'))
    for (const m of live) expect(section).toContain(m.organisation.name)
    for (const m of live.filter((x) => x.service)) expect(section).toContain(m.service!.name)
    if (!live.some((m) => m.serviceId === revoked.serviceId)) expect(section).not.toContain(revoked.service!.name)
  })

  it('When a user has more own mandates than Overzicht shows, then Overzicht shows the first rows of Mijn gegevens, which its link opens', async () => {
    // Arrange: Johan administers 14 more organisations, each through an own admin mandate
    const db = t.database.db
    await giveAdminOrganisations(db, ACCOUNTS.johan.email, { count: 14, prefix: 'Eigen', firstKvk: 92000000 })
    const johan = await db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.johan.email } })
    const principal = (await t.services.authService.loadPrincipal(johan.id))!

    // Act
    const overview = await t.services.overviewService.forUser(principal)
    const mine = await t.services.selfService.profile(principal)
    const page = await (await t.loginAs('johan')).get('/overzicht')

    // Assert
    expect(overview.mandatesMore).toBe(true)
    expect(overview.mandates).toHaveLength(OWN_MANDATES_SHOWN)
    expect(overview.mandates.map((m) => m.id)).toEqual(mine.mandates.slice(0, OWN_MANDATES_SHOWN).map((m) => m.id))
    expect(page.text).toContain(`Hierboven staan de eerste ${OWN_MANDATES_SHOWN} van uw machtigingen.`)
  })
})

describe('Overzicht and Mijn gegevens: own means', () => {
  it('When a user opens Overzicht or Mijn gegevens, then his means (and on Mijn gegevens his details) are exactly what Prisma reads, newest end first, each level as the app names it', async () => {
    const db = t.database.db
    // A second means at EH2+, which the database spells 'EH2+'.
    const jan = await db.user.findFirstOrThrow({ where: { email: 'jan.smit@demo.example' } })
    await db.means.create({
      data: { userId: jan.id, level: 'EH2_PLUS', status: 'expired', validFrom: new Date('2020-01-01'), validUntil: new Date('2022-01-01') },
    })
    const people = await db.user.findMany({ where: { means: { some: {} } }, select: { id: true } })
    let compared = 0
    for (const { id } of people) {
      const principal = (await t.services.authService.loadPrincipal(id))!
      const expected = await db.means.findMany({ where: { userId: id }, orderBy: [{ validUntil: 'desc' }, { id: 'asc' }] })
      expect((await t.services.overviewService.forUser(principal)).means, id).toEqual(expected)
      const profile = await t.services.selfService.profile(principal)
      expect(profile.means, id).toEqual(expected)
      expect(profile.user, id).toEqual(
        await db.user.findUniqueOrThrow({
          where: { id },
          select: { firstName: true, lastNamePrefix: true, lastName: true, email: true, mobile: true, dateOfBirth: true, locale: true },
        }),
      )
      compared += expected.length
    }
    expect(compared).toBeGreaterThan(5)
  })
})
