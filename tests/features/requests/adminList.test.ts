// The Verzoeken list as the admin's service returns it (one statement through the page-read pool):
// what each kind of request shows, in which order, and only for the admin's own organisations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../../src/shared/actor.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const user = (email: string) => t.database.db.user.findFirstOrThrow({ where: { emailKey: email } })
const org = (name: string) => t.database.db.organisation.findFirstOrThrow({ where: { name } })
const principalOf = async (email: string) => (await t.services.authService.loadPrincipal((await user(email)).id))!

describe('Verzoeken: the admin list', () => {
  it('When requests of every kind exist, then each shows its address, name only once accepted, requester and organisation, newest first, own organisations only', async () => {
    const sanne = await principalOf('sanne.devries@demo.example')
    const holding = await org('De Vries Holding B.V.')
    const elsewhere = await org('Bakker Installatietechniek B.V.')
    const sophie = await user('sophie.kramer@demo.example')
    const fatma = await user('fatma.yilmaz@demo.example')
    const day = (n: number) => new Date(Date.UTC(2031, 0, n))
    const expires = new Date(Date.UTC(2031, 5, 1))
    const db = t.database.db
    const typed = await db.linkRequest.create({
      data: {
        userId: sophie.id,
        email: 'Sophie.Kramer@demo.example',
        organisationId: holding.id,
        requestedById: sanne.id,
        createdAt: day(3),
        expiresAt: expires,
      },
    })
    const unknown = await db.linkRequest.create({
      data: { userId: null, email: 'onbekend@elders.example', organisationId: holding.id, requestedById: sanne.id, createdAt: day(2), expiresAt: expires },
    })
    const fromWizard = await db.linkRequest.create({
      data: { userId: fatma.id, email: null, organisationId: holding.id, requestedById: null, createdAt: day(1), expiresAt: expires },
    })
    const notHers = await db.linkRequest.create({
      data: { userId: sophie.id, email: 'sophie.kramer@demo.example', organisationId: elsewhere.id, createdAt: day(4), expiresAt: expires },
    })
    const before = await t.services.requestsService.listForAdmin(sanne)
    const ours = before.filter((r) => [typed.id, unknown.id, fromWizard.id].includes(r.id))
    expect(before.map((r) => r.id)).not.toContain(notHers.id)
    expect(ours.map((r) => r.id)).toEqual([typed.id, unknown.id, fromWizard.id])
    expect(ours[0]).toMatchObject({
      organisationId: holding.id,
      organisation: { name: 'De Vries Holding B.V.' },
      email: 'Sophie.Kramer@demo.example',
      name: null,
      status: 'pending',
      shownStatus: 'pending',
      createdAt: day(3),
      expiresAt: expires,
      decidedAt: null,
      requestedBy: { firstName: 'Sanne', lastNamePrefix: 'de', lastName: 'Vries' },
    })
    expect(ours[1]).toMatchObject({ email: 'onbekend@elders.example', name: null })
    expect(ours[2]).toMatchObject({ email: 'fatma.yilmaz@demo.example', name: null, requestedBy: null })

    const fatmaPrincipal = await principalOf('fatma.yilmaz@demo.example')
    await t.services.requestsService.decide(fatmaPrincipal, systemActor(fatma.email), fromWizard.id, true)
    const after = await t.services.requestsService.listForAdmin(sanne)
    expect(after.find((r) => r.id === fromWizard.id)).toMatchObject({ status: 'accepted', shownStatus: 'accepted', name: 'Fatma Yılmaz' })
    expect(after.find((r) => r.id === fromWizard.id)!.decidedAt).toBeInstanceOf(Date)
  })
})
