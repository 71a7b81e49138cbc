// Rule 3: an admin mandate ends when the holder's own means (at its level) ends: in the daily scan,
// and through `endAdminMandatesWithoutMeans` for any path that ends a means.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Level } from '../../../src/generated/prisma/client.ts'
import { systemActor, type Actor } from '../../../src/shared/actor.ts'
import { endAdminMandatesWithoutMeans } from '../../../src/shared/workflows/adminMandates.ts'
import { addDays, addYears, todayUtc } from '../../../src/domain/dates.ts'
import { createTestApp, type Agent, type TestApp } from '../../helpers/app.ts'

let t: TestApp
const today = todayUtc()
const yesterday = addDays(today, -1)

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const user = (email: string) => db().user.findFirstOrThrow({ where: { emailKey: email }, include: { means: true } })
const org = (name: string) => db().organisation.findFirstOrThrow({ where: { name } })
const adminMandates = (userId: string) => db().mandate.findMany({ where: { userId, kind: 'admin' }, orderBy: { id: 'asc' } })
const scan = () => t.services.expiryService.scan({ today })

/** The holder's active means ends yesterday: the next scan expires it. */
async function endMeans(userId: string, level: Level) {
  await db().means.updateMany({ where: { userId, status: 'active', level }, data: { validUntil: yesterday } })
}
async function addMeans(userId: string, level: Level) {
  return db().means.create({ data: { userId, level, status: 'active', validFrom: addDays(today, -30), validUntil: addYears(today, 3), issuedAt: new Date() } })
}

describe('rule 3 in the expiry scan: an admin mandate ends with the means at its level', () => {
  let pieterAgent: Agent

  beforeAll(async () => {
    pieterAgent = await t.loginAs('pieter')
  })

  it("When an admin's means expires while his admin mandate runs on, then the scan ends the admin mandate (expired) with an audit entry in the organisation's log", async () => {
    const pieter = await user('pieter.bakker@demo.example')
    const bakker = await org('Bakker Installatietechniek B.V.')
    const [mandate] = await adminMandates(pieter.id)
    expect(mandate).toMatchObject({ organisationId: bakker.id, status: 'active' })
    // The admin mandate runs a year longer than the means it rests on.
    await db().mandate.update({ where: { id: mandate!.id }, data: { validUntil: addYears(today, 1) } })
    const beheer = await pieterAgent.get('/beheer/machtigingen')
    expect(beheer.status).toBe(200)

    await endMeans(pieter.id, 'EH2_PLUS')
    const result = await scan()
    expect(result.expiredMeans).toBeGreaterThanOrEqual(1)
    expect(result.endedAdminMandates).toBeGreaterThanOrEqual(1)

    expect((await db().mandate.findUniqueOrThrow({ where: { id: mandate!.id } })).status).toBe('expired')
    const audit = await db().auditEvent.findMany({ where: { action: 'mandate.expired', subjectId: mandate!.id } })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      organisationId: bakker.id,
      subjectType: 'mandate',
      actorId: null,
      actorLabel: 'systeem (verloopcontrole)',
      before: { status: 'active' },
      after: { status: 'expired', reason: 'means_ended' },
    })
  })

  it("When an admin's means has expired, then on his next request the Beheer tab is gone and /beheer/machtigingen does not exist for him (404)", async () => {
    // The same session as before the scan: the principal is loaded afresh for every request.
    const beheer = await pieterAgent.get('/beheer/machtigingen')
    expect(beheer.status).toBe(404)
    const overview = await pieterAgent.get('/overzicht')
    expect(overview.status).toBe(200)
    expect(overview.text).not.toContain('href="/beheer/machtigingen"')
    expect((await pieterAgent.get('/beheer/gebruikers')).status).toBe(404)
  })

  it("When the admin's remaining active means is below the admin mandate's level, then the scan ends it all the same", async () => {
    const sanne = await user('sanne.devries@demo.example')
    await addMeans(sanne.id, 'EH2_PLUS')
    expect((await adminMandates(sanne.id)).map((m) => [m.level, m.status])).toEqual([
      ['EH3', 'active'],
      ['EH3', 'active'],
    ])
    await endMeans(sanne.id, 'EH3')
    await scan()
    expect((await adminMandates(sanne.id)).map((m) => m.status)).toEqual(['expired', 'expired'])
  })

  it('When the ended means was replaced by an active one at a higher level, then the scan keeps the admin mandate (mandates stay valid on upgrade)', async () => {
    const johan = await user('johan.vandijk@demo.example')
    await addMeans(johan.id, 'EH4')
    await endMeans(johan.id, 'EH3')
    await scan()
    expect((await db().means.findMany({ where: { userId: johan.id }, orderBy: { level: 'asc' } })).map((m) => [m.level, m.status])).toEqual([
      ['EH3', 'expired'],
      ['EH4', 'active'],
    ])
    const [mandate] = await adminMandates(johan.id)
    expect(mandate).toMatchObject({ level: 'EH3', status: 'active' })
    expect(await db().auditEvent.count({ where: { action: 'mandate.expired', subjectId: mandate!.id } })).toBe(0)
  })

  it('When the scan runs again the same day, then it ends nothing more and writes no second audit entry', async () => {
    const audits = await db().auditEvent.count({ where: { action: 'mandate.expired' } })
    expect(await scan()).toMatchObject({ expiredMandates: 0, expiredMeans: 0, endedAdminMandates: 0 })
    expect(await db().auditEvent.count({ where: { action: 'mandate.expired' } })).toBe(audits)
  })
})

describe("rule 3 for a path that ends one person's means: endAdminMandatesWithoutMeans", () => {
  it("When a path ends a holder's means and calls the rule for him, then his admin mandates end in that transaction with that actor, and nobody else's", async () => {
    const johan = await user('johan.vandijk@demo.example')
    const backoffice = await user('backoffice@demo.example')
    const actor: Actor = {
      principal: { id: backoffice.id, email: backoffice.email, name: 'Back office', role: 'backoffice', locale: 'nl', adminOrganisations: [] },
      label: backoffice.email,
      ipAddress: '192.0.2.7',
      requestId: 'req-rule3',
      locale: 'nl',
    }
    // Someone else out of step (not the holder named): left to the daily scan.
    const fatma = await user('fatma.yilmaz@demo.example')
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const other = await db().mandate.create({
      data: {
        kind: 'admin',
        userId: fatma.id,
        organisationId: bakkerij.id,
        scope: 'all',
        level: 'EH3',
        validFrom: today,
        validUntil: addYears(today, 1),
        status: 'active',
      },
    })
    await db().means.updateMany({ where: { userId: fatma.id, status: 'active' }, data: { status: 'suspended' } })
    const [mandate] = await adminMandates(johan.id)
    expect(mandate!.status).toBe('active')

    // A transaction that fails after the change: nothing happened.
    const rollback = new Error('rollback')
    await expect(
      db().$transaction(async (tx) => {
        await tx.means.updateMany({ where: { userId: johan.id, status: 'active' }, data: { status: 'suspended' } })
        expect(await endAdminMandatesWithoutMeans(tx, actor, { userIds: [johan.id] })).toBe(1)
        throw rollback
      }),
    ).rejects.toBe(rollback)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: mandate!.id } })).status).toBe('active')
    expect(await db().auditEvent.count({ where: { subjectId: mandate!.id, action: 'mandate.expired' } })).toBe(0)

    const ended = await db().$transaction(async (tx) => {
      await tx.means.updateMany({ where: { userId: johan.id, status: 'active' }, data: { status: 'suspended' } })
      return endAdminMandatesWithoutMeans(tx, actor, { userIds: [johan.id] })
    })
    expect(ended).toBe(1)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: mandate!.id } })).status).toBe('expired')
    expect(await db().auditEvent.findFirstOrThrow({ where: { subjectId: mandate!.id, action: 'mandate.expired' } })).toMatchObject({
      actorId: backoffice.id,
      actorLabel: 'backoffice@demo.example',
      ipAddress: '192.0.2.7',
      requestId: 'req-rule3',
      after: { status: 'expired', reason: 'means_ended' },
    })
    expect((await db().mandate.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('active')
  })

  it("When an admin mandate was left running by code from before the rule (its holder's means already ended), then the check without holders named ends it", async () => {
    const fatma = await user('fatma.yilmaz@demo.example')
    const [left] = await adminMandates(fatma.id)
    expect(left!.status).toBe('active') // left by the test above: her means was suspended without the rule
    const ended = await db().$transaction((tx) => endAdminMandatesWithoutMeans(tx, systemActor('systeem (herstel regel 3)')))
    expect(ended).toBe(1)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: left!.id } })).status).toBe('expired')
    expect(await db().auditEvent.findFirstOrThrow({ where: { subjectId: left!.id, action: 'mandate.expired' } })).toMatchObject({
      actorId: null,
      actorLabel: 'systeem (herstel regel 3)',
    })
    expect(await db().$transaction((tx) => endAdminMandatesWithoutMeans(tx, systemActor()))).toBe(0)
  })
})
