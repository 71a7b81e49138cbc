// "Opnieuw versturen" of a mail with a link (issue 18): the link of the earlier mail stops working and its
// page says, in Dutch, that a newer mail was sent; only the newest link works. Signing an application,
// activating an account and signing a registration behave alike (supersedeActionTokens in
// src/shared/workflows/actionTokens.ts). A link-request mail carries no link of its own: it sends the person
// to Mijn gegevens, where they answer after logging in, so a resend leaves no older link to cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { createTestApp, csrfFrom, postForm, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db

/** The link in the mails of a template to an address, oldest first. */
async function mailedPaths(template: string, to: string, field: string): Promise<string[]> {
  const mails = await db().outgoingMail.findMany({ where: { template, toAddress: to }, orderBy: { createdAt: 'asc' } })
  return mails.map((m) => (m.data as Record<string, string>)[field]!)
}

describe('a mail with a link sent again', () => {
  it("When an application's signing mails are sent again, then the earlier link shows that a newer mail was sent and signs nothing; the newest link signs", async () => {
    const linda = await db().user.findFirstOrThrow({ where: { emailKey: 'linda.degroot@demo.example' } })
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    const signatures = () => db().applicationSignature.count({ where: { applicationId: app.id } })
    const before = await signatures()
    const pieter = await t.loginAs('pieter')
    for (let i = 0; i < 2; i++)
      expect((await postForm(pieter, links.applicationDetail(app.id), links.applicationToRepresentatives(app.id), {})).status).toBe(303)
    const [first, newest] = (await mailedPaths('signing-request', 'anja.bakker@demo.example', 'signPath')).slice(-2)
    expect(first).not.toBe(newest)

    const old = await t.agent().get(first!)
    expect(old.status).toBe(410)
    expect(old.text).toContain('Deze link werkt niet meer: er is u daarna een nieuwere e-mail gestuurd om deze aanvraag te ondertekenen.')
    expect(old.text).not.toContain('<form method="post" action="/ondertekenen')
    // Posting the old link anyway (with a valid form token from the newest link's page) signs nothing.
    const agent = t.agent()
    const refused = await postForm(agent, newest!, first!, {})
    expect(refused.status).toBe(410)
    expect(refused.text).toContain('er is u daarna een nieuwere e-mail gestuurd')
    expect(await signatures()).toBe(before)

    const signed = await postForm(t.agent(), newest!, newest!, {})
    expect(signed.status).toBe(200)
    const anja = await db().legalRepresentative.findFirstOrThrow({ where: { email: 'anja.bakker@demo.example' } })
    expect(await db().applicationSignature.count({ where: { applicationId: app.id, legalRepresentativeId: anja.id } })).toBe(1)
    // Each sending is audited with its mails, in one transaction.
    expect(await db().auditEvent.count({ where: { action: 'application.signing_requested', subjectId: app.id } })).toBeGreaterThanOrEqual(2)
  })

  it('When an activation link is sent again, then the earlier link shows that a newer mail was sent and sets no password; the newest link works', async () => {
    const bakkerij = await db().organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
    const ria = await db().user.create({
      data: { firstName: 'Ria', lastName: 'Opnieuw', dateOfBirth: new Date('1990-02-03'), email: 'ria.opnieuw@demo.example' },
    })
    await db().organisationLink.create({ data: { userId: ria.id, organisationId: bakkerij.id } })
    const sanne = await t.loginAs('sanne')
    for (let i = 0; i < 2; i++) expect((await postForm(sanne, links.userDetail(ria.id), links.userActivation(ria.id), {})).status).toBe(303)
    const [first, newest] = await mailedPaths('account-activation', 'ria.opnieuw@demo.example', 'activatePath')

    const old = await t.agent().get(first!)
    expect(old.status).toBe(410)
    expect(old.text).toContain('Er is een nieuwere link gestuurd')
    expect(old.text).toContain('er is u daarna een nieuwe e-mail met een activatielink gestuurd')
    const password = 'Een-lang-genoeg-wachtwoord-2026'
    const refused = await postForm(t.agent(), newest!, first!, { password, passwordRepeat: password })
    expect(refused.status).toBe(410)
    expect((await db().user.findUniqueOrThrow({ where: { id: ria.id } })).passwordHash).toBeNull()

    expect((await t.agent().get(newest!)).status).toBe(200)
    const done = await postForm(t.agent(), newest!, newest!, { password, passwordRepeat: password })
    expect(done.status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id: ria.id } })).passwordHash).not.toBeNull()
  })

  it("When a registration's signing mails are sent again, then the earlier link shows that a newer mail was sent; the newest link opens the request", async () => {
    const agent = t.agent()
    await postForm(agent, '/eherkenning-aanvragen', '/eherkenning-aanvragen', { kvkNumber: '90417263' })
    const sent = await postForm(agent, '/eherkenning-aanvragen/gegevens?kvk=90417263', '/eherkenning-aanvragen/gegevens', {
      kvkNumber: '90417263',
      firstName: 'Wim',
      lastName: 'Jansen',
      dateOfBirth: '1979-03-04',
      email: 'wim@fietsenmakerij.example',
      emailConfirmed: '1',
      mobile: '06 12345678',
      level: 'EH2_PLUS',
      sign_0: '1',
      repEmail_0: 'willem@fietsenmakerij.example',
    })
    expect(sent.status).toBe(303)
    const manage = (await mailedPaths('registration-status', 'wim@fietsenmakerij.example', 'managePath'))[0]!
    const page = await agent.get(manage)
    expect(
      (
        await agent
          .post(`${manage}/opnieuw`)
          .type('form')
          .send({ _csrf: csrfFrom(page.text) })
      ).status,
    ).toBe(303)
    const [first, newest] = await mailedPaths('registration-signing', 'willem@fietsenmakerij.example', 'signPath')

    const old = await t.agent().get(first!)
    expect(old.status).toBe(410)
    expect(old.text).toContain('Er is een nieuwere link gestuurd')
    expect(old.text).toContain('Gebruik de link uit de nieuwste e-mail.')
    expect((await t.agent().get(newest!)).status).toBe(200)
  })

  it('When a link-request mail is sent again, then both mails send the person to Mijn gegevens (no link of their own), where the one request waits', async () => {
    const holding = await db().organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const sanne = await t.loginAs('sanne')
    expect(
      (await postForm(sanne, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', { organisationId: holding.id, email: 'pieter.bakker@demo.example' })).status,
    ).toBe(303)
    const request = await db().linkRequest.findFirstOrThrow({ where: { organisationId: holding.id, email: 'pieter.bakker@demo.example', status: 'pending' } })
    expect((await postForm(sanne, links.requests(), links.requestResend(request.id), {})).status).toBe(303)
    const paths = await mailedPaths('link-request', 'pieter.bakker@demo.example', 'requestPath')
    expect(paths).toEqual([links.mine(), links.mine()])
    const pieter = await t.loginAs('pieter')
    const mine = await pieter.get(links.mine())
    expect(mine.text.split(links.mineRequestAccept(request.id)).length - 1).toBe(1)
  })
})
