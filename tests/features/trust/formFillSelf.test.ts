// Issue 19 (g): the forms a person fills for himself, through their rendered fields
// (tests/helpers/forms.ts): log in, language, stay logged in, log out, Mijn gegevens (mobile, e-mail
// and its confirmation, password, second factor and its enrolment, cancelling the means, accepting and
// refusing a link request, Taal van e-mails), forgotten password and its reset. Each asserts its effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pathFor, paths } from '../../../src/paths.ts'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { currentTotp } from '../../../src/shared/totp.ts'
import { ACCOUNTS, allowTotpAgain, createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'
import { byAction, mainText, offeredIn } from '../../helpers/formFill.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
const db = () => t.database.db
const NEW_PASSWORD = 'Formulier-wachtwoord-2026!'

describe('forms a person fills for himself, as rendered (issue 19)', () => {
  it('When a person logs in, switches the language, stays logged in and logs out through the forms, then each takes effect', async () => {
    const agent = t.agent()
    await allowTotpAgain(db(), ACCOUNTS.sanne.email)
    const login = await submitForm(agent, paths.login, byAction(paths.login), {
      email: ACCOUNTS.sanne.email,
      password: DEMO_PASSWORD,
      code: currentTotp(ACCOUNTS.sanne.totp),
    })
    expect(login.status).toBe(303)
    expect((await agent.get(paths.overview)).status).toBe(200)
    const switched = await submitForm(agent, paths.overview, byAction(paths.language))
    expect(switched.status).toBeLessThan(400)
    expect(mainText((await agent.get(paths.overview)).text)).toMatch(/Welcome/)
    await submitForm(agent, paths.overview, byAction(paths.language))
    const kept = await submitForm(agent, paths.overview, byAction(paths.sessionKeepAlive))
    expect(kept.status).toBeLessThan(400)
    expect((await agent.get(paths.overview)).status).toBe(200)
    expect((await submitForm(agent, paths.overview, byAction(paths.logout))).status).toBe(303)
    expect((await agent.get(paths.overview)).status).toBe(303)
  })

  it('When a user changes his mobile number and e-mail address through Mijn gegevens and confirms the new address, then both are stored', async () => {
    const agent = await t.loginAs('jan')
    expect((await submitForm(agent, paths.mine, byAction(paths.mineMobile), { mobile: '0687654321' })).status).toBe(303)
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    expect(jan.mobile).toMatch(/687654321$/)
    expect((await submitForm(agent, paths.mine, byAction(paths.mineEmail), { email: 'jan.formulier@demo.example' })).status).toBe(303)
    const mail = await db().outgoingMail.findFirstOrThrow({ where: { template: 'email-change', toAddress: 'jan.formulier@demo.example' } })
    const confirmPage = (mail.data as { confirmPath: string }).confirmPath
    const token = confirmPage.split('/').pop()!
    const confirm = pathFor(paths.mineEmailConfirm, { token })
    expect((await submitForm(t.agent(), confirmPage, byAction(confirm))).status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id: jan.id } })).emailKey).toBe('jan.formulier@demo.example')
    await db().user.update({ where: { id: jan.id }, data: { email: 'jan.smit@demo.example' } })
  })

  it('When a user sets the language of his e-mails through Mijn gegevens, then his locale is stored and audited', async () => {
    const agent = await t.loginAs('jan')
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const other = offeredIn((await agent.get(paths.mine)).text, 'mailLocale').find((l) => l !== jan.locale)!
    const audits = () => db().auditEvent.count({ where: { action: 'user.mail_locale_changed', subjectId: jan.id } })
    const auditsBefore = await audits()
    expect((await submitForm(agent, paths.mine, byAction(paths.mineMailLocale), { mailLocale: other })).status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id: jan.id } })).locale).toBe(other)
    expect(await audits()).toBe(auditsBefore + 1)
    await db().user.update({ where: { id: jan.id }, data: { locale: jan.locale } })
  })

  it('When a user accepts one link request and refuses another through Mijn gegevens, then the first links him and the second is refused', async () => {
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const holding = await db().organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const installer = await db().organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })
    for (const [account, org] of [
      ['sanne', holding],
      ['pieter', installer],
    ] as const) {
      const admin = await t.loginAs(account)
      const sent = await submitForm(admin, paths.beheer.requestsNew, byAction(paths.beheer.requestsNew), { organisationId: org.id, email: jan.email })
      expect(sent.status).toBe(303)
    }
    const agent = await t.loginAs('jan')
    const accepted = await db().linkRequest.findFirstOrThrow({ where: { organisationId: holding.id, status: 'pending', email: jan.email } })
    const refused = await db().linkRequest.findFirstOrThrow({ where: { organisationId: installer.id, status: 'pending', email: jan.email } })
    const accept = pathFor(paths.mineRequestAccept, { id: accepted.id })
    expect((await submitForm(agent, paths.mine, byAction(accept))).status).toBe(303)
    expect(await db().organisationLink.count({ where: { userId: jan.id, organisationId: holding.id } })).toBe(1)
    const reject = pathFor(paths.mineRequestReject, { id: refused.id })
    expect((await submitForm(agent, paths.mine, byAction(reject))).status).toBe(303)
    expect((await db().linkRequest.findUniqueOrThrow({ where: { id: refused.id } })).status).not.toBe('pending')
    expect(await db().organisationLink.count({ where: { userId: jan.id, organisationId: installer.id } })).toBe(0)
  })

  it('When a user changes his password and sets up a second factor through the security forms, then both are stored', async () => {
    const agent = await t.loginAs('jan')
    const before = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const changed = await submitForm(agent, paths.mineSecurity, byAction(paths.minePassword), {
      currentPassword: DEMO_PASSWORD,
      password: NEW_PASSWORD,
      passwordRepeat: NEW_PASSWORD,
    })
    expect(changed.status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id: before.id } })).passwordHash).not.toBe(before.passwordHash)
    const start = await submitForm(agent, paths.mineSecurity, byAction(paths.mineSecondFactor), { currentPassword: NEW_PASSWORD })
    expect(start.status).toBe(303)
    const enrolPage = (await agent.get(String(start.headers.location))).text
    const secret = /<code class="utrecht-code">([A-Z2-7 ]+)<\/code>/.exec(enrolPage)?.[1]?.replace(/ /g, '')
    expect(secret).toBeTruthy()
    const enrolled = await submitForm(agent, paths.security.enrol, byAction(paths.security.enrol), { code: currentTotp(secret!) })
    expect(enrolled.status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id: before.id } })).totpEnabledAt).not.toBeNull()
  })

  it('When a user cancels his own means through its form, then it is revoked', async () => {
    const agent = await t.loginAs('sanne')
    const sanne = await db().user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.sanne.email }, include: { means: { where: { status: 'active' } } } })
    const means = sanne.means[0]!
    const page = pathFor(paths.mineMeansCancel, { id: means.id })
    const when = offeredIn((await agent.get(page)).text, 'when')
    const response = await submitForm(agent, page, byAction(page), when.length ? { when: when[0]! } : {})
    expect(response.status).toBe(303)
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).status).toBe('revoked')
  })

  it('When a person asks for a password reset and sets a new password through the forms, then the new password is stored', async () => {
    const agent = t.agent()
    expect((await submitForm(agent, paths.security.forgotPassword, byAction(paths.security.forgotPassword), { email: ACCOUNTS.pieter.email })).status).toBe(303)
    const mail = await db().outgoingMail.findFirstOrThrow({ where: { template: 'password-reset', toAddress: ACCOUNTS.pieter.email } })
    const page = (mail.data as { resetPath: string }).resetPath
    const before = await db().user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.pieter.email } })
    const token = page.split('/').pop()!
    const action = pathFor(paths.security.resetPasswordToken, { token })
    const reset = await submitForm(agent, page, byAction(action), { password: NEW_PASSWORD, passwordRepeat: NEW_PASSWORD })
    expect(reset.status).toBeLessThan(400)
    expect((await db().user.findUniqueOrThrow({ where: { id: before.id } })).passwordHash).not.toBe(before.passwordHash)
  })
})
