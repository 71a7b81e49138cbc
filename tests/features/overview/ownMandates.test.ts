// Overzicht's "Uw machtigingen": the person's live own mandates (active and pending), by organisation
// name, each with its service or scope (src/shared/ownMandates.ts); ended ones are not listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

describe('Overzicht: own mandates', () => {
  it('When a user opens Overzicht, then his active and pending mandates are listed by organisation with their service, and a revoked one is not', async () => {
    // Arrange: one of Jan's mandates revoked
    const db = t.database.db
    const jan = await db.user.findFirstOrThrow({ where: { email: 'jan.smit@demo.example' } })
    const revoked = await db.mandate.findFirstOrThrow({ where: { userId: jan.id, scope: 'service', status: 'active' }, include: { service: true } })
    await db.mandate.update({ where: { id: revoked.id }, data: { status: 'revoked', revokedAt: new Date() } })
    const live = await db.mandate.findMany({
      where: { userId: jan.id, status: { in: ['active', 'pending'] } },
      include: { organisation: true, service: true },
      orderBy: [{ organisation: { name: 'asc' } }, { validUntil: 'asc' }],
    })

    // Act
    const page = await (await t.loginAs('jan')).get('/overzicht')

    // Assert
    expect(page.status).toBe(200)
    const section = page.text.slice(page.text.indexOf('Uw machtigingen'))
    const positions = live.map((m) => section.indexOf(m.organisation.name))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    for (const m of live.filter((x) => x.service)) expect(section).toContain(m.service!.name)
    if (!live.some((m) => m.serviceId === revoked.serviceId)) expect(section).not.toContain(revoked.service!.name)
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
