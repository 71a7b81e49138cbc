// #20: no secret in a log. A realistic set of HTTP interactions (login with password + TOTP, a
// password-reset link, a signing link, a renewal link, an e-mail-change link) against an app whose
// logger writes into memory; then the whole log is searched for every session id, token, password
// and TOTP code used. (Every other test app's log is checked for the generic patterns when it
// closes: tests/helpers/app.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../src/features/demo/seedDemo.ts'
import { hashToken, newToken } from '../../src/features/renewal/tokens.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { addDays, isoDate } from '../../src/domain/dates.ts'
import { redactUrl } from '../../src/web/redact.ts'
import { ACCOUNTS, allowTotpAgain, createTestApp, csrfFrom, postForm, type Agent, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const secrets: { what: string; value: string }[] = []
const keep = (what: string, value: string | undefined | null) => {
  if (value) secrets.push({ what, value })
}

/** The session id in a Set-Cookie answer: the cookie value and the bare id inside it. */
function keepSession(response: { headers: Record<string, unknown> }) {
  const cookies = ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? [])
  for (const cookie of cookies) {
    const match = /^bm\.sid=([^;]+)/.exec(cookie)
    if (!match) continue
    keep('session cookie', match[1])
    const raw = decodeURIComponent(match[1]!)
    const sid = /^s:([^.]+)\./.exec(raw)?.[1]
    keep('session id', sid)
  }
}

async function post(agent: Agent, formPage: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(formPage)
  keepSession(page)
  const csrf = csrfFrom(page.text)
  keep('CSRF token', csrf)
  const response = await agent
    .post(action)
    .type('form')
    .send({ ...fields, _csrf: csrf })
  keepSession(response)
  return response
}

describe('Logs without secrets (#20)', () => {
  it('redactUrl replaces the token of every token-bearing link and secret-looking query values', () => {
    const token = 'a'.repeat(43)
    expect(redactUrl(`/ondertekenen/${token}`)).toBe('/ondertekenen/[token]')
    expect(redactUrl(`/verlengen/${token}?x=1`)).toBe('/verlengen/[token]?x=1')
    expect(redactUrl(`/wachtwoord-herstellen/${token}`)).toBe('/wachtwoord-herstellen/[token]')
    expect(redactUrl(`/mijn-gegevens/e-mailadres/${token}`)).toBe('/mijn-gegevens/e-mailadres/[token]')
    expect(redactUrl('/ondertekenen/kort')).toBe('/ondertekenen/[token]')
    expect(redactUrl(`/iets/${'Zx9_'.repeat(10)}`)).toBe('/iets/[token]')
    expect(redactUrl('/beheer/gebruikers/6f1c2a3b-1234-4abc-8def-0123456789ab')).toBe('/beheer/gebruikers/6f1c2a3b-1234-4abc-8def-0123456789ab')
    expect(redactUrl('/x?token=abc&code=123456&page=2')).toBe('/x?token=[redacted]&code=[redacted]&page=2')
  })

  it('When a day of logins, resets, signing, renewal and e-mail-change links has been logged, then no session id, token, password or TOTP code is in the log', async () => {
    // Login with password + TOTP (sanne, admin), and a plain login (jan).
    const sanne = t.agent()
    await allowTotpAgain(t.database.db, ACCOUNTS.sanne.email)
    const code = currentTotp(ACCOUNTS.sanne.totp)
    keep('TOTP code', code)
    keep('password', DEMO_PASSWORD)
    const login = await post(sanne, '/inloggen', '/inloggen', { email: ACCOUNTS.sanne.email, password: DEMO_PASSWORD, code })
    expect(login.status).toBe(303)
    keepSession(await sanne.get('/overzicht'))
    // A failed login with a wrong code and a wrong password.
    const wrong = t.agent()
    await post(wrong, '/inloggen', '/inloggen', { email: ACCOUNTS.sanne.email, password: 'Verkeerd-wachtwoord-99', code: '000000' })
    keep('wrong password', 'Verkeerd-wachtwoord-99')

    // Password reset: request, open the link, set a new password.
    const anon = t.agent()
    await post(anon, '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: ACCOUNTS.jan.email })
    const resetMail = await t.database.db.outgoingMail.findFirstOrThrow({ where: { template: 'password-reset', toAddress: ACCOUNTS.jan.email } })
    const resetPath = (resetMail.data as { resetPath: string }).resetPath
    keep('reset token', resetPath.split('/').pop())
    const newPassword = 'Nieuw-geheim-wachtwoord-2027'
    keep('new password', newPassword)
    const reset = await post(anon, resetPath, resetPath, { password: newPassword, passwordRepeat: newPassword })
    expect(reset.status).toBeLessThan(400)
    // Opening the used link again (410) is logged too.
    await anon.get(resetPath)

    // A signing link sent to legal representatives.
    const pieter = await t.loginAs('pieter')
    const linda = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'linda.degroot@demo.example' } })
    const application = await t.database.db.application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    expect((await postForm(pieter, '/beheer/aanvragen', `/beheer/aanvragen/${application.id}/naar-vertegenwoordigers`, {})).status).toBe(303)
    const signMail = await t.database.db.outgoingMail.findFirstOrThrow({
      where: { template: { in: ['signing-request', 'legal-representative-notification'] }, idempotencyKey: { contains: application.id } },
    })
    const signPath = (signMail.data as { signPath: string }).signPath
    keep('signing token', signPath.split('/').pop())
    const signer = t.agent()
    expect((await signer.get(signPath)).status).toBe(200)
    await post(signer, signPath, signPath, {})

    // A renewal link as the expiry scan sends it.
    const jan = await t.database.db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.jan.email }, include: { means: true } })
    const means = jan.means.find((m) => m.status === 'active')!
    const renewalToken = newToken()
    keep('renewal token', renewalToken)
    await t.database.db.actionToken.create({
      data: {
        purpose: 'renewal',
        tokenHash: hashToken(renewalToken),
        subject: { type: 'means', id: means.id, validUntil: isoDate(means.validUntil) },
        expiresAt: addDays(new Date(), 20),
      },
    })
    const renewer = t.agent()
    const renewalPage = await renewer.get(`/verlengen/${renewalToken}`)
    expect(renewalPage.status).toBe(200)
    await post(renewer, `/verlengen/${renewalToken}`, `/verlengen/${renewalToken}`, { termYears: '1' })

    // An e-mail-change link (sanne changes her address and confirms).
    await post(sanne, '/mijn-gegevens', '/mijn-gegevens/e-mailadres', { email: 'sanne.nieuw@voorbeeld.nl' })
    const changeMail = await t.database.db.outgoingMail.findFirstOrThrow({ where: { template: 'email-change' } })
    const confirmPath = (changeMail.data as { confirmPath: string }).confirmPath
    keep('e-mail-change token', confirmPath.split('/').pop())
    await post(t.agent(), confirmPath, confirmPath, {})

    // A 404 and an error page with a token-looking path.
    await t.agent().get(`/ondertekenen/${'x'.repeat(43)}`)

    const log = t.logText()
    expect(log.split('\n').length).toBeGreaterThan(20) // the requests were logged
    expect(log).toContain('/ondertekenen/[token]')
    expect(log).toContain('/wachtwoord-herstellen/[token]')
    expect(log).toContain('/verlengen/[token]')
    expect(log).toContain('/mijn-gegevens/e-mailadres/[token]')
    expect(secrets.length).toBeGreaterThan(10)
    for (const { what, value } of secrets) {
      expect(log.includes(value), `${what} (${value.slice(0, 12)}…) is in the log`).toBe(false)
      expect(log.includes(encodeURIComponent(value)), `${what} (encoded) is in the log`).toBe(false)
    }
  })
})
