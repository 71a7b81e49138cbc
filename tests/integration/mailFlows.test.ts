// End to end: each real flow through HTTP as the demo users, its mail delivered to a real SMTP server
// in the test process, and every link in it followed through the app.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/shared/passwords.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { DEMO_PASSWORD } from '../../src/features/demo/seedDemo.ts'
import { allowTotpAgain, createTestApp, csrfFrom, postForm, type Agent, type TestApp } from '../helpers/app.ts'
import { startSmtpServer, type ReceivedMail, type TestSmtp } from '../helpers/smtp.ts'
import { demo, mandateOf } from '../features/mandates/helpers.ts'
import { MAIL_TEMPLATES, renderMail } from '../../src/features/mail/render.ts'
import { links as portalLinks } from '../../src/paths.ts'
import type { MailTemplate } from '../../src/shared/outbox.ts'

const BASE_URL = 'https://portaal.example.nl'
const LIST = '/beheer/machtigingen'

let t: TestApp
let smtp: TestSmtp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent

beforeAll(async () => {
  smtp = await startSmtpServer()
  t = await createTestApp({ env: { SMTP_URL: smtp.url, BASE_URL } })
  d = await demo(t.services.db)
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
  await smtp.close()
})
beforeEach(async () => {
  // Only this test's mails: what earlier tests queued is delivered and forgotten.
  await t.services.mailDelivery.deliverDue()
  smtp.messages.length = 0
})

const db = () => t.services.db

/** Delivers what is due and returns the mails that arrived for `to` (and, if given, of that subject). */
async function deliveredTo(to: string, subject?: RegExp): Promise<ReceivedMail[]> {
  const result = await t.services.mailDelivery.deliverDue()
  expect(result.failed).toBe(0)
  return smtp.messages.filter((m) => m.envelopeTo.map((a) => a.toLowerCase()).includes(to.toLowerCase()) && (!subject || subject.test(m.subject)))
}

async function oneMailTo(to: string, subject: RegExp): Promise<ReceivedMail> {
  const mails = await deliveredTo(to, subject)
  expect(
    mails.map((m) => m.subject),
    `mails to ${to}: ${smtp.messages.map((m) => `${m.envelopeTo.join(',')} ${m.subject}`).join('; ')}`,
  ).toHaveLength(1)
  return mails[0]!
}

function links(mail: ReceivedMail): string[] {
  const fromText = mail.text.match(/https?:\/\/[^\s"<>]+/g) ?? []
  const fromHtml = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
  return [...new Set([...fromText, ...fromHtml])]
}

/**
 * A sensible mail: both bodies rendered without holes or raw keys, every link absolute on BASE_URL
 * and working (200, or a redirect to the login page when it needs a session).
 */
async function expectSound(mail: ReceivedMail, agent: Agent = t.agent()): Promise<string[]> {
  expect(mail.subject).not.toMatch(/undefined|null|\{\{|mail:/)
  for (const body of [mail.text, mail.html]) {
    expect(body).not.toMatch(/undefined|\bnull\b|\[object Object\]|\{\{|\}\}/)
    expect(body).not.toMatch(/\b(mail|common|mandates|requests|self|applications|renewal|users):[a-zA-Z-]+\.[a-zA-Z]/)
    expect(body).not.toMatch(/ (op|tot en met|van|voor) [.,]/) // an empty date or name
    expect(body).not.toContain('Invalid')
  }
  expect(mail.text).toMatch(/^Beste \S.+,/)
  const found = links(mail)
  expect(found.length).toBeGreaterThan(0)
  for (const link of found) {
    expect(link.startsWith(`${BASE_URL}/`), link).toBe(true)
    const response = await agent.get(link.slice(BASE_URL.length))
    if (response.status === 302 || response.status === 303) expect(response.headers.location, link).toMatch(/^\/inloggen/)
    else expect(response.status, link).toBe(200)
  }
  return found
}

function pathOf(link: string, prefix: string): string {
  const path = link.slice(BASE_URL.length)
  expect(path.startsWith(prefix)).toBe(true)
  return path
}

async function userEmail(id: string): Promise<string> {
  return (await db().user.findUniqueOrThrow({ where: { id } })).email
}

/** Gives a demo user a password (demo users other than the four accounts have none) and logs in. */
async function loginAsUser(email: string): Promise<Agent> {
  await db().user.update({ where: { emailKey: email.toLowerCase() }, data: { passwordHash: await hashPassword(DEMO_PASSWORD) } })
  const agent = t.agent()
  const response = await postForm(agent, '/inloggen', '/inloggen', { email, password: DEMO_PASSWORD, code: '' })
  expect(response.status).toBe(303)
  return agent
}

describe('mandates', () => {
  it('When sanne grants mandates, then the holder gets "mandates-granted" listing them; revoking one sends "mandate-revoked"', async () => {
    await sanne.get(`${LIST}/nieuw`)
    await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.bakkerij })
    await postForm(sanne, `${LIST}/nieuw/gebruiker`, `${LIST}/nieuw/gebruiker`, { userId: d.fatma })
    await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH3' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: 'all', zoek: 'alle' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'next' })
    await postForm(sanne, `${LIST}/nieuw/termijn`, `${LIST}/nieuw/termijn`, { termYears: '3', branchId: '' })
    expect((await postForm(sanne, `${LIST}/nieuw/bevestigen`, `${LIST}/nieuw/bevestigen`, {})).status).toBe(303)
    const fatma = await userEmail(d.fatma)
    const granted = await oneMailTo(fatma, /^U bent gemachtigd voor Bakkerij De Vries B\.V\.$/)
    expect(granted.text).toContain('Beste Fatma')
    expect(granted.text).toMatch(/- alle diensten, niveau EH3, geldig tot en met \d\d-\d\d-\d{4}/)
    expect(await expectSound(granted)).toContain(`${BASE_URL}/overzicht`)

    const m = await mandateOf(db(), d.fatma, d.bakkerij, null, 'active')
    expect((await postForm(sanne, `${LIST}/${m.id}/intrekken`, `${LIST}/${m.id}/intrekken`, {})).status).toBe(303)
    const revoked = await deliveredTo(fatma, /ingetrokken/)
    expect(revoked).toHaveLength(1)
    expect(revoked[0]!.subject).toBe('Uw machtiging voor Bakkerij De Vries B.V. is ingetrokken')
    expect(revoked[0]!.text).toContain('Uw machtiging voor Bakkerij De Vries B.V. (alle diensten, niveau EH3) is ingetrokken')
    expect(revoked[0]!.text).toMatch(/Ingetrokken op \d\d-\d\d-\d{4}\./)
    expect(revoked[0]!.text).not.toMatch(/https?:/) // nothing to click: nothing to check but the bodies
    expect(revoked[0]!.html).not.toMatch(/undefined|null|\[object Object\]/)
  })

  it('When sanne renews with the icon, then the holder gets "renewal-done" with the new end', async () => {
    const m = await mandateOf(db(), d.fatma, d.bakkerij, 'Aangifte omzetbelasting')
    expect((await postForm(sanne, `${LIST}/${m.id}/verlengen`, `${LIST}/${m.id}/verlengen`, { termYears: '1' })).status).toBe(303)
    const mail = await oneMailTo(await userEmail(d.fatma), /verlengd/)
    expect(mail.subject).toBe('Uw machtiging is verlengd')
    const renewed = await db().mandate.findUniqueOrThrow({ where: { id: m.id } })
    const until = renewed.validUntil.toISOString().slice(0, 10).split('-').reverse().join('-')
    expect(mail.text).toContain(`Bakkerij De Vries B.V.: Aangifte omzetbelasting, niveau`)
    expect(mail.text).toContain(`geldig tot en met ${until}`)
    expect(mail.text).toContain('met 1 jaar verlengd')
    await expectSound(mail)
  })

  it('When sanne renews in bulk, then each holder gets one "renewal-done" listing his renewed mandates', async () => {
    const a = await mandateOf(db(), d.ingrid, d.holding, 'Inschrijving wijzigen')
    const page = await sanne.get(`${LIST}/verlengen?id=${a.id}`)
    const digest = /name="digest_selected" value="([^"]+)"/.exec(page.text)![1]!
    const response = await postForm(sanne, `${LIST}/verlengen?id=${a.id}`, `${LIST}/verlengen`, {
      selection: 'selected',
      termYears: '3',
      id: [a.id],
      digest_selected: digest,
    })
    expect(response.status).toBe(303)
    const mail = await oneMailTo(await userEmail(d.ingrid), /verlengd/)
    expect(mail.text).toContain('met 3 jaar verlengd')
    expect(mail.text).toContain('De Vries Holding B.V.: Inschrijving wijzigen')
    await expectSound(mail)
  })
})

describe('a mandate for a user who is not linked yet', () => {
  it('When sanne grants a Holding mandate to a Bakkerij user via "Toon niet gekoppelde gebruikers", then it waits with a link request and mail, and accepting in Mijn gegevens links the user and activates it', async () => {
    const mark = await userEmail(d.mark)
    await sanne.get(`${LIST}/nieuw`)
    await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.holding })
    const wider = await sanne.get(`${LIST}/nieuw/gebruiker?toonNietGekoppeld=1`)
    expect(wider.text).toContain('Toon niet gekoppelde gebruikers')
    await postForm(sanne, `${LIST}/nieuw/gebruiker?toonNietGekoppeld=1`, `${LIST}/nieuw/gebruiker`, { userId: d.mark, toonNietGekoppeld: '1' })
    await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH2' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: 'all' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'next' })
    await postForm(sanne, `${LIST}/nieuw/termijn`, `${LIST}/nieuw/termijn`, { termYears: '1' })
    expect((await postForm(sanne, `${LIST}/nieuw/bevestigen`, `${LIST}/nieuw/bevestigen`, {})).status).toBe(303)
    const pending = await db().mandate.findFirstOrThrow({ where: { userId: d.mark, organisationId: d.holding, kind: 'use' } })
    expect(pending.status).toBe('pending')
    expect(await db().organisationLink.count({ where: { userId: d.mark, organisationId: d.holding } })).toBe(0)

    await deliveredTo(mark)
    const request = smtp.messages.find((m) => m.envelopeTo.includes(mark) && m.subject === 'Verzoek om u te koppelen aan De Vries Holding B.V.')!
    expect(request).toBeDefined()
    expect(request.text).toContain('Sanne de Vries vraagt u om uw account te koppelen aan De Vries Holding B.V.')
    expect(request.text).toMatch(/Het verzoek vervalt op \d\d-\d\d-\d{4}\./)
    expect(await expectSound(request)).toContain(`${BASE_URL}/mijn-gegevens`)
    const granted = smtp.messages.find((m) => m.envelopeTo.includes(mark) && m.subject === 'U bent gemachtigd voor De Vries Holding B.V.')!
    expect(granted).toBeDefined()
    expect(granted.text).toContain('worden actief zodra u het verzoek')
    await expectSound(granted)

    // Mark follows the link, logs in and accepts on Mijn gegevens.
    const agent = await loginAsUser(mark)
    const mine = await agent.get('/mijn-gegevens')
    expect(mine.status).toBe(200)
    const linkRequest = await db().linkRequest.findFirstOrThrow({ where: { userId: d.mark, organisationId: d.holding, status: 'pending' } })
    expect(mine.text).toContain(`/mijn-gegevens/verzoeken/${linkRequest.id}/accepteren`)
    const accepted = await agent
      .post(`/mijn-gegevens/verzoeken/${linkRequest.id}/accepteren`)
      .type('form')
      .send({ _csrf: csrfFrom(mine.text) })
    expect(accepted.status).toBe(303)
    expect(await db().organisationLink.count({ where: { userId: d.mark, organisationId: d.holding } })).toBe(1)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('active')
  })
})

describe('users and requests', () => {
  it('When sanne adds a user at EH2+ with Gebruikers toevoegen, then the new user gets "account-activation" saying the means is active', async () => {
    const row = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${k}_0`, v]))
    const preview = await postForm(sanne, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
      rowCount: '1',
      action: 'preview',
      emailConfirmed: '1',
      ...row({
        firstName: 'Noor',
        lastName: 'Akkerman',
        dateOfBirth: '14-03-1985',
        email: 'noor.akkerman@voorbeeld.nl',
        mobile: '06 1234 5678',
        level: 'EH2_PLUS',
        termYears: '3',
        organisation: d.bakkerij,
      }),
    })
    expect(preview.status).toBe(200)
    const confirm = await sanne
      .post('/beheer/gebruikers/toevoegen/bevestigen')
      .type('form')
      .send({ _csrf: csrfFrom(preview.text) })
    expect(confirm.status).toBe(303)
    const mail = await oneMailTo('noor.akkerman@voorbeeld.nl', /^Activeer uw account voor Mijn Reconi$/)
    expect(mail.text).toContain('Beste Noor Akkerman,')
    expect(mail.text).toContain('Uw eHerkenningsmiddel op niveau EH2+ is actief.')
    expect(mail.text).toMatch(/Wachtwoord instellen: http\S+\/activeren\/[\w-]{43}/)
    await expectSound(mail)
  })

  it('When sanne sends a Nieuw verzoek, then the user gets "link-request" pointing to Mijn gegevens', async () => {
    const response = await postForm(sanne, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', {
      organisationId: d.holding,
      email: 'SOPHIE.KRAMER@demo.example',
    })
    expect(response.status).toBe(303)
    const mail = await oneMailTo('sophie.kramer@demo.example', /^Verzoek om u te koppelen aan De Vries Holding B\.V\.$/)
    expect(mail.text).toContain('Sanne de Vries vraagt u')
    expect(mail.text).toMatch(/Het verzoek vervalt op \d\d-\d\d-\d{4}\./)
    expect(await expectSound(mail)).toContain(`${BASE_URL}/mijn-gegevens`)
  })

  it('When jan changes his own e-mail address, then the new address gets "email-change" and its link confirms it', async () => {
    const jan = await t.loginAs('jan')
    expect((await postForm(jan, '/mijn-gegevens', '/mijn-gegevens/e-mailadres', { email: 'jan.smit@nieuw.example' })).status).toBe(303)
    const mail = await oneMailTo('jan.smit@nieuw.example', /^Bevestig uw nieuwe e-mailadres$/)
    expect(mail.text).toMatch(/tot en met \d\d-\d\d-\d{4}\./)
    const [link] = (await expectSound(mail)).filter((l) => l.includes('/e-mailadres/'))
    const path = pathOf(link!, '/mijn-gegevens/e-mailadres/')
    const anonymous = t.agent()
    expect((await postForm(anonymous, path, path, {})).status).toBe(303)
    expect((await db().user.findFirstOrThrow({ where: { id: d.jan } })).email).toBe('jan.smit@nieuw.example')
  })
})

describe('applications and the legal representatives (rules 11, 12)', () => {
  it('When pieter sends an application to the legal representatives, then each gets "signing-request" and signing through the e-mailed links issues it', async () => {
    const linda = await db().user.findFirstOrThrow({ where: { email: 'linda.degroot@demo.example' } })
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    const pieter = await t.loginAs('pieter')
    expect((await postForm(pieter, '/beheer/aanvragen', `/beheer/aanvragen/${app.id}/naar-vertegenwoordigers`, {})).status).toBe(303)
    const anja = await oneMailTo('anja.bakker@demo.example', /^Onderteken de aanvraag voor Bakker Installatietechniek B\.V\.$/)
    const kees = await oneMailTo('kees.verbeek@demo.example', /^Onderteken de aanvraag voor Bakker Installatietechniek B\.V\.$/)
    expect(anja.text).toContain('Beste Anja Bakker-Mulder,')
    for (const mail of [anja, kees]) {
      const [link] = await expectSound(mail)
      const path = pathOf(link!, '/ondertekenen/')
      const signer = t.agent()
      const signed = await postForm(signer, path, path, {})
      if ((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status !== 'awaiting_signature') break
      expect(signed.status).toBe(200)
    }
    expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status).not.toBe('awaiting_signature')
  })

  it('When an admin appointment is requested (no admin signs it), then the legal representatives are notified with a signing link (rule 12)', async () => {
    const response = await postForm(sanne, '/beheer/aanvragen/beheerder', '/beheer/aanvragen/beheerder', {
      organisationId: d.bakkerij,
      email: 'fatma.yilmaz@demo.example',
      level: 'EH3',
    })
    expect(response.status).toBe(303)
    const reps = await db().legalRepresentative.findMany({ where: { organisationId: d.bakkerij } })
    expect(reps.length).toBeGreaterThan(0)
    for (const rep of reps) {
      const mail = await oneMailTo(rep.email, /^Aanvraag voor Bakkerij De Vries B\.V\.: graag uw handtekening$/)
      expect(mail.text).toContain('een machtigingenbeheerder')
      expect(mail.text).toContain('De aanvraag gaat over: Fatma')
      expect(mail.text).toContain('Aangevraagd door: Sanne de Vries.')
      expect((await expectSound(mail)).some((l) => l.startsWith(`${BASE_URL}/ondertekenen/`))).toBe(true)
    }
  })
})

describe('expiry and renewal links (rule 15)', () => {
  it('When the expiry scan runs, then holders get "expiry-notice" and admins "expiry-digest", with working renewal links; a holder renewing through his link notifies the legal representatives', async () => {
    const result = await t.services.expiryService.scan()
    expect(result.notices).toBeGreaterThan(0)
    expect(result.digests).toBeGreaterThan(0)
    await t.services.mailDelivery.deliverDue()
    const notices = smtp.messages.filter((m) => /^Uw (machtiging|eHerkenningsmiddel) verloopt op \d\d-\d\d-\d{4}$/.test(m.subject))
    expect(notices.length).toBe(result.notices)
    for (const notice of notices) await expectSound(notice)
    const digests = smtp.messages.filter((m) => m.subject.startsWith('Verlopende machtigingen en middelen bij '))
    expect(digests.length).toBe(result.digests)
    const forSanne = digests.filter((m) => m.envelopeTo.includes('sanne.devries@demo.example'))
    expect(forSanne.length).toBeGreaterThan(0)
    for (const digest of forSanne) await expectSound(digest, sanne)
    // The digest's list link opens Machtigingen filtered to that organisation (the list's own query parameter).
    const listLink = links(forSanne[0]!).find((l) => l.includes('/beheer/machtigingen?'))!
    expect(listLink).toMatch(/\?organisatie=[0-9a-f-]{36}$/)
    const filtered = await sanne.get(listLink.slice(BASE_URL.length))
    expect(filtered.status).toBe(200)
    expect(smtp.messages.length).toBe(result.notices + result.digests)

    // A holder who is no admin renews through his notice: the application goes to the legal representatives.
    const admins = new Set((await db().mandate.findMany({ where: { kind: 'admin', status: 'active' }, select: { userId: true } })).map((m) => m.userId))
    const holders = await db().user.findMany({ where: { email: { in: notices.map((n) => n.envelopeTo[0]!) } } })
    const plain = holders.find((h) => !admins.has(h.id))
    expect(plain).toBeDefined()
    const notice = notices.find((n) => n.envelopeTo[0] === plain!.email)!
    const renewLink = links(notice).find((l) => l.includes('/verlengen/'))!
    const path = pathOf(renewLink, '/verlengen/')
    smtp.messages.length = 0
    const anonymous = t.agent()
    const page = await anonymous.get(path)
    expect(page.status).toBe(200)
    const renewed = await anonymous
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), termYears: '1' })
    expect(renewed.status).toBe(200)
    await t.services.mailDelivery.deliverDue()
    const toReps = smtp.messages.filter((m) => m.subject.startsWith('Aanvraag voor '))
    expect(toReps.length).toBeGreaterThan(0)
    for (const mail of toReps) {
      expect(mail.text).toContain('een verlenging')
      expect(mail.text).toContain(`De aanvraag gaat over: `)
      await expectSound(mail)
    }
  })
})

describe('password reset', () => {
  it('When a user asks for a new password, then the mail links to a page that sets it once, and the new password works', async () => {
    const request = await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'pieter.bakker@demo.example' })
    expect(request.status).toBeLessThan(400)
    const mail = await oneMailTo('pieter.bakker@demo.example', /wachtwoord/i)
    expect(mail.text).toContain('30 minuten')
    const [link] = await expectSound(mail)
    const path = pathOf(link!, '/wachtwoord-herstellen/')
    const agent = t.agent()
    const page = await agent.get(path)
    const set = await agent
      .post(path)
      .type('form')
      .send({ password: 'Nieuw-wachtwoord-2027', passwordRepeat: 'Nieuw-wachtwoord-2027', _csrf: csrfFrom(page.text) })
    expect(set.status).toBeLessThan(400)
    await allowTotpAgain(t.database.db, 'pieter.bakker@demo.example')
    const login = await postForm(t.agent(), '/inloggen', '/inloggen', {
      email: 'pieter.bakker@demo.example',
      password: 'Nieuw-wachtwoord-2027',
      code: currentTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
    })
    expect(login.status).toBe(303)
    const again = await t.agent().get(path)
    expect(again.text).not.toContain('name="passwordRepeat"')
  })
})

// Every mail template (#18), in Dutch and in English: a plain-text part beside the HTML, and every
// link in either resolves against the app (no 404, no 5xx; a page behind login may send to /inloggen).
// The data is what the flows above really queued (their token links carry tokens the app made); a
// template none of them sends is filled in FALLBACK_DATA below, with ids of the demo.
describe('every mail', () => {
  it('When each template is rendered in nl and en, then it has a plain-text part and none of its links is broken', async () => {
    const sanneUser = await db().user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const fallback = FALLBACK_DATA({ userId: sanneUser.id })
    const checked: string[] = []
    for (const template of MAIL_TEMPLATES) {
      const row = await db().outgoingMail.findFirst({ where: { template }, orderBy: { createdAt: 'desc' } })
      const data = (row?.data as Record<string, unknown> | undefined) ?? fallback[template]
      expect(data, `no flow queues "${template}": add it to FALLBACK_DATA`).toBeDefined()
      for (const locale of ['nl', 'en']) {
        const mail = await renderMail(template, locale, data!, { brandName: 'Beheermodule', baseUrl: BASE_URL })
        const where = `${template} (${locale})`
        expect(mail.text.trim().length, where).toBeGreaterThan(20)
        expect(mail.text, where).not.toMatch(/<[a-z][^>]*>/i)
        expect(mail.html, where).toMatch(/<html/i)
        for (const body of [mail.subject, mail.text, mail.html]) expect(body, where).not.toMatch(/undefined|\[object Object\]|\{\{/)
        for (const link of links({ ...mail, envelopeTo: [] } as unknown as ReceivedMail)) {
          expect(link.startsWith(`${BASE_URL}/`), `${where}: ${link}`).toBe(true)
          const response = await t.agent().get(link.slice(BASE_URL.length))
          expect(response.status, `${where}: ${link}`).not.toBe(404)
          expect(response.status, `${where}: ${link}`).toBeLessThan(500)
          if (response.status === 302 || response.status === 303) expect(response.headers.location, `${where}: ${link}`).toMatch(/^\/inloggen/)
        }
        checked.push(where)
      }
    }
    expect(checked).toHaveLength(MAIL_TEMPLATES.length * 2)
  })
})

/** Data for the templates no flow in this file sends, in the shape their senders queue. */
function FALLBACK_DATA(ids: { userId: string }): Partial<Record<MailTemplate, Record<string, unknown>>> {
  const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
  const base = {
    name: 'Jan Smit',
    organisationName: 'Bakkerij De Vries B.V.',
    clientName: 'Bakkerij De Vries B.V.',
    intermediaryName: 'Administratiekantoor Van Dijk & Partners B.V.',
    scope: 'all',
    level: 'EH3',
    validUntil: day,
    revokedAt: day,
    expiresAt: day,
  }
  return {
    'means-active': { ...base, overviewPath: '/' },
    'chain-given': { ...base, clientKvk: '12345678', intermediaryKvk: '87654321', role: 'client' },
    'chain-revoked': base,
    'chain-renewed': base,
    'chain-status': { ...base, event: 'suspended', context: 'suspended', count: 1 },
    'chain-expiry-notice': { ...base, role: 'client', threshold: '1m', path: portalLinks.chains() },
    'means-changed': { ...base, event: 'suspended', context: 'suspended', holderName: 'Jan Smit', date: day, userId: ids.userId },
    'mandate-status': { ...base, event: 'suspended', context: 'suspended' },
    'mandates-changed': {
      ...base,
      event: 'suspended',
      context: 'suspended',
      count: 1,
      mandates: [{ scope: 'all', level: 'EH3', organisationName: 'Bakkerij De Vries B.V.' }],
    },
    offboarded: { ...base, count: 2 },
    'registration-status': { ...base, managePath: '/eherkenning-aanvragen' },
    'registration-signing': { ...base, adminName: 'Sanne de Vries', kvkNumber: '12345678', signPath: '/eherkenning-aanvragen' },
    'registration-done': { ...base, adminName: 'Sanne de Vries', kvkNumber: '12345678', meansActive: true },
  }
}
