// Mail care (#18): each person's mail language (Mijn gegevens, the user page, legal representatives)
// is the language of every mail to them; "Opnieuw versturen" of a link request, an application's
// signing mails and an activation link, limited per item per hour (a flood changes nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueMail } from '../../../src/shared/outbox.ts'
import { links } from '../../../src/paths.ts'
import { LIMITS } from '../../../src/features/security/rateLimits.ts'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const user = (email: string) => db().user.findFirstOrThrow({ where: { emailKey: email } })
const org = (name: string) => db().organisation.findFirstOrThrow({ where: { name } })

/** What a resend changes: mails queued and audit entries written. */
async function footprint() {
  return { mails: await db().outgoingMail.count(), audit: await db().auditEvent.count() }
}

/** Posts the resend until the hour's limit is used (`used` sent already; each sends), then once more (refused). */
async function flood(agent: Agent, page: string, action: string, used = 0) {
  for (let i = used; i < LIMITS.resend.account.points; i++) {
    const before = await footprint()
    expect((await postForm(agent, page, action, {})).status).toBe(303)
    const after = await footprint()
    expect(after.mails).toBeGreaterThan(before.mails)
    expect(after.audit).toBeGreaterThan(before.audit)
  }
  const before = await footprint()
  const refused = await postForm(agent, page, action, {})
  expect(refused.status).toBe(303)
  expect(await footprint()).toEqual(before)
  const shown = await agent.get(String(refused.headers.location))
  expect(shown.text).toContain('Deze e-mail is het afgelopen uur al 3 keer opnieuw verstuurd. Er is niets verstuurd')
}

describe('mail language', () => {
  it('When a user chooses English on Mijn gegevens, then it is stored and audited, and a mail queued in Dutch for him is written in English', async () => {
    const agent = await t.loginAs('jan')
    const page = await agent.get(links.mine())
    expect(page.text).toContain('Taal van e-mails')
    const bad = await postForm(agent, links.mine(), links.mineMailLocale(), { mailLocale: 'fr' })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('Kies Nederlands of English')
    const ok = await postForm(agent, links.mine(), links.mineMailLocale(), { mailLocale: 'en' })
    expect(ok.status).toBe(303)
    const jan = await user('jan.smit@demo.example')
    expect(jan.locale).toBe('en')
    expect(await db().auditEvent.count({ where: { action: 'user.mail_locale_changed', subjectId: jan.id } })).toBe(1)
    await db().$transaction((tx) =>
      queueMail(tx, { idempotencyKey: 'mail-care:jan', to: 'Jan.Smit@demo.example', template: 'means-active', locale: 'nl', data: { name: 'Jan' } }),
    )
    expect((await db().outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'mail-care:jan' } })).locale).toBe('en')
  })

  it('When an admin sets the mail language on the user page, then it is stored; an admin of another organisation gets 404 and changes nothing', async () => {
    const jan = await user('jan.smit@demo.example')
    const sanne = await t.loginAs('sanne')
    const ok = await postForm(sanne, links.userDetail(jan.id), links.userMailLocale(jan.id), { mailLocale: 'nl' })
    expect(ok.status).toBe(303)
    expect((await user('jan.smit@demo.example')).locale).toBe('nl')
    const pieter = await t.loginAs('pieter')
    const refused = await postForm(pieter, links.mine(), links.userMailLocale(jan.id), { mailLocale: 'en' })
    expect(refused.status).toBe(404)
    expect((await user('jan.smit@demo.example')).locale).toBe('nl')
  })

  it('When a legal representative has English as mail language, then the signing mail to him is in English', async () => {
    const linda = await user('linda.degroot@demo.example')
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    await db().legalRepresentative.updateMany({ where: { email: 'anja.bakker@demo.example' }, data: { locale: 'en' } })
    const pieter = await t.loginAs('pieter')
    expect((await postForm(pieter, links.applications(), links.applicationToRepresentatives(app.id), {})).status).toBe(303)
    const mails = await db().outgoingMail.findMany({ where: { template: 'signing-request' }, orderBy: { createdAt: 'desc' }, take: 2 })
    expect(Object.fromEntries(mails.map((m) => [m.toAddress, m.locale]))).toEqual({ 'anja.bakker@demo.example': 'en', 'kees.verbeek@demo.example': 'nl' })
  })

  it('When the back office sets a legal representative to English on the customer page, then it is stored and audited; a representative of another organisation is 404', async () => {
    const bakker = await org('Bakker Installatietechniek B.V.')
    const kees = await db().legalRepresentative.findFirstOrThrow({ where: { organisationId: bakker.id, email: 'kees.verbeek@demo.example' } })
    const backoffice = await t.loginAs('backoffice')
    const page = await backoffice.get(links.backofficeOrganisation(bakker.id))
    expect(page.text).toContain(`id="rep-locale-${kees.id}"`)
    const ok = await postForm(backoffice, links.backofficeOrganisation(bakker.id), links.backofficeRepresentativeLocale(bakker.id), {
      representativeId: kees.id,
      mailLocale: 'en',
    })
    expect(ok.status).toBe(303)
    expect((await db().legalRepresentative.findUniqueOrThrow({ where: { id: kees.id } })).locale).toBe('en')
    expect(await db().auditEvent.count({ where: { action: 'organisation.representative_mail_locale_changed', organisationId: bakker.id } })).toBe(1)
    const other = await org('Bakkerij De Vries B.V.')
    const wrong = await postForm(backoffice, links.backofficeOrganisation(other.id), links.backofficeRepresentativeLocale(other.id), {
      representativeId: kees.id,
      mailLocale: 'nl',
    })
    expect(wrong.status).toBe(404)
    expect((await db().legalRepresentative.findUniqueOrThrow({ where: { id: kees.id } })).locale).toBe('en')
    await db().legalRepresentative.update({ where: { id: kees.id }, data: { locale: 'nl' } })
  })

  it('When a locale other than nl or en is written to the database, then it is refused', async () => {
    await expect(db().user.updateMany({ where: { emailKey: 'jan.smit@demo.example' }, data: { locale: 'de' } })).rejects.toThrow(/users_locale_check/)
    await expect(db().legalRepresentative.updateMany({ data: { locale: 'fr' } })).rejects.toThrow(/legal_representatives_locale_check/)
  })
})

describe('Opnieuw versturen', () => {
  it('When the admin sends a link request again, then the person gets the mail again, audited; after 3 in an hour a Dutch message and nothing sent', async () => {
    const sanne = await t.loginAs('sanne')
    const holding = await org('De Vries Holding B.V.')
    await postForm(sanne, links.requestsNew(), links.requestsNew(), { organisationId: holding.id, email: 'sophie.kramer@demo.example' })
    const request = await db().linkRequest.findFirstOrThrow({ where: { organisationId: holding.id, email: 'sophie.kramer@demo.example', status: 'pending' } })
    const list = await sanne.get(links.requests())
    expect(list.text).toContain(`action="${links.requestResend(request.id)}"`)
    expect(list.text).toContain('Opnieuw versturen')
    await flood(sanne, links.requests(), links.requestResend(request.id))
    expect(await db().outgoingMail.count({ where: { template: 'link-request', toAddress: 'sophie.kramer@demo.example' } })).toBe(
      1 + LIMITS.resend.account.points,
    )
    expect(await db().auditEvent.count({ where: { action: 'link_request.resent', subjectId: request.id } })).toBe(LIMITS.resend.account.points)
  })

  it('When an admin of another organisation sends a request again, then it is 404 and nothing is sent', async () => {
    const request = await db().linkRequest.findFirstOrThrow({ where: { email: 'sophie.kramer@demo.example', status: 'pending' } })
    const pieter = await t.loginAs('pieter')
    const before = await footprint()
    expect((await postForm(pieter, links.requests(), links.requestResend(request.id), {})).status).toBe(404)
    expect(await footprint()).toEqual(before)
  })

  it('When the admin sends the signing mails again, then the limit is per application per hour', async () => {
    // Linda's application: its signing mails went out once in the mail-language test above.
    const linda = await user('linda.degroot@demo.example')
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    const pieter = await t.loginAs('pieter')
    expect((await pieter.get(links.applicationDetail(app.id))).text).toContain('Opnieuw versturen naar bevoegd vertegenwoordigers')
    await flood(pieter, links.applications(), links.applicationToRepresentatives(app.id), 1)
  })

  it('When the admin sends an activation link again, then the limit is per person per hour', async () => {
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const sanne = await t.loginAs('sanne')
    // A person added to the organisation who has not activated the account yet (no password).
    const ria = await db().user.create({
      data: { firstName: 'Ria', lastName: 'Resend', dateOfBirth: new Date('1990-02-03'), email: 'ria.resend@demo.example' },
    })
    await db().organisationLink.create({ data: { userId: ria.id, organisationId: bakkerij.id } })
    const page = await sanne.get(links.userDetail(ria.id))
    expect(page.text).toContain(`action="${links.userActivation(ria.id)}"`)
    await flood(sanne, links.userDetail(ria.id), links.userActivation(ria.id))
  })
})
