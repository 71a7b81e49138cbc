// Rule 3 on renewal: an admin mandate ends when its holder's means ends, so when the means is renewed
// (the renewal link, a signed renewal application) the admin mandates it carries follow its new end;
// the ones that ended with an expired means come back, never a revoked one (rule 9); rule 4 caps it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Level, MandateStatus } from '../../../src/generated/prisma/client.ts'
import { renderMail } from '../../../src/features/mail/render.ts'
import { hashToken, newToken } from '../../../src/features/renewal/tokens.ts'
import { addDays, addYears, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { adminOrganisationNamesOn, createTestApp, csrfFrom, type Agent, type TestApp } from '../../helpers/app.ts'

let t: TestApp
const today = todayUtc()

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const org = (name: string) => db().organisation.findFirstOrThrow({ where: { name } })
const mandate = (id: string) => db().mandate.findUniqueOrThrow({ where: { id } })
const adminOrganisationsOn = (userId: string, day: Date) => adminOrganisationNamesOn(t, userId, day)

/** A person linked to the organisations (in this order), with one means. */
async function holder(email: string, organisations: string[], means: { level: Level; status: 'active' | 'expired'; validUntil: Date }) {
  const user = await db().user.create({ data: { firstName: 'Test', lastName: email.split('@')[0]!, dateOfBirth: new Date('1980-05-06T00:00:00Z'), email } })
  for (const [i, name] of organisations.entries()) {
    await db().organisationLink.create({ data: { userId: user.id, organisationId: (await org(name)).id, createdAt: addDays(new Date(), i - 10) } })
  }
  const m = await db().means.create({
    data: {
      userId: user.id,
      level: means.level,
      status: means.status,
      validFrom: addDays(today, -400),
      validUntil: means.validUntil,
      issuedAt: addDays(today, -400),
    },
  })
  return { user, means: m }
}

async function adminMandate(userId: string, organisation: string, level: Level, status: MandateStatus, validUntil: Date, validFrom = addDays(today, -400)) {
  return db().mandate.create({
    data: {
      kind: 'admin',
      userId,
      organisationId: (await org(organisation)).id,
      scope: 'all',
      level,
      validFrom,
      validUntil,
      status,
      revokedAt: status === 'revoked' ? addDays(new Date(), -20) : null,
    },
  })
}

/** A renewal link for the means, as the expiry scan sends it. */
async function renewalLink(means: { id: string; validUntil: Date }) {
  const token = newToken()
  await db().actionToken.create({
    data: {
      purpose: 'renewal',
      tokenHash: hashToken(token),
      subject: { type: 'means', id: means.id, validUntil: isoDate(means.validUntil) },
      expiresAt: addDays(new Date(), 20),
    },
  })
  return `/verlengen/${token}`
}

async function submit(agent: Agent, path: string, termYears: string) {
  const page = await agent.get(path)
  expect(page.status).toBe(200)
  return agent
    .post(path)
    .type('form')
    .send({ termYears, _csrf: csrfFrom(page.text) })
}

describe("rule 3 on renewal: the admin mandate follows its holder's means", () => {
  it('When an admin renews his own means through the link in his expiry notice, then his admin mandate ends with the renewed means, is audited, he keeps Beheer after the old end, and the mail says so', async () => {
    const pieter = await db().user.findFirstOrThrow({ where: { emailKey: 'pieter.bakker@demo.example' }, include: { means: true } })
    const bakker = await org('Bakker Installatietechniek B.V.')
    const means = pieter.means.find((m) => m.status === 'active')!
    const admin = await db().mandate.findFirstOrThrow({ where: { userId: pieter.id, kind: 'admin' } })
    const oldEnd = means.validUntil
    expect(admin).toMatchObject({ organisationId: bakker.id, status: 'active', validUntil: oldEnd }) // the appointment set it to the means' end
    const dayAfterOldEnd = addDays(oldEnd, 1)
    expect(await adminOrganisationsOn(pieter.id, dayAfterOldEnd)).toEqual([]) // before: Beheer gone on the old date

    // The expiry scan sends the notice with the renewal link (the means ends within two months).
    await t.services.expiryService.scan({ today })
    const notice = await db().outgoingMail.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `expiry:means:${means.id}:` } } })
    const path = (notice.data as { renewPath: string }).renewPath
    const agent = await t.loginAs('pieter')
    const response = await submit(agent, path, '1')
    expect(response.status).toBe(200)
    expect(response.text).toContain('Verlengd')

    const newEnd = addYears(oldEnd, 1)
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).validUntil).toEqual(newEnd)
    expect(await mandate(admin.id)).toMatchObject({ status: 'active', validUntil: newEnd })
    expect(await adminOrganisationsOn(pieter.id, dayAfterOldEnd)).toEqual([bakker.name])
    expect(await adminOrganisationsOn(pieter.id, newEnd)).toEqual([bakker.name])
    expect(await adminOrganisationsOn(pieter.id, addDays(newEnd, 1))).toEqual([])

    const audit = await db().auditEvent.findMany({ where: { action: 'mandate.renewed', subjectId: admin.id } })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actorId: pieter.id,
      actorLabel: 'pieter.bakker@demo.example',
      organisationId: bakker.id,
      subjectType: 'mandate',
      before: { status: 'active', validUntil: isoDate(oldEnd) },
      after: { status: 'active', validUntil: isoDate(newEnd), reason: 'means_renewed', meansId: means.id },
    })

    const done = await db().outgoingMail.findFirstOrThrow({ where: { template: 'renewal-done', toAddress: 'pieter.bakker@demo.example' } })
    expect(done.data).toMatchObject({ kind: 'means', adminOrganisations: [bakker.name] })
    const rendered = await renderMail('renewal-done', 'nl', done.data as Record<string, unknown>, {
      brandName: 'Mijn Reconi',
      baseUrl: 'https://portaal.example.nl',
    })
    expect(rendered.text).toContain(`Uw beheerdersmachtiging voor ${bakker.name} loopt mee met uw middel.`)
    expect(rendered.html).toContain(`Uw beheerdersmachtiging voor ${bakker.name} loopt mee met uw middel.`)
  })

  it('When the legal representative signs the renewal application of an expired means, then the admin mandate that ended with it comes back until the new end, a revoked one stays revoked and one that ran out earlier stays expired', async () => {
    const oldEnd = addDays(today, -10)
    const { user, means } = await holder(
      'ruben.verlopen@demo.example',
      ['Bakkerij De Vries B.V.', 'De Vries Holding B.V.', 'Administratiekantoor Van Dijk & Partners B.V.'],
      {
        level: 'EH3',
        status: 'expired',
        validUntil: oldEnd,
      },
    )
    const endedWithIt = await adminMandate(user.id, 'Bakkerij De Vries B.V.', 'EH3', 'expired', oldEnd)
    const revoked = await adminMandate(user.id, 'De Vries Holding B.V.', 'EH3', 'revoked', oldEnd)
    const ranOutEarlier = await adminMandate(user.id, 'Administratiekantoor Van Dijk & Partners B.V.', 'EH3', 'expired', addDays(today, -200))

    // Not an admin: the link makes a renewal application for the legal representative (rule 12).
    const response = await submit(t.agent(), await renewalLink(means), '1')
    expect(response.status).toBe(200)
    expect(response.text).toContain('Aanvraag tot verlenging verstuurd')
    const application = await db().application.findFirstOrThrow({ where: { type: 'renewal', subjectUserId: user.id } })
    expect(await mandate(endedWithIt.id)).toMatchObject({ status: 'expired' }) // nothing yet

    const notification = await db().outgoingMail.findFirstOrThrow({
      where: { template: 'legal-representative-notification', idempotencyKey: { startsWith: `application:${application.id}:` } },
    })
    const signPath = (notification.data as { signPath: string }).signPath
    const signer = t.agent()
    const signPage = await signer.get(signPath)
    expect(signPage.status).toBe(200)
    const signed = await signer
      .post(signPath)
      .type('form')
      .send({ _csrf: csrfFrom(signPage.text) })
    expect(signed.status).toBeLessThan(400)
    expect((await db().application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('issued')

    const newEnd = addYears(today, 1) // renewed from today: it had expired (rule 4)
    expect(await db().means.findUniqueOrThrow({ where: { id: means.id } })).toMatchObject({ status: 'active', validUntil: newEnd })
    expect(await mandate(endedWithIt.id)).toMatchObject({ status: 'active', validUntil: newEnd })
    expect(await mandate(revoked.id)).toMatchObject({ status: 'revoked', validUntil: oldEnd })
    expect(await mandate(ranOutEarlier.id)).toMatchObject({ status: 'expired', validUntil: addDays(today, -200) })
    expect(await adminOrganisationsOn(user.id, addDays(today, 1))).toEqual(['Bakkerij De Vries B.V.'])

    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'mandate.renewed', subjectId: endedWithIt.id } })).toMatchObject({
      organisationId: endedWithIt.organisationId,
      before: { status: 'expired', validUntil: isoDate(oldEnd) },
      after: { status: 'active', validUntil: isoDate(newEnd), reason: 'means_renewed', meansId: means.id },
    })
    expect(await db().auditEvent.count({ where: { subjectId: { in: [revoked.id, ranOutEarlier.id] } } })).toBe(0)
  })

  it('When a means that ended is renewed by 5 years, then its admin mandate ends 5 years from today with it and no later; a term past 5 years is refused and changes neither', async () => {
    // Sanne administers Bakkerij at EH3: she renews at once.
    const sanne = await t.loginAs('sanne')
    const lapsed = await holder('lotte.lang@demo.example', ['Bakkerij De Vries B.V.'], { level: 'EH3', status: 'expired', validUntil: addDays(today, -3) })
    const admin = await adminMandate(lapsed.user.id, 'Bakkerij De Vries B.V.', 'EH3', 'expired', addDays(today, -3), addDays(today, -1500))
    const response = await submit(sanne, await renewalLink(lapsed.means), '5')
    expect(response.status).toBe(200)
    expect(response.text).toContain('Verlengd')
    const limit = addYears(today, 5)
    expect((await db().means.findUniqueOrThrow({ where: { id: lapsed.means.id } })).validUntil).toEqual(limit)
    expect(await mandate(admin.id)).toMatchObject({ status: 'active', validUntil: limit })

    const running = await holder('karel.kort@demo.example', ['Bakkerij De Vries B.V.'], { level: 'EH3', status: 'active', validUntil: addDays(today, 30) })
    const runningAdmin = await adminMandate(running.user.id, 'Bakkerij De Vries B.V.', 'EH3', 'active', addDays(today, 30))
    const refused = await submit(sanne, await renewalLink(running.means), '5')
    expect(refused.status).toBe(422)
    expect(refused.text).toContain('Met 5 jaar loopt het langer dan 5 jaar vanaf vandaag')
    expect(await mandate(runningAdmin.id)).toMatchObject({ status: 'active', validUntil: addDays(today, 30) })
    expect(await db().auditEvent.count({ where: { subjectId: runningAdmin.id } })).toBe(0)
  })
})
