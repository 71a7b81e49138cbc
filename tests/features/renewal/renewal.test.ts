import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, addYears, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { createTestApp, csrfFrom, type TestApp } from '../../helpers/app.ts'
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts'

let t: TestApp
let smtp: TestSmtp
const today = todayUtc()

beforeAll(async () => {
  smtp = await startSmtpServer()
  t = await createTestApp({ env: { SMTP_URL: smtp.url, BASE_URL: 'http://portaal.test' } })
  await t.services.expiryService.scan({ today })
  await t.services.mailDelivery.deliverDue()
})
afterAll(async () => {
  await t.close()
  await smtp.close()
})

/** The renewal path from the notice the holder received over SMTP for this service. */
function linkFromMail(to: string, serviceName: string): string {
  const mail = smtp.messages.find((m) => m.envelopeTo[0] === to && m.text.includes(serviceName))
  if (!mail) throw new Error(`no notice for ${to} / ${serviceName}`)
  const match = /http:\/\/portaal\.test(\/verlengen\/[0-9a-f]{64})/.exec(mail.text)
  expect(mail.html).toContain(`href="${match![0]}"`)
  return match![1]!
}

async function mandateOf(email: string, serviceName: string) {
  return t.database.db.mandate.findFirstOrThrow({ where: { user: { email }, service: { name: serviceName } } })
}

async function submit(agent: ReturnType<TestApp['agent']>, path: string, termYears: string) {
  const page = await agent.get(path)
  return agent
    .post(path)
    .type('form')
    .send({ termYears, _csrf: csrfFrom(page.text) })
}

describe('expiry notice by e-mail', () => {
  it('When the scan has run, then the holder receives the notice over SMTP with subject, both bodies and a working renewal link', async () => {
    const mail = smtp.messages.find((m) => m.envelopeTo[0] === 'jan.smit@demo.example' && m.text.includes('Berichtenbox'))!
    const end = (await mandateOf('jan.smit@demo.example', 'Berichtenbox voor bedrijven')).validUntil
    const dutch = `${String(end.getUTCDate()).padStart(2, '0')}-${String(end.getUTCMonth() + 1).padStart(2, '0')}-${end.getUTCFullYear()}`
    expect(mail.subject).toBe(`Uw machtiging verloopt op ${dutch}`)
    expect(mail.text).toContain('Beste Jan Smit,')
    // "over …" counted from the day the mail is written to the end date (issue 19), not the notice's threshold name.
    const days = Math.round((end.getTime() - Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate())) / 86_400_000)
    const when =
      days < 28 ? `over ${days} dag${days === 1 ? '' : 'en'}` : days <= 45 ? 'over ongeveer een maand' : `over ongeveer ${Math.round(days / 30)} maanden`
    expect(mail.text).toContain(`Bakkerij De Vries B.V. (Berichtenbox voor bedrijven, niveau EH2+) verloopt ${when}`)
    expect(mail.html).toContain('Berichtenbox voor bedrijven')
    const digest = smtp.messages.find((m) => m.envelopeTo[0] === 'sanne.devries@demo.example' && m.subject.includes('Bakkerij De Vries'))!
    expect(digest.subject).toBe('Verlopende machtigingen en middelen bij Bakkerij De Vries B.V.')
    expect(digest.text).toContain('Jan Smit')
    const page = await t.agent().get(linkFromMail('jan.smit@demo.example', 'Berichtenbox'))
    expect(page.status).toBe(200)
    expect(page.text).toContain('Berichtenbox voor bedrijven')
    expect(page.text).toContain('Verlenging aanvragen')
  })
})

describe('renewal link', () => {
  it('When an admin of the organisation opens the link and chooses 1 year, then the mandate is renewed at once, audited, and the holder gets renewal-done', async () => {
    const path = linkFromMail('jan.smit@demo.example', 'Berichtenbox')
    const before = await mandateOf('jan.smit@demo.example', 'Berichtenbox voor bedrijven')
    const sanne = await t.loginAs('sanne')
    const page = await sanne.get(path)
    expect(page.text).toContain('de verlenging gaat direct in')
    const response = await submit(sanne, path, '1')
    expect(response.status).toBe(200)
    expect(response.text).toContain('Verlengd')
    const after = await mandateOf('jan.smit@demo.example', 'Berichtenbox voor bedrijven')
    expect(isoDate(after.validUntil)).toBe(isoDate(addYears(before.validUntil, 1)))
    const audit = await t.database.db.auditEvent.findFirstOrThrow({ where: { action: 'mandate.renewed', subjectId: before.id } })
    expect(audit.actorLabel).toBe('sanne.devries@demo.example')
    expect(audit.before).toMatchObject({ validUntil: isoDate(before.validUntil) })
    await t.services.mailDelivery.deliverDue()
    const done = smtp.messages.find((m) => m.envelopeTo[0] === 'jan.smit@demo.example' && m.subject === 'Uw machtiging is verlengd')!
    expect(done.text).toContain('met 1 jaar verlengd')

    // The same link again: a clear page, nothing changed.
    const again = await t.agent().get(path)
    expect(again.status).toBe(410)
    expect(again.text).toContain('Deze link is al gebruikt')
    expect(again.text).toContain('Er is niets gewijzigd.')
    const reused = await submit(sanne, path, '1').catch(() => null)
    expect(reused === null || reused.status === 410).toBe(true)
    expect(isoDate((await mandateOf('jan.smit@demo.example', 'Berichtenbox voor bedrijven')).validUntil)).toBe(isoDate(after.validUntil))
  })

  it('When a user without admin rights uses the link, then a renewal application awaits the legal representative, who gets an e-mail, and the mandate is unchanged', async () => {
    const path = linkFromMail('fatma.yilmaz@demo.example', 'Aangifte omzetbelasting')
    const before = await mandateOf('fatma.yilmaz@demo.example', 'Aangifte omzetbelasting')
    const response = await submit(t.agent(), path, '3')
    expect(response.status).toBe(200)
    expect(response.text).toContain('Aanvraag tot verlenging verstuurd')
    const application = await t.database.db.application.findFirstOrThrow({ where: { type: 'renewal', subjectUserId: before.userId }, include: { items: true } })
    expect(application).toMatchObject({ status: 'awaiting_signature', termYears: 3, organisationId: before.organisationId })
    expect(application.items[0]!.details).toMatchObject({ kind: 'renewal', target: 'mandate', mandateId: before.id, termYears: 3 })
    expect((await mandateOf('fatma.yilmaz@demo.example', 'Aangifte omzetbelasting')).validUntil).toEqual(before.validUntil)
    await t.services.mailDelivery.deliverDue()
    const notification = smtp.messages.find((m) => m.envelopeTo[0] === 'hendrik.devries@demo.example')!
    expect(notification.subject).toBe('Aanvraag voor Bakkerij De Vries B.V.: graag uw handtekening')
    expect(notification.text).toContain('een verlenging')
    expect(notification.text).toMatch(/http:\/\/portaal\.test\/ondertekenen\/[0-9a-f]{64}/)

    // The legal representative (sole authority) signs through the link: the mandate is renewed.
    const signPath = /http:\/\/portaal\.test(\/ondertekenen\/[0-9a-f]{64})/.exec(notification.text)![1]!
    const signer = t.agent()
    const signPage = await signer.get(signPath)
    expect(signPage.status).toBe(200)
    const signed = await signer
      .post(signPath)
      .type('form')
      .send({ _csrf: csrfFrom(signPage.text) })
    expect(signed.status).toBeLessThan(400)
    const after = await mandateOf('fatma.yilmaz@demo.example', 'Aangifte omzetbelasting')
    expect(isoDate(after.validUntil)).toBe(isoDate(addYears(before.validUntil < today ? today : before.validUntil, 3)))
    expect((await t.database.db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('issued')
  })

  it('When the link is tampered with, then a clear Dutch page says it does not work and nothing changes', async () => {
    const path = linkFromMail('ingrid.mulder@demo.example', 'Inschrijving wijzigen')
    const tampered = path.slice(0, -1) + (path.endsWith('0') ? '1' : '0')
    for (const bad of [tampered, '/verlengen/abc', '/verlengen/' + 'z'.repeat(64)]) {
      const response = await t.agent().get(bad)
      expect(response.status).toBe(404)
      expect(response.text).toContain('Deze link werkt niet')
    }
    const applications = await t.database.db.application.count({ where: { type: 'renewal' } })
    const post = await submit(t.agent(), tampered, '1').catch(() => null)
    expect(post === null || post.status === 404).toBe(true)
    expect(await t.database.db.application.count({ where: { type: 'renewal' } })).toBe(applications)
  })

  it('When the link has expired, then a clear page says so and nothing changes', async () => {
    const path = linkFromMail('ingrid.mulder@demo.example', 'Inschrijving wijzigen')
    const agent = t.agent()
    const page = await agent.get(path)
    expect(page.status).toBe(200)
    await t.database.db.actionToken.updateMany({ where: { purpose: 'renewal' }, data: { expiresAt: addDays(new Date(), -1) } })
    const response = await agent
      .post(path)
      .type('form')
      .send({ termYears: '1', _csrf: csrfFrom(page.text) })
    expect(response.status).toBe(410)
    expect(response.text).toContain('Deze link is verlopen')
    expect(await t.database.db.application.count({ where: { type: 'renewal', subjectUser: { email: 'ingrid.mulder@demo.example' } } })).toBe(0)
    await t.database.db.actionToken.updateMany({ where: { purpose: 'renewal', usedAt: null }, data: { expiresAt: addDays(new Date(), 30) } })
  })

  it('When the chosen term would end more than 5 years ahead, then it is refused with a message at the field and nothing changes', async () => {
    const path = linkFromMail('ingrid.mulder@demo.example', 'Inschrijving wijzigen')
    const page = await t.agent().get(path)
    expect(page.text).toContain('Niet mogelijk: dan loopt het langer dan 5 jaar vanaf vandaag')
    const response = await submit(t.agent(), path, '5')
    expect(response.status).toBe(422)
    expect(response.text).toContain('Met 5 jaar loopt het langer dan 5 jaar vanaf vandaag')
    expect(await t.database.db.application.count({ where: { type: 'renewal', subjectUser: { email: 'ingrid.mulder@demo.example' } } })).toBe(0)
    expect(await t.database.db.actionToken.count({ where: { purpose: 'renewal', usedAt: null } })).toBeGreaterThan(0)
  })
})
