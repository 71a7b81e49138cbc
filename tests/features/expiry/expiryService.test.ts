import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ExpiryService } from '../../../src/features/expiry/expiryService.ts'
import { addDays, addMonths, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
let expiry: ExpiryService
const today = todayUtc()
let janMandateId: string

beforeAll(async () => {
  t = await createTestDatabase({ demo: true })
  expiry = new ExpiryService(t.db)
  const jan = await t.db.user.findFirstOrThrow({ where: { email: 'jan.smit@demo.example' } })
  const m = await t.db.mandate.findFirstOrThrow({ where: { userId: jan.id, service: { name: 'Berichtenbox voor bedrijven' } } })
  janMandateId = m.id
})
afterAll(async () => {
  await t.drop()
})

async function notices(template = 'expiry-notice') {
  return t.db.outgoingMail.findMany({ where: { template }, orderBy: { idempotencyKey: 'asc' } })
}

describe('expiry scan: thresholds', () => {
  beforeEach(async () => {
    await t.db.outgoingMail.deleteMany()
    await t.db.actionToken.deleteMany()
  })

  it.each([
    ['more than two months ahead', 'no', (d: Date) => addDays(addMonths(d, 2), 1)],
    ['exactly two months ahead', '2m', (d: Date) => addMonths(d, 2)],
    ['one month and a day ahead', '2m', (d: Date) => addDays(addMonths(d, 1), 1)],
    ['exactly one month ahead', '1m', (d: Date) => addMonths(d, 1)],
    ['eight days ahead', '1m', (d: Date) => addDays(d, 8)],
    ['seven days ahead', '1w', (d: Date) => addDays(d, 7)],
    ['ending today', '1w', (d: Date) => d],
  ])('When a mandate ends %s, then the holder gets %s notice', async (_label, threshold, end) => {
    await t.db.mandate.update({ where: { id: janMandateId }, data: { validUntil: end(today), status: 'active' } })
    await expiry.scan({ today })
    const mine = (await notices()).filter((n) => n.idempotencyKey.startsWith(`expiry:mandate:${janMandateId}:`))
    if (threshold === 'no') {
      expect(mine).toHaveLength(0)
    } else {
      expect(mine.map((n) => n.idempotencyKey)).toEqual([`expiry:mandate:${janMandateId}:${threshold}:${isoDate(end(today))}`])
      expect(mine[0]!.toAddress).toBe('jan.smit@demo.example')
    }
  })
})

describe('expiry scan: a simulated run of days', () => {
  beforeAll(async () => {
    await t.db.outgoingMail.deleteMany()
    await t.db.actionToken.deleteMany()
    await t.db.mandate.update({ where: { id: janMandateId }, data: { validUntil: addDays(today, 45), status: 'active' } })
  })

  it('When the scan runs, then each expiring item gets one notice with a renewal link and each organisation one digest per admin', async () => {
    const result = await expiry.scan({ today })
    expect(result.notices).toBeGreaterThan(0)
    const all = await notices()
    const jan = all.find((n) => n.idempotencyKey === `expiry:mandate:${janMandateId}:2m:${isoDate(addDays(today, 45))}`)!
    expect(jan).toBeDefined()
    const data = jan.data as Record<string, unknown>
    expect(data).toMatchObject({
      name: 'Jan Smit',
      kind: 'mandate',
      threshold: '2m',
      organisationName: 'Bakkerij De Vries B.V.',
      serviceName: 'Berichtenbox voor bedrijven',
      level: 'EH2+',
    })
    expect(String(data.renewPath)).toMatch(/^\/verlengen\/[0-9a-f]{64}$/)
    expect(await t.db.actionToken.count({ where: { purpose: 'renewal' } })).toBe(result.notices)
    // One notice per item: no key twice, and every means or mandate at most once.
    const items = all.map((n) => n.idempotencyKey.split(':').slice(0, 3).join(':'))
    expect(new Set(items).size).toBe(items.length)

    const digests = await notices('expiry-digest')
    expect(digests).toHaveLength(result.digests)
    const sanneBakkerij = digests.find(
      (d) => d.toAddress === 'sanne.devries@demo.example' && (d.data as { organisationName: string }).organisationName === 'Bakkerij De Vries B.V.',
    )!
    const items2 = (sanneBakkerij.data as { items: { holderName: string; serviceName?: string; renewPath: string }[] }).items
    expect(items2.map((i) => i.holderName)).toEqual(expect.arrayContaining(['Jan Smit', 'Fatma Yılmaz']))
    expect(items2.find((i) => i.holderName === 'Jan Smit')!.renewPath).toBe(data.renewPath)
    // Pieter administers Bakker Installatietechniek: his digest names Ahmed's means and mandates.
    const pieter = digests.find((d) => d.toAddress === 'pieter.bakker@demo.example')!
    expect((pieter.data as { items: { holderName: string; kind: string }[] }).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ holderName: 'Ahmed Bouzid', kind: 'means' })]),
    )
    // Not to users who administer nothing.
    expect(digests.some((d) => d.toAddress === 'jan.smit@demo.example')).toBe(false)
  })

  it('When the scan runs twice on the same day, then nothing is queued the second time', async () => {
    const before = await t.db.outgoingMail.count()
    const tokens = await t.db.actionToken.count()
    expect(await expiry.scan({ today })).toMatchObject({
      expiredMandates: 0,
      expiredMeans: 0,
      endedAdminMandates: 0,
      endedUseMandates: 0,
      cancelledMeans: 0,
      endedPendingMandates: 0,
      notices: 0,
      digests: 0,
      chainNotices: 0,
    })
    expect(await t.db.outgoingMail.count()).toBe(before)
    expect(await t.db.actionToken.count()).toBe(tokens)
  })

  it('When the days pass, then the one-month and one-week reminders follow once each, and after the end the mandate expires with an audit entry', async () => {
    const end = isoDate(addDays(today, 45))
    for (let day = 1; day <= 46; day++) await expiry.scan({ today: addDays(today, day) })
    const mine = (await notices()).filter((n) => n.idempotencyKey.startsWith(`expiry:mandate:${janMandateId}:`)).map((n) => n.idempotencyKey)
    expect(mine.sort()).toEqual([
      `expiry:mandate:${janMandateId}:1m:${end}`,
      `expiry:mandate:${janMandateId}:1w:${end}`,
      `expiry:mandate:${janMandateId}:2m:${end}`,
    ])
    const mandate = await t.db.mandate.findUniqueOrThrow({ where: { id: janMandateId } })
    expect(mandate.status).toBe('expired')
    const audit = await t.db.auditEvent.findFirst({ where: { action: 'mandate.expired', subjectId: janMandateId } })
    expect(audit).not.toBeNull()
    expect(audit!.actorLabel).toContain('systeem')
  })

  it('When a means has ended, then the scan marks it expired', async () => {
    const ahmed = await t.db.user.findFirstOrThrow({ where: { email: 'ahmed.bouzid@demo.example' }, include: { means: true } })
    expect(ahmed.means[0]!.status).toBe('expired') // ended on day 10 of the run above
    expect(await t.db.auditEvent.count({ where: { action: 'means.expired', subjectId: ahmed.means[0]!.id } })).toBe(1)
  })
})
