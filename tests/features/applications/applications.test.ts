import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../../src/shared/actor.ts'
import { notifyRepresentatives } from '../../../src/shared/workflows/applications.ts'
import { addDays, addYears, todayUtc } from '../../../src/domain/dates.ts'
import { submitForm, upgradeConfirmed } from '../../helpers/forms.ts'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const org = (name: string) => db().organisation.findFirstOrThrow({ where: { name } })
const user = (email: string) => db().user.findFirstOrThrow({ where: { emailKey: email } })
const tokenOf = (data: unknown) =>
  String((data as { signPath: string }).signPath)
    .split('/')
    .pop()!

async function signingLinks(applicationId: string) {
  const mails = await db().outgoingMail.findMany({
    where: {
      OR: [
        { template: 'signing-request', idempotencyKey: { startsWith: `signing-request:${applicationId}:` } },
        { template: 'legal-representative-notification', idempotencyKey: { startsWith: `lr-notification:${applicationId}:` } },
      ],
    },
  })
  return mails.map((m) => ({ to: m.toAddress, token: tokenOf(m.data) }))
}

describe('Aanvragen', () => {
  it('When an admin opens Aanvragen, then he sees the applications of his organisations with their status', async () => {
    const agent = await t.loginAs('sanne')
    const page = await agent.get('/beheer/aanvragen')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Wacht op ondertekening')
    expect(page.text).toContain('Geannuleerd')
    expect(page.text).not.toContain('Linda') // another organisation's application (rule 7)
  })

  it('When an admin opens Aanvragen, then each row names its subject and who signed, a sent application offers to send again, and the status filter keeps one status', async () => {
    // Arrange: an open application of Pieter's organisation that a representative signed already
    const signed = await db().application.findFirstOrThrow({
      where: {
        status: 'awaiting_signature',
        organisation: { name: 'Bakker Installatietechniek B.V.' },
        signatures: { some: { legalRepresentativeId: { not: null } } },
      },
      include: { subjectUser: true, signatures: { include: { legalRepresentative: true } } },
    })
    const agent = await t.loginAs('pieter')
    const before = await agent.get('/beheer/aanvragen')
    expect(before.text).not.toContain('Opnieuw versturen')

    // Act: signing links went out for it (the audit entry the send writes)
    await db().auditEvent.create({
      data: {
        action: 'application.signing_requested',
        subjectType: 'application',
        subjectId: signed.id,
        organisationId: signed.organisationId,
        actorLabel: 'test',
      },
    })
    const page = await agent.get('/beheer/aanvragen')
    const cancelled = await agent.get('/beheer/aanvragen?status=cancelled')

    // Assert
    expect(page.text).toContain(`href="/beheer/gebruikers/${signed.subjectUserId}"`)
    for (const s of signed.signatures) expect(page.text).toContain(s.legalRepresentative!.name)
    expect(page.text).toContain('Opnieuw versturen')
    expect(cancelled.text).not.toContain(signed.id)
  })

  it('When an admin signs an open application, then his signature is recorded and it moves on', async () => {
    const jan = await user('jan.smit@demo.example')
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: jan.id, status: 'awaiting_signature' } })
    const agent = await t.loginAs('sanne')
    const response = await submitForm(agent, `/beheer/aanvragen/${app.id}`, (f) => f.attr('action') === `/beheer/aanvragen/${app.id}/ondertekenen`)
    expect(response.status).toBe(303)
    const after = await db().application.findUniqueOrThrow({ where: { id: app.id }, include: { signatures: true } })
    expect(after.status).toBe('signed')
    expect(after.signatures).toEqual([expect.objectContaining({ signerType: 'admin' })])
  })

  it('When an admin of another organisation tries to sign or cancel, then the application does not exist for him (404)', async () => {
    const linda = await user('linda.degroot@demo.example')
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    const agent = await t.loginAs('sanne')
    expect((await postForm(agent, '/beheer/aanvragen', `/beheer/aanvragen/${app.id}/annuleren`, {})).status).toBe(404)
    expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe('awaiting_signature')
  })

  it('When a limited-authority representative signs by link for EH2+, then one is not enough and the second completes it (rule 11); the link works once', async () => {
    const linda = await user('linda.degroot@demo.example')
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: linda.id, status: 'awaiting_signature' } })
    const agent = await t.loginAs('pieter')
    const sent = await postForm(agent, '/beheer/aanvragen', `/beheer/aanvragen/${app.id}/naar-vertegenwoordigers`, {})
    expect(sent.status).toBe(303)
    const links = await signingLinks(app.id)
    // Gerard already signed in the demo: Anja and Kees get a link.
    expect(links.map((l) => l.to).sort()).toEqual(['anja.bakker@demo.example', 'kees.verbeek@demo.example'])
    const stored = await db().actionToken.findMany({ where: { purpose: 'sign-application' } })
    expect(stored.every((s) => s.tokenHash.length === 64 && !links.some((l) => l.token === s.tokenHash))).toBe(true)
    const anon = t.agent()
    const anja = links.find((l) => l.to.startsWith('anja'))!
    const page = await anon.get(`/ondertekenen/${anja.token}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Anja Bakker-Mulder')
    const signedResponse = await postForm(anon, `/ondertekenen/${anja.token}`, `/ondertekenen/${anja.token}`, {})
    expect(signedResponse.status).toBe(200)
    expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe('signed')
    const reuse = await anon.get(`/ondertekenen/${anja.token}`)
    expect(reuse.status).toBe(410)
    expect(reuse.text).toContain('Deze link is al gebruikt')
    // Kees's link: the application is no longer open, so nothing changes.
    const kees = links.find((l) => l.to.startsWith('kees'))!
    const late = await postForm(anon, `/ondertekenen/${kees.token}`, `/ondertekenen/${kees.token}`, {})
    expect(late.status).toBe(410)
    expect(late.text).toContain('staat niet meer open')
    expect(await db().applicationSignature.count({ where: { applicationId: app.id } })).toBe(2)
  })

  it('When a signing link has expired or is made up, then the page says why and nothing is signed', async () => {
    const anon = t.agent()
    const bogus = await anon.get('/ondertekenen/abcdefghijklmnopqrstuvwxyz0123456789')
    expect(bogus.status).toBe(410)
    expect(bogus.text).toContain('Deze link is niet geldig')
    const holding = await org('De Vries Holding B.V.')
    const ingrid = await user('ingrid.mulder@demo.example')
    const app = await db().application.create({ data: { organisationId: holding.id, type: 'mandates', level: 'EH3', subjectUserId: ingrid.id } })
    await db().$transaction(async (tx) => {
      const { requestRepresentativeSignatures } = await import('../../../src/shared/workflows/applications.ts')
      await requestRepresentativeSignatures(tx, app.id, systemActor(), t.config.baseUrl, new Date(Date.now() - 30 * 86400000))
    })
    const [link] = await signingLinks(app.id)
    const expired = await postForm(anon, '/inloggen', `/ondertekenen/${link!.token}`, {})
    expect(expired.status).toBe(410)
    expect(expired.text).toContain('Deze link is verlopen')
    expect(await db().applicationSignature.count({ where: { applicationId: app.id } })).toBe(0)
  })

  it('When an e-mail-change link is used as a signing link, then it is refused (a link only works for what it names)', async () => {
    const agent = await t.loginAs('jan')
    await postForm(agent, '/mijn-gegevens', '/mijn-gegevens/e-mailadres', { email: 'jan.ander@voorbeeld.nl' })
    const mail = await db().outgoingMail.findFirstOrThrow({ where: { template: 'email-change' } })
    const token = String((mail.data as { confirmPath: string }).confirmPath)
      .split('/')
      .pop()!
    const response = await t.agent().get(`/ondertekenen/${token}`)
    expect(response.status).toBe(410)
    expect(response.text).toContain('Deze link is niet geldig')
  })

  it('When joint representatives sign, then the application waits until all of them have signed (rule 11)', async () => {
    const holding = await org('De Vries Holding B.V.')
    const ingrid = await user('ingrid.mulder@demo.example')
    const app = await db().application.create({ data: { organisationId: holding.id, type: 'mandates', level: 'EH3', subjectUserId: ingrid.id } })
    await db().$transaction((tx) =>
      import('../../../src/shared/workflows/applications.ts').then((w) => w.requestRepresentativeSignatures(tx, app.id, systemActor(), t.config.baseUrl)),
    )
    const links = await signingLinks(app.id)
    expect(links).toHaveLength(2)
    const first = await t.services.applicationsService.signByLink(links[0]!.token, systemActor())
    expect(first).toEqual({ ok: true, status: 'awaiting_signature' })
    const second = await t.services.applicationsService.signByLink(links[1]!.token, systemActor())
    expect(second).toEqual({ ok: true, status: 'signed' })
  })

  it('When an application is not signed by an admin, then every legal representative is notified; when an admin signed it, nobody is (rule 12)', async () => {
    const holding = await org('De Vries Holding B.V.')
    const ingrid = await user('ingrid.mulder@demo.example')
    const sanne = await user('sanne.devries@demo.example')
    const unsigned = await db().application.create({ data: { organisationId: holding.id, type: 'mandates', level: 'EH3', subjectUserId: ingrid.id } })
    const signed = await db().application.create({
      data: {
        organisationId: holding.id,
        type: 'mandates',
        level: 'EH3',
        subjectUserId: ingrid.id,
        signatures: { create: { signerType: 'admin', adminUserId: sanne.id } },
      },
    })
    await db().$transaction(async (tx) => {
      await notifyRepresentatives(tx, unsigned.id, systemActor(), t.config.baseUrl)
      await notifyRepresentatives(tx, signed.id, systemActor(), t.config.baseUrl)
    })
    const mails = await db().outgoingMail.findMany({ where: { template: 'legal-representative-notification' } })
    expect(mails.map((m) => m.toAddress).sort()).toEqual(['hendrik.devries@demo.example', 'maria.devries@demo.example'])
    expect(mails.every((m) => m.idempotencyKey.includes(unsigned.id))).toBe(true)
  })
})

describe('Beheerdersformulier (rule 3)', () => {
  it("When the user's means has another level than the admin mandate asked for, then the request is refused", async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const response = await postForm(agent, '/beheer/aanvragen/beheerder', '/beheer/aanvragen/beheerder', {
      organisationId: bakkerij.id,
      email: 'jan.smit@demo.example',
      level: 'EH3',
    })
    expect(response.status).toBe(422)
    expect(response.text).toContain('hetzelfde betrouwbaarheidsniveau')
    expect(await db().application.count({ where: { type: 'admin_appointment', organisationId: bakkerij.id } })).toBe(0)
  })

  it('When the levels match and the legal representative signs by link, then the admin mandate exists, scope all, ending with the means', async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const response = await postForm(agent, '/beheer/aanvragen/beheerder', '/beheer/aanvragen/beheerder', {
      organisationId: bakkerij.id,
      email: 'fatma.yilmaz@demo.example',
      level: 'EH3',
    })
    expect(response.status).toBe(303)
    const app = await db().application.findFirstOrThrow({ where: { type: 'admin_appointment', organisationId: bakkerij.id } })
    const links = await signingLinks(app.id)
    expect(links.map((l) => l.to)).toEqual(['hendrik.devries@demo.example'])
    const result = await t.services.applicationsService.signByLink(links[0]!.token, systemActor())
    expect(result).toEqual({ ok: true, status: 'issued' })
    const fatma = await user('fatma.yilmaz@demo.example')
    const means = await db().means.findFirstOrThrow({ where: { userId: fatma.id, status: 'active' } })
    const mandate = await db().mandate.findFirstOrThrow({ where: { userId: fatma.id, organisationId: bakkerij.id, kind: 'admin' } })
    expect(mandate).toMatchObject({ scope: 'all', level: 'EH3', status: 'active' })
    expect(mandate.validUntil.getTime()).toBe(means.validUntil.getTime())
  })
})

describe('Upgrade (item 4)', () => {
  it("When an admin upgrades a user's EH2 means to EH2+, then it is issued at once, the level rises and the user's mandates stay valid", async () => {
    const mark = await user('mark.visser@demo.example')
    const mandatesBefore = await db().mandate.findMany({ where: { userId: mark.id, status: 'active' } })
    const agent = await t.loginAs('sanne')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const response = await upgradeConfirmed(agent, mark.id, {
      level: 'EH2_PLUS',
      organisationId: bakkerij.id,
    })
    expect(response.status).toBe(303)
    const means = await db().means.findFirstOrThrow({ where: { userId: mark.id, status: 'active' } })
    expect(means.level).toBe('EH2_PLUS')
    const mandatesAfter = await db().mandate.findMany({ where: { userId: mark.id, status: 'active' } })
    expect(mandatesAfter.map((m) => m.id).sort()).toEqual(mandatesBefore.map((m) => m.id).sort())
    expect(await db().outgoingMail.count({ where: { template: 'means-active', toAddress: 'mark.visser@demo.example' } })).toBe(1)
  })

  it('When an admin upgrades to EH3, then it waits for the back office; above his own level it is refused (rule 2)', async () => {
    const jan = await user('jan.smit@demo.example')
    const agent = await t.loginAs('sanne')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const tooHigh = await postForm(agent, `/beheer/gebruikers/${jan.id}`, `/beheer/gebruikers/${jan.id}/upgrade`, { level: 'EH4', organisationId: bakkerij.id })
    expect(tooHigh.status).toBe(422)
    expect(tooHigh.text).toContain('boven uw eigen beheerdersniveau')
    const response = await upgradeConfirmed(agent, jan.id, {
      level: 'EH3',
      organisationId: bakkerij.id,
    })
    expect(response.status).toBe(303)
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: jan.id, type: 'upgrade' } })
    expect(app.status).toBe('awaiting_identity_check')
    expect((await db().means.findFirstOrThrow({ where: { userId: jan.id, status: 'active' } })).level).toBe('EH2_PLUS')
    await t.services.backofficeService.approve(systemActor('backoffice'), app.id)
    expect((await db().means.findFirstOrThrow({ where: { userId: jan.id, status: 'active' } })).level).toBe('EH3')
  })
})

describe('rule 16: a new KvK number is a new organisation', () => {
  it("When an organisation is created with a new KvK number, then none of the old organisation's mandates carry over, and the old number cannot be changed", async () => {
    const bakkerij = await org('Bakkerij De Vries B.V.')
    expect(await db().mandate.count({ where: { organisationId: bakkerij.id } })).toBeGreaterThan(0)
    const successor = await db().organisation.create({ data: { kvkNumber: '99887766', name: bakkerij.name } })
    expect(await db().mandate.count({ where: { organisationId: successor.id } })).toBe(0)
    expect(await db().organisationLink.count({ where: { organisationId: successor.id } })).toBe(0)
    await expect(db().organisation.update({ where: { id: bakkerij.id }, data: { kvkNumber: '99887755' } })).rejects.toThrow()
  })
})

describe('rule 3: an upgrade keeps the admin mandate', () => {
  it("When an admin's means is upgraded (EH2 to EH3, after the identity check), then the same means stays active throughout and his admin mandate stays active, also after the expiry scan", async () => {
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const today = todayUtc()
    const admin = await db().user.create({
      data: {
        firstName: 'Eva',
        lastName: 'Upgrade',
        dateOfBirth: new Date('1985-03-04T00:00:00Z'),
        email: 'eva.upgrade@demo.example',
        links: { create: { organisationId: bakkerij.id } },
      },
    })
    const means = await db().means.create({
      data: { userId: admin.id, level: 'EH2', status: 'active', validFrom: addDays(today, -100), validUntil: addYears(today, 1), issuedAt: new Date() },
    })
    const mandate = await db().mandate.create({
      data: {
        kind: 'admin',
        userId: admin.id,
        organisationId: bakkerij.id,
        scope: 'all',
        level: 'EH2',
        validFrom: addDays(today, -100),
        validUntil: means.validUntil,
        status: 'active',
      },
    })

    const agent = await t.loginAs('sanne')
    const response = await upgradeConfirmed(agent, admin.id, {
      level: 'EH3',
      organisationId: bakkerij.id,
    })
    expect(response.status).toBe(303)
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: admin.id, type: 'upgrade' } })
    expect(app.status).toBe('awaiting_identity_check')
    expect(await db().means.findUniqueOrThrow({ where: { id: means.id } })).toMatchObject({ level: 'EH2', status: 'active' })
    await t.services.backofficeService.approve(systemActor('backoffice'), app.id)

    // The upgrade raises the level of the same means in place: never a moment without an active means.
    expect(await db().means.findMany({ where: { userId: admin.id } })).toEqual([expect.objectContaining({ id: means.id, level: 'EH3', status: 'active' })])
    await t.services.expiryService.scan({ today })
    expect(await db().mandate.findUniqueOrThrow({ where: { id: mandate.id } })).toMatchObject({ level: 'EH2', status: 'active' })
    expect(await db().auditEvent.count({ where: { action: 'mandate.expired', subjectId: mandate.id } })).toBe(0)
    const principal = await t.services.authService.loadPrincipal(admin.id)
    expect(principal!.adminOrganisations.map((o) => o.id)).toEqual([bakkerij.id])
  })
})
