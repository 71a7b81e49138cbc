import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../../src/shared/actor.ts'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const org = (name: string) => t.database.db.organisation.findFirstOrThrow({ where: { name } })
const user = (email: string) => t.database.db.user.findFirstOrThrow({ where: { emailKey: email } })

describe('Verzoeken', () => {
  it("When the admin follows Verzoeken → Nieuw verzoek with an existing user's address, then the request is listed and the user gets a link-request e-mail", async () => {
    const agent = await t.loginAs('sanne')
    const list = await agent.get('/beheer/verzoeken')
    expect(list.status).toBe(200)
    expect(list.text).toContain('Nieuw verzoek')
    expect(list.text).toContain('href="/beheer/verzoeken/nieuw"')
    const holding = await org('De Vries Holding B.V.')
    const response = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', {
      organisationId: holding.id,
      email: 'SOPHIE.KRAMER@demo.example',
    })
    expect(response.status).toBe(303)
    const page = await agent.get('/beheer/verzoeken')
    expect(page.text).toContain('SOPHIE.KRAMER@demo.example')
    expect(page.text).toContain('Openstaand')
    expect(page.text).toContain('Verlopen') // the demo's lapsed request
    const mail = await t.database.db.outgoingMail.findFirstOrThrow({ where: { template: 'link-request', toAddress: 'sophie.kramer@demo.example' } })
    expect(mail.data).toMatchObject({ organisationName: 'De Vries Holding B.V.', requestPath: '/mijn-gegevens' })
  })

  it('When the address is malformed or already linked, then the form says why and nothing is sent', async () => {
    // Changed by #20: an unknown address used to be refused with "Er is geen gebruiker met dit
    // e-mailadres" (an oracle on other customers' people); it is now answered like a known one
    // (see "Nieuw verzoek answers the same way" below).
    const agent = await t.loginAs('sanne')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const before = await t.database.db.linkRequest.count()
    const bad = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', { organisationId: bakkerij.id, email: 'geen-adres' })
    expect(bad.status).toBe(422)
    const linked = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', { organisationId: bakkerij.id, email: 'jan.smit@demo.example' })
    expect(linked.text).toContain('al gekoppeld')
    expect(await t.database.db.linkRequest.count()).toBe(before)
  })

  it('When an admin asks for an organisation he does not administer, then it is refused (rule 7)', async () => {
    const agent = await t.loginAs('sanne')
    const bakker = await org('Bakker Installatietechniek B.V.')
    const response = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', {
      organisationId: bakker.id,
      email: 'sophie.kramer@demo.example',
    })
    expect(response.status).toBe(422)
    expect(await t.database.db.linkRequest.count({ where: { organisationId: bakker.id } })).toBe(0)
  })

  it('When the user accepts in Mijn gegevens, then the link exists and his pending mandates for that organisation become active (rule 8)', async () => {
    const fatma = await user('fatma.yilmaz@demo.example')
    const holding = await org('De Vries Holding B.V.')
    const pendingMandate = await t.database.db.mandate.create({
      data: {
        userId: fatma.id,
        organisationId: holding.id,
        scope: 'all',
        level: 'EH3',
        validFrom: new Date(),
        validUntil: new Date(Date.now() + 300 * 86400000),
        status: 'pending',
      },
    })
    // Fatma has no password in the demo: act through the service as she would.
    const principal = (await t.services.authService.loadPrincipal(fatma.id))!
    const request = await t.database.db.linkRequest.findFirstOrThrow({ where: { userId: fatma.id, organisationId: holding.id, status: 'pending' } })
    const result = await t.services.requestsService.decide(principal, systemActor(fatma.email), request.id, true)
    expect(result.activated).toBe(1)
    expect(await t.database.db.organisationLink.count({ where: { userId: fatma.id, organisationId: holding.id } })).toBe(1)
    expect((await t.database.db.mandate.findUniqueOrThrow({ where: { id: pendingMandate.id } })).status).toBe('active')
    await expect(t.services.requestsService.decide(principal, systemActor(), request.id, true)).rejects.toMatchObject({
      messageKey: 'requests:errors.notPending',
    })
  })

  it('When a request is older than 3 months, then it shows as Verlopen and accepting it is refused without a link (rule 8)', async () => {
    const jan = await user('jan.smit@demo.example')
    const kantoor = await org('Administratiekantoor Van Dijk & Partners B.V.')
    const created = new Date(Date.now() - 100 * 86400000)
    const request = await t.database.db.linkRequest.create({
      data: { userId: jan.id, organisationId: kantoor.id, createdAt: created, expiresAt: new Date(created.getTime() + 91 * 86400000) },
    })
    const agent = await t.loginAs('jan')
    const mine = await agent.get('/mijn-gegevens')
    expect(mine.text).not.toContain(`/mijn-gegevens/verzoeken/${request.id}/accepteren`)
    const response = await postForm(agent, '/mijn-gegevens', `/mijn-gegevens/verzoeken/${request.id}/accepteren`, {})
    expect(response.status).toBe(303)
    const after = await agent.get('/mijn-gegevens')
    expect(after.text).toContain('Dit verzoek is verlopen')
    expect(await t.database.db.organisationLink.count({ where: { userId: jan.id, organisationId: kantoor.id } })).toBe(0)
  })

  it('When a user rejects a request, then no link is made', async () => {
    const jan = await user('jan.smit@demo.example')
    const holding = await org('De Vries Holding B.V.')
    const request = await t.database.db.linkRequest.create({
      data: { userId: jan.id, organisationId: holding.id, expiresAt: new Date(Date.now() + 86400000 * 30) },
    })
    const agent = await t.loginAs('jan')
    const page = await agent.get('/mijn-gegevens')
    expect(page.text).toContain('De Vries Holding B.V.')
    await postForm(agent, '/mijn-gegevens', `/mijn-gegevens/verzoeken/${request.id}/weigeren`, {})
    expect((await t.database.db.linkRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('rejected')
    expect(await t.database.db.organisationLink.count({ where: { userId: jan.id, organisationId: holding.id } })).toBe(0)
  })

  it("When someone else tries to accept a user's request, then it does not exist for him", async () => {
    const jan = await user('jan.smit@demo.example')
    const kantoor = await org('Administratiekantoor Van Dijk & Partners B.V.')
    const request = await t.database.db.linkRequest.create({
      data: { userId: jan.id, organisationId: kantoor.id, expiresAt: new Date(Date.now() + 86400000 * 30) },
    })
    const sanne = (await t.services.authService.loadPrincipal((await user('sanne.devries@demo.example')).id))!
    await expect(t.services.requestsService.decide(sanne, systemActor(), request.id, true)).rejects.toMatchObject({ status: 404 })
  })

  it('Nieuw verzoek answers the same way whether or not the address has an account, and the list shows only the address until the person accepts (#20)', async () => {
    const agent = await t.loginAs('sanne')
    const holding = await org('De Vries Holding B.V.')
    const known = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', {
      organisationId: holding.id,
      email: 'pieter.bakker@demo.example',
    })
    const knownPage = await agent.get('/beheer/verzoeken')
    const unknown = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', {
      organisationId: holding.id,
      email: 'niemand.hier@voorbeeld.nl',
    })
    const unknownPage = await agent.get('/beheer/verzoeken')
    expect(known.status).toBe(303)
    expect(unknown.status).toBe(303)
    expect(known.headers.location).toBe(unknown.headers.location)
    const flashOf = (html: string) => /Als dit e-mailadres bij ons bekend is, ontvangt de persoon een verzoek\./.test(html)
    expect(flashOf(knownPage.text)).toBe(true)
    expect(flashOf(unknownPage.text)).toBe(true)
    expect(knownPage.text.replaceAll('pieter.bakker@demo.example', 'X')).not.toContain('Pieter')
    expect(unknownPage.text).toContain('niemand.hier@voorbeeld.nl')
    expect(unknownPage.text).not.toMatch(/Pieter|Bakker<|P\. Bakker/)
    // Both are stored alike and audited alike; only the person with an account gets the e-mail.
    const rows = await t.database.db.linkRequest.findMany({
      where: { organisationId: holding.id, email: { in: ['pieter.bakker@demo.example', 'niemand.hier@voorbeeld.nl'] } },
    })
    expect(rows).toHaveLength(2)
    const audits = await t.database.db.auditEvent.findMany({ where: { action: 'link_request.created', subjectId: { in: rows.map((r) => r.id) } } })
    expect(audits.map((a) => Object.keys(a.after as object).sort())).toEqual([
      ['email', 'expiresAt', 'organisationId'],
      ['email', 'expiresAt', 'organisationId'],
    ])
    expect(await t.database.db.outgoingMail.count({ where: { template: 'link-request', toAddress: 'pieter.bakker@demo.example' } })).toBe(1)
    expect(await t.database.db.outgoingMail.count({ where: { toAddress: 'niemand.hier@voorbeeld.nl' } })).toBe(0)
    // Once Pieter accepts, his name appears in Sanne's list.
    const pieter = await user('pieter.bakker@demo.example')
    const request = rows.find((r) => r.userId === pieter.id)!
    const principal = (await t.services.authService.loadPrincipal(pieter.id))!
    await t.services.requestsService.decide(principal, systemActor(pieter.email), request.id, true)
    const after = await agent.get('/beheer/verzoeken')
    expect(after.text).toContain('Pieter')
  })

  it('When an admin sends more than 20 verzoeken for one organisation within an hour, then he gets a Dutch message and 429 (#20)', async () => {
    await t.database.db.rateLimit.deleteMany() // earlier tests in this file sent some
    const agent = await t.loginAs('sanne')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    let last = null as Awaited<ReturnType<typeof postForm>> | null
    for (let i = 0; i < 21; i++) {
      last = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', { organisationId: bakkerij.id, email: `probe${i}@voorbeeld.nl` })
      if (i < 20) expect(last.status).toBe(303)
    }
    expect(last!.status).toBe(429)
    expect(last!.text).toContain('te veel verzoeken verstuurd')
    expect(await t.database.db.linkRequest.count({ where: { email: 'probe20@voorbeeld.nl' } })).toBe(0)
    // The limit is per organisation: the other one still works.
    const holding = await org('De Vries Holding B.V.')
    const other = await postForm(agent, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', { organisationId: holding.id, email: 'probe-other@voorbeeld.nl' })
    expect(other.status).toBe(303)
  })
})
