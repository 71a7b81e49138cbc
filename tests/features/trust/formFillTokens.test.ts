// Issue 19 (g): the forms reached through a link in an e-mail, filled through their rendered fields
// (tests/helpers/forms.ts): account activation and a new activation link, signing an application as a
// legal representative, renewing from an expiry notice, and "eHerkenning aanvragen" (start, details,
// signing, sending again, cancelling). Each asserts its effect.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { pathFor, paths } from '../../../src/paths.ts'
import { todayUtc } from '../../../src/domain/dates.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm, submitFormIn } from '../../helpers/forms.ts'
import { byAction, mainText, offeredIn } from '../../helpers/formFill.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  await t.database.db.rateLimit.deleteMany()
})
const db = () => t.database.db
const PASSWORD = 'Formulier-wachtwoord-2026!'
/** The first path in a queued mail's data that starts with `prefix`. */
async function pathInMail(template: string | string[], prefix: string, to?: string): Promise<string> {
  const mails = await db().outgoingMail.findMany({
    where: { template: { in: [template].flat() }, ...(to ? { toAddress: to } : {}) },
    orderBy: { createdAt: 'desc' },
  })
  for (const m of mails) {
    const found = new RegExp(`"(${prefix}/[^"]+)"`).exec(JSON.stringify(m.data))
    if (found) return found[1]!
  }
  throw new Error(`no ${[template].flat().join(' or ')} mail with a ${prefix} link`)
}
const tokenOf = (path: string) => path.split('/').pop()!

describe('forms behind a link in an e-mail, as rendered (issue 19)', () => {
  it('When a new user sets a password through the activation form, then he has one; an expired link offers a new one through its form', async () => {
    const agent = await t.loginAs('sanne')
    const ruud = await db().user.findFirstOrThrow({ where: { passwordHash: null, links: { some: {} } } })
    await submitForm(agent, pathFor(paths.beheer.userDetail, { id: ruud.id }), byAction(pathFor(paths.beheer.userActivation, { id: ruud.id })))
    const link = await pathInMail('account-activation', '/activeren', ruud.email)
    const done = await submitForm(t.agent(), link, byAction(pathFor(paths.activation.activate, { token: tokenOf(link) })), {
      password: PASSWORD,
      passwordRepeat: PASSWORD,
    })
    expect(done.status).toBeLessThan(400)
    expect((await db().user.findUniqueOrThrow({ where: { id: ruud.id } })).passwordHash).not.toBeNull()
    const other = await db().user.findFirstOrThrow({ where: { passwordHash: null, links: { some: {} } } })
    await submitForm(agent, pathFor(paths.beheer.userDetail, { id: other.id }), byAction(pathFor(paths.beheer.userActivation, { id: other.id })))
    const old = await pathInMail('account-activation', '/activeren', other.email)
    await db().actionToken.updateMany({ where: { usedAt: null, purpose: { contains: 'activ' } }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const before = await db().outgoingMail.count({ where: { template: 'account-activation', toAddress: other.email } })
    const stranger = t.agent()
    const expired = await stranger.get(old)
    expect(expired.status).toBe(410)
    const again = await submitFormIn(stranger, expired.text, old, byAction(pathFor(paths.activation.newLink, { token: tokenOf(old) })))
    expect(again.status).toBeLessThan(400)
    expect(await db().outgoingMail.count({ where: { template: 'account-activation', toAddress: other.email } })).toBe(before + 1)
  })

  it('When a legal representative signs an application through the link in his mail, then his signature is stored', async () => {
    const agent = await t.loginAs('sanne')
    const app = await db().application.findFirstOrThrow({
      where: { status: 'awaiting_signature', type: { not: 'admin_appointment' }, organisation: { name: 'Bakkerij De Vries B.V.' } },
    })
    await submitForm(agent, paths.beheer.applications, byAction(pathFor(paths.beheer.applicationToRepresentatives, { id: app.id })))
    const link = await pathInMail(['legal-representative-notification', 'signing-request'], '/ondertekenen')
    const before = await db().applicationSignature.count({ where: { signerType: 'legal_representative' } })
    const signed = await submitForm(t.agent(), link, byAction(pathFor(paths.signApplication, { token: tokenOf(link) })))
    expect(signed.status).toBeLessThan(400)
    expect(await db().applicationSignature.count({ where: { signerType: 'legal_representative' } })).toBe(before + 1)
  })

  it('When a holder renews through the link in an expiry notice with a term the page offers, then a renewal application is made', async () => {
    await t.services.expiryService.scan({ today: todayUtc() })
    const link = await pathInMail('expiry-notice', '/verlengen')
    const page = (await t.agent().get(link)).text
    const terms = offeredIn(page, 'termYears')
    expect(terms.length).toBeGreaterThan(0)
    const before = await db().application.count()
    const done = await submitForm(t.agent(), link, byAction(pathFor(paths.renewalToken, { token: tokenOf(link) })), { termYears: terms[0]! })
    expect(done.status).toBeLessThan(400)
    // A renewal from the mail is an application the legal representative signs (the page says so).
    expect(await db().application.count()).toBe(before + 1)
    expect(mainText(done.text)).toContain('Aanvraag tot verlenging verstuurd')
  })

  it('When a company applies for eHerkenning through the start and details forms, a representative signs, and the applicant sends again and cancels, then each takes effect', async () => {
    const agent = t.agent()
    const started = await submitForm(agent, paths.registration.start, byAction(paths.registration.start), { kvkNumber: '91528374' })
    expect(started.status).toBe(303)
    const details = String(started.headers.location)
    const html = (await agent.get(details)).text
    const sent = await submitForm(agent, details, byAction(paths.registration.details), {
      firstName: 'Eva',
      lastName: 'Formulier',
      dateOfBirth: '1985-06-15',
      email: 'eva.formulier@groenevallei.example',
      emailConfirmed: offeredIn(html, 'emailConfirmed')[0]!,
      mobile: '0612345678',
      level: offeredIn(html, 'level')[0]!,
      sign_0: offeredIn(html, 'sign_0')[0]!,
      repEmail_0: 'lotte@groenevallei.example',
      sign_1: offeredIn(html, 'sign_1')[0]!,
      repEmail_1: 'mehmet@groenevallei.example',
    })
    expect(sent.status).toBe(303)
    const registration = await db().registration.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })
    const manage = await pathInMail('registration-status', paths.registration.start).catch(() => pathInMail('registration-signing', paths.registration.start))
    const signLink = await pathInMail('registration-signing', `${paths.registration.start}/ondertekenen`)
    const signed = await submitForm(t.agent(), signLink, byAction(pathFor(paths.registration.sign, { token: tokenOf(signLink) })))
    expect(signed.status).toBeLessThan(400)
    const managePath = /\/aanvraag\//.test(manage) ? manage : await pathInMail('registration-status', `${paths.registration.start}/aanvraag`)
    const token = tokenOf(managePath)
    const mails = await db().outgoingMail.count()
    const resend = pathFor(paths.registration.resend, { token })
    const again = await submitForm(t.agent(), managePath, byAction(resend))
    expect(again.status).toBeLessThan(400)
    expect(await db().outgoingMail.count()).toBeGreaterThanOrEqual(mails)
    const cancel = pathFor(paths.registration.cancel, { token })
    expect((await submitForm(t.agent(), managePath, byAction(cancel))).status).toBeLessThan(400)
    expect((await db().registration.findUniqueOrThrow({ where: { id: registration.id } })).status).not.toBe(registration.status)
  })
})
