// The daily expiry scan as a job: each day once (job_runs), a missed 06:00 run caught up at start,
// a crashed run (claimed, never finished) run again, and two workers starting together scan once.
import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config.ts'
import { DailyExpiry, dueDay } from '../../../src/features/expiry/dailyRun.ts'
import { ExpiryService } from '../../../src/features/expiry/expiryService.ts'
import { MailDelivery } from '../../../src/features/mail/delivery.ts'
import { MailWorker } from '../../../src/features/mail/worker.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
let daily: DailyExpiry
const logger = pino({ level: 'silent' })

beforeAll(async () => {
  t = await createTestDatabase({ demo: true })
  daily = new DailyExpiry(t.db, new ExpiryService(t.db))
})
afterAll(async () => {
  await t.drop()
})
beforeEach(async () => {
  await t.db.jobRun.deleteMany()
})

describe('the day a run is due', () => {
  it.each([
    ['2026-12-02T04:59:00Z', '2026-12-01'], // 05:59 in Amsterdam (winter time): yesterday's run
    ['2026-12-02T05:00:00Z', '2026-12-02'], // 06:00
    ['2026-07-01T03:59:00Z', '2026-06-30'], // 05:59 summer time
    ['2026-07-01T04:00:00Z', '2026-07-01'],
    ['2026-12-02T23:30:00Z', '2026-12-02'], // 00:30 on the 3rd in Amsterdam, before 06:00
  ])('At %s the due day is %s', (now, day) => {
    expect(dueDay(new Date(now))).toBe(day)
  })
})

describe('each day once', () => {
  it('When a day was not scanned, then it is missed; once scanned it is not, and a second run changes nothing', async () => {
    const now = new Date()
    const day = dueDay(now)
    expect(await daily.missedDay(now)).toBe(day)
    const first = await daily.runDay(day)
    expect(first).not.toBeNull()
    expect(await daily.missedDay(now)).toBeNull()
    expect(await daily.runDay(day)).toBeNull()
    const [run] = await t.db.jobRun.findMany()
    expect(run?.finishedAt).not.toBeNull()
    expect(run?.result).toMatchObject({ notices: first!.notices })
  })

  it('When a run crashed (claimed, never finished), then the day is still missed and the next run scans it', async () => {
    const day = dueDay(new Date())
    await t.db.jobRun.create({ data: { job: 'expiry', day: new Date(`${day}T00:00:00Z`) } })
    expect(await daily.missedDay()).toBe(day)
    expect(await daily.runDay(day)).not.toBeNull()
    expect(await daily.missedDay()).toBeNull()
  })
})

describe('catch-up at start', () => {
  it('When two workers start together after a missed run, then the day is scanned once', async () => {
    let scans = 0
    const counting = {
      runToday: () => daily.runToday(),
      missedDay: (now?: Date) => daily.missedDay(now),
      runDay: async (day: string) => {
        const result = await daily.runDay(day)
        if (result) scans++
        return result
      },
    }
    const config = loadConfig({ NODE_ENV: 'test' })
    const workers = [0, 1].map(
      () => new MailWorker(t.url, t.db, new MailDelivery(t.db, config, logger), logger, counting, { pollingIntervalSeconds: 1, schedules: false }),
    )
    try {
      await Promise.all(workers.map((w) => w.start({ catchUp: true })))
      const deadline = Date.now() + 30_000
      while ((await t.db.jobRun.count({ where: { finishedAt: { not: null } } })) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      await new Promise((resolve) => setTimeout(resolve, 3_000)) // a second run would have started by now
      expect(scans).toBe(1)
      expect(await t.db.jobRun.count()).toBe(1)
      // A restart after the day's run queues nothing.
      expect(await daily.missedDay()).toBeNull()
    } finally {
      await Promise.all(workers.map((w) => w.stop()))
    }
  })
})
