// Schorsen, opheffen schorsing and opzeggen of a means (rules 17, 18, 1, 3), through the service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, addYears, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { actorFor, demo } from '../mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
const db = () => t.database.db
const today = todayUtc()
const svc = () => t.services.meansService
const activeMeans = (userId: string) => db().means.findFirstOrThrow({ where: { userId, status: { in: ['active', 'suspended'] } } })
const mandates = (userId: string) => db().mandate.findMany({ where: { userId }, select: { id: true, status: true, kind: true } })

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
})
afterAll(async () => {
  await t.close()
})

describe('schorsen of a means (rule 18)', () => {
  it('When the admin suspends a means, then the mandates it carried are suspended too (marked), each audited; lifting restores exactly those; a second click is refused with what happened', async () => {
    const sanne = await actorFor(db(), d.sanne)
    const means = await activeMeans(d.ingrid)
    const before = await mandates(d.ingrid)
    const activeIds = before.filter((m) => m.status === 'active').map((m) => m.id)
    const result = await svc().suspend(sanne, means.id)
    expect(result.mandates).toBe(activeIds.length)
    const suspended = await mandates(d.ingrid)
    expect(suspended.filter((m) => activeIds.includes(m.id)).every((m) => m.status === 'suspended')).toBe(true)
    expect(await db().auditEvent.count({ where: { action: 'means.suspended', subjectId: means.id } })).toBe(1)
    expect(await db().auditEvent.count({ where: { action: 'mandate.suspended', subjectId: { in: activeIds } } })).toBe(activeIds.length)
    await expect(svc().suspend(sanne, means.id)).rejects.toMatchObject({ messageKey: 'users:means.errors.alreadySuspended' })
    // The admin cannot lift one of those on its own.
    await expect(t.services.mandateLifecycleService.lift(sanne, activeIds[0]!)).rejects.toMatchObject({ messageKey: 'mandates:errors.suspendedWithMeans' })

    const lifted = await svc().lift(sanne, means.id)
    expect(lifted.mandates).toBe(activeIds.length)
    expect((await mandates(d.ingrid)).filter((m) => activeIds.includes(m.id)).every((m) => m.status === 'active')).toBe(true)
    await expect(svc().lift(sanne, means.id)).rejects.toMatchObject({ messageKey: 'users:means.errors.notSuspended' })
    expect(await db().outgoingMail.count({ where: { template: 'means-changed', idempotencyKey: { contains: means.id } } })).toBe(2)
  })

  it('When an admin acts on the means of a user not linked to his organisations, then 404 and nothing changes', async () => {
    const pieter = await actorFor(db(), d.pieter)
    const means = await activeMeans(d.ingrid)
    await expect(svc().suspend(pieter, means.id)).rejects.toMatchObject({ status: 404 })
    await expect(svc().cancel(pieter, means.id, isoDate(today))).rejects.toMatchObject({ status: 404 })
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).status).toBe('active')
  })
})

describe('opzeggen of a means (rule 17)', () => {
  it('When the date is in the past, more than a year ahead or not a date, then it is refused with the reason and nothing changes', async () => {
    const sanne = await actorFor(db(), d.sanne)
    const means = await activeMeans(d.mark)
    await expect(svc().cancel(sanne, means.id, isoDate(addDays(today, -1)))).rejects.toMatchObject({ messageKey: 'users:means.errors.datePast', field: 'date' })
    await expect(svc().cancel(sanne, means.id, isoDate(addDays(addYears(today, 1), 1)))).rejects.toMatchObject({ messageKey: 'users:means.errors.dateTooLate' })
    await expect(svc().cancel(sanne, means.id, '31-02-2027')).rejects.toMatchObject({ messageKey: 'users:means.errors.date' })
    expect(await db().means.findUniqueOrThrow({ where: { id: means.id } })).toMatchObject({ status: 'active', endsOn: null })
  })

  it('When opgezegd for a later date, then the means runs until then and the daily scan ends it on that date with rules 1 and 3', async () => {
    const sanne = await actorFor(db(), d.sanne)
    const means = await activeMeans(d.mark)
    const day = addDays(today, 10)
    expect(await svc().cancel(sanne, means.id, isoDate(day))).toMatchObject({ scheduled: true })
    await expect(svc().cancel(sanne, means.id, isoDate(day))).rejects.toMatchObject({ messageKey: 'users:means.errors.alreadyScheduled' })
    expect(await t.services.expiryService.scan({ today: addDays(day, -1) })).toMatchObject({ cancelledMeans: 0 })
    const result = await t.services.expiryService.scan({ today: day })
    expect(result.cancelledMeans).toBe(1)
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).status).toBe('revoked')
    expect((await mandates(d.mark)).map((m) => m.status)).not.toContain('active')
  })

  it('When the person cancels his own means today, then it ends at once, his use-mandates above his remaining level end with reason means_cancelled, and another person cannot touch it', async () => {
    const ingrid = await actorFor(db(), d.ingrid)
    const means = await activeMeans(d.ingrid)
    const linda = await actorFor(db(), d.linda)
    await expect(svc().cancel(linda, means.id, isoDate(today), { own: true })).rejects.toMatchObject({ status: 404 })
    const result = await svc().cancel(ingrid, means.id, isoDate(today), { own: true })
    expect(result).toMatchObject({ scheduled: false })
    expect(result.useMandates).toBeGreaterThan(0)
    expect((await mandates(d.ingrid)).map((m) => m.status)).not.toContain('active')
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'mandate.expired', after: { path: ['reason'], equals: 'means_cancelled' } } })
    expect(audit.subjectType).toBe('mandate')
    await expect(svc().cancel(ingrid, means.id, isoDate(today), { own: true })).rejects.toMatchObject({ messageKey: 'users:means.errors.alreadyEnded' })
  })
})
