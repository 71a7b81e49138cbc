// The Verzoeken list as the admin's service returns it (one statement through the page-read pool):
// what each kind of request shows, in which order, and only for the admin's own organisations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../../src/shared/actor.ts'
import { REQUESTS_PAGE } from '../../../src/features/requests/requestsService.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { followPages } from '../../helpers/pages.ts'

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

  it('When there are more requests than a page, then Verzoeken pages through each once, newest first, and a nonsense cursor shows the first page', async () => {
    const db = t.database.db
    const sanne = await user('sanne.devries@demo.example')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const at = (n: number) => new Date(Date.UTC(2032, 0, 1, 0, 0, Math.floor(n / 2))) // pairs share a created_at: the id decides
    for (let n = 0; n < REQUESTS_PAGE * 2 + 3; n++) {
      await db.linkRequest.create({
        data: {
          email: `pagina-${String(n).padStart(2, '0')}@elders.example`,
          organisationId: bakkerij.id,
          requestedById: sanne.id,
          createdAt: at(n),
          expiresAt: new Date(Date.UTC(2032, 5, 1)),
        },
      })
    }
    const expected = (await t.services.requestsService.listForAdmin(await principalOf('sanne.devries@demo.example'))).map((r) => r.email)
    expect(expected[0]).toBe(`pagina-${REQUESTS_PAGE * 2 + 2}@elders.example`) // the newest: the last created
    const agent = await t.loginAs('sanne')
    const { seen, pages } = await followPages(agent, '/beheer/verzoeken', (html, page) => {
      const emails = [...html.matchAll(/<th class="utrecht-table__header-cell" scope="row">(?:[^<]*<br><span class="bm-muted">)?([^<]+)</g)].map((m) => m[1]!)
      expect(emails.length).toBeLessThanOrEqual(REQUESTS_PAGE)
      if (page > 1) expect(html).toContain('Eerste pagina')
      return emails
    })
    expect(seen).toEqual(expected)
    expect(pages).toBe(Math.ceil(expected.length / REQUESTS_PAGE))
    const first = await agent.get('/beheer/verzoeken')
    const nonsense = await agent.get(`/beheer/verzoeken?na=${Buffer.from('{"c":"morgen","i":"x"}').toString('base64url')}`)
    expect(nonsense.status).toBe(200)
    expect(nonsense.text.match(/pagina-\d\d@elders.example/g)).toEqual(first.text.match(/pagina-\d\d@elders.example/g))
  })
})
