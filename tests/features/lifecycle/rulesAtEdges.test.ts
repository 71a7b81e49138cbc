// Issue 13, "rules at the edges": rule 1 when a means ends (the daily scan and every path that ends
// one, through shared/workflows/meansEnded.ts), a rejected or lapsed verzoek ends its pending
// mandates, and accepting a verzoek writes an audit entry per mandate it activates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../../src/shared/actor.ts'
import { addDays, addYears, todayUtc } from '../../../src/domain/dates.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
const today = todayUtc()
const db = () => t.database.db

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const user = (email: string) => db().user.findFirstOrThrow({ where: { emailKey: email } })
const org = (name: string) => db().organisation.findFirstOrThrow({ where: { name } })
const useMandates = (userId: string) =>
  db().mandate.findMany({ where: { userId, kind: 'use' }, select: { id: true, level: true, status: true }, orderBy: [{ level: 'asc' }, { id: 'asc' }] })

describe('rule 1 when a means ends (the daily scan)', () => {
  it('When the EH4 means of a holder with an EH3 means left expires, then the scan ends her EH4 use-mandate (expired, reason means_ended, one audit entry) and keeps the EH3 ones', async () => {
    const ingrid = await user('ingrid.mulder@demo.example')
    await db().means.create({ data: { userId: ingrid.id, level: 'EH3', status: 'active', validFrom: addDays(today, -10), validUntil: addYears(today, 2) } })
    await db().means.updateMany({ where: { userId: ingrid.id, level: 'EH4' }, data: { validUntil: addDays(today, -1) } })
    const before = await useMandates(ingrid.id)
    const eh4 = before.find((m) => m.level === 'EH4' && m.status === 'active')!
    const eh3Active = before.filter((m) => m.level === 'EH3' && m.status === 'active').map((m) => m.id)
    expect(eh4).toBeTruthy()

    const result = await t.services.expiryService.scan({ today })
    expect(result.endedUseMandates).toBeGreaterThanOrEqual(1)

    const after = await useMandates(ingrid.id)
    expect(after.find((m) => m.id === eh4.id)!.status).toBe('expired')
    expect(after.filter((m) => eh3Active.includes(m.id)).map((m) => m.status)).toEqual(eh3Active.map(() => 'active'))
    const audit = await db().auditEvent.findMany({ where: { action: 'mandate.expired', subjectId: eh4.id } })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ subjectType: 'mandate', before: { status: 'active' }, after: { status: 'expired', reason: 'means_ended' } })
  })

  it('When a holder has no active means left, then every active use-mandate of his ends; a second scan ends nothing more', async () => {
    const mark = await user('mark.visser@demo.example')
    await db().means.updateMany({ where: { userId: mark.id }, data: { validUntil: addDays(today, -1) } })
    await t.services.expiryService.scan({ today })
    const statuses = (await useMandates(mark.id)).map((m) => m.status)
    expect(statuses).not.toContain('active')
    expect(statuses).toContain('suspended') // a suspended one stays suspended (rule 18), it was not active
    const audits = await db().auditEvent.count({ where: { action: 'mandate.expired' } })
    expect(await t.services.expiryService.scan({ today })).toMatchObject({ endedUseMandates: 0, endedAdminMandates: 0 })
    expect(await db().auditEvent.count({ where: { action: 'mandate.expired' } })).toBe(audits)
  })
})

describe('a verzoek that is rejected, lapses or is accepted', () => {
  async function pendingMandate(userId: string, organisationId: string) {
    return db().mandate.create({
      data: { userId, organisationId, scope: 'all', level: 'EH2', validFrom: today, validUntil: addYears(today, 1), status: 'pending' },
    })
  }

  it('When the person rejects the verzoek, then its pending mandates are revoked with reason link_request_rejected and the scope can be granted again', async () => {
    const sophie = await user('sophie.kramer@demo.example')
    const holding = await org('De Vries Holding B.V.')
    const mandate = await pendingMandate(sophie.id, holding.id)
    const request = await db().linkRequest.create({ data: { userId: sophie.id, organisationId: holding.id, expiresAt: addDays(new Date(), 30) } })
    const principal = (await t.services.authService.loadPrincipal(sophie.id))!
    await t.services.requestsService.decide(principal, systemActor(sophie.email), request.id, false)

    const ended = await db().mandate.findUniqueOrThrow({ where: { id: mandate.id } })
    expect(ended).toMatchObject({ status: 'revoked', live: null })
    const audit = await db().auditEvent.findMany({ where: { action: 'mandate.revoked', subjectId: mandate.id } })
    expect(audit).toHaveLength(1)
    expect(audit[0]!.after).toMatchObject({ status: 'revoked', reason: 'link_request_rejected', linkRequestId: request.id })
    // No longer blocking: the same scope can be given again.
    await expect(pendingMandate(sophie.id, holding.id)).resolves.toBeTruthy()
  })

  it('When a verzoek passes its end, then the daily scan marks it lapsed and revokes its pending mandates (reason link_request_lapsed), once', async () => {
    const linda = await user('linda.degroot@demo.example')
    const holding = await org('De Vries Holding B.V.')
    const mandate = await pendingMandate(linda.id, holding.id)
    const request = await db().linkRequest.create({
      data: { userId: linda.id, organisationId: holding.id, createdAt: addDays(new Date(), -100), expiresAt: addDays(new Date(), -5) },
    })
    const result = await t.services.expiryService.scan({ today })
    expect(result.endedPendingMandates).toBeGreaterThanOrEqual(1)
    expect((await db().linkRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('lapsed')
    expect((await db().mandate.findUniqueOrThrow({ where: { id: mandate.id } })).status).toBe('revoked')
    const audit = await db().auditEvent.findMany({ where: { subjectId: mandate.id } })
    expect(audit.map((a) => [a.action, (a.after as { reason?: string }).reason])).toEqual([['mandate.revoked', 'link_request_lapsed']])
    expect(await db().auditEvent.count({ where: { action: 'link_request.lapsed', subjectId: request.id } })).toBe(1)
    expect(await t.services.expiryService.scan({ today })).toMatchObject({ endedPendingMandates: 0 })
    expect(await db().auditEvent.count({ where: { subjectId: mandate.id } })).toBe(1)
  })

  it('When the person accepts, then each mandate activated gets its own audit entry mandate.activated', async () => {
    const fatma = await user('fatma.yilmaz@demo.example')
    const holding = await org('De Vries Holding B.V.')
    const a = await pendingMandate(fatma.id, holding.id)
    const service = await db().service.findFirstOrThrow({ where: { requiredLevel: { in: ['EH2', 'EH2_PLUS', 'EH3'] } } })
    const b = await db().mandate.create({
      data: {
        userId: fatma.id,
        organisationId: holding.id,
        scope: 'service',
        serviceId: service.id,
        level: 'EH3',
        validFrom: today,
        validUntil: addYears(today, 1),
        status: 'pending',
      },
    })
    const request = await db().linkRequest.findFirstOrThrow({ where: { userId: fatma.id, organisationId: holding.id, status: 'pending' } })
    const principal = (await t.services.authService.loadPrincipal(fatma.id))!
    const result = await t.services.requestsService.decide(principal, systemActor(fatma.email), request.id, true)
    expect(result.activated).toBe(2)
    for (const id of [a.id, b.id]) {
      const audit = await db().auditEvent.findMany({ where: { action: 'mandate.activated', subjectId: id } })
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({
        organisationId: holding.id,
        before: { status: 'pending' },
        after: { status: 'active', reason: 'link_request_accepted' },
      })
    }
  })
})
