// #20: personal data past its time is removed or pseudonymised (against the real database).
import pino from 'pino'
import PgBoss from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config.ts'
import { RetentionService } from '../../../src/features/retention/retentionService.ts'
import { MailDelivery } from '../../../src/features/mail/delivery.ts'
import { MailWorker, RETENTION_QUEUE } from '../../../src/features/mail/worker.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase({ demo: true })
})
afterAll(async () => {
  await t.drop()
})

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY)

async function mail(key: string, status: 'sent' | 'failed' | 'pending', createdAt: Date) {
  return t.db.outgoingMail.create({
    data: {
      idempotencyKey: key,
      toAddress: 'Jan.Smit@demo.example',
      template: 'password-reset',
      data: { name: 'Jan Smit', resetPath: '/wachtwoord-herstellen/abc' },
      status,
      subject: 'Nieuw wachtwoord instellen',
      textBody: 'Beste Jan Smit',
      htmlBody: '<p>Beste Jan Smit</p>',
      lastError: status === 'failed' ? '550 jan.smit@demo.example unknown' : null,
      createdAt,
    },
  })
}

describe('retention (#20)', () => {
  it('When the retention runs, then old sent and failed mail is pseudonymised, decided or lapsed verzoeken past their time are deleted, and old tokens, expired sessions and counters go; everything recent stays', async () => {
    const oldSent = await mail('ret:old-sent', 'sent', ago(100))
    const oldFailed = await mail('ret:old-failed', 'failed', ago(95))
    const recent = await mail('ret:recent', 'sent', ago(10))
    const oldPending = await mail('ret:old-pending', 'pending', ago(100))

    const jan = await t.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const org = await t.db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const request = (status: 'pending' | 'rejected' | 'accepted' | 'cancelled', createdDaysAgo: number, decidedDaysAgo: number | null, email: string) =>
      t.db.linkRequest.create({
        data: {
          userId: jan.id,
          email,
          organisationId: org.id,
          status,
          createdAt: ago(createdDaysAgo),
          expiresAt: new Date(ago(createdDaysAgo).getTime() + 91 * DAY),
          decidedAt: decidedDaysAgo === null ? null : ago(decidedDaysAgo),
        },
      })
    const rejectedOld = await request('rejected', 200, 120, 'a@voorbeeld.nl')
    const cancelledRecent = await request('cancelled', 40, 30, 'b@voorbeeld.nl')
    const lapsedOld = await request('pending', 200, null, 'c@voorbeeld.nl') // lapsed 109 days ago
    const lapsedRecent = await request('pending', 120, null, 'd@voorbeeld.nl') // lapsed 29 days ago
    const acceptedOld = await request('accepted', 300, 280, 'e@voorbeeld.nl')
    const unknownAddressOld = await t.db.linkRequest.create({
      data: { email: 'niemand@voorbeeld.nl', organisationId: org.id, createdAt: ago(200), expiresAt: ago(109) },
    })

    await t.db.actionToken.createMany({
      data: [
        { purpose: 'email-change', tokenHash: 'a'.repeat(64), subject: { email: 'x@voorbeeld.nl' }, expiresAt: ago(30) },
        { purpose: 'email-change', tokenHash: 'b'.repeat(64), subject: { email: 'y@voorbeeld.nl' }, expiresAt: new Date(Date.now() + DAY) },
      ],
    })
    await t.db.$executeRaw`INSERT INTO session (sid, sess, expire) VALUES ('old', '{}', now() - interval '1 hour'), ('live', '{}', now() + interval '1 hour')`
    await t.db.rateLimit.createMany({
      data: [
        { key: 'login:account:old', points: 3, expire: BigInt(Date.now() - 1000) },
        { key: 'login:account:live', points: 3, expire: BigInt(Date.now() + 600_000) },
      ],
    })

    const result = await new RetentionService(t.db, { mailDays: 90, linkRequestDays: 90 }).run()

    const after = await t.db.outgoingMail.findUniqueOrThrow({ where: { id: oldSent.id } })
    expect(after).toMatchObject({ data: {}, textBody: null, htmlBody: null, template: 'password-reset', status: 'sent', subject: 'Nieuw wachtwoord instellen' })
    expect(after.toAddress).toMatch(/^pseudoniem-[0-9a-f]{16}@invalid$/)
    expect(await t.db.outgoingMail.findUniqueOrThrow({ where: { id: oldFailed.id } })).toMatchObject({
      lastError: null,
      htmlBody: null,
      toAddress: after.toAddress,
    })
    expect((await t.db.outgoingMail.findUniqueOrThrow({ where: { id: recent.id } })).htmlBody).toContain('Jan Smit')
    expect((await t.db.outgoingMail.findUniqueOrThrow({ where: { id: oldPending.id } })).toAddress).toBe('Jan.Smit@demo.example')
    // No personal data left in the mails older than 90 days.
    const oldRows = await t.db.outgoingMail.findMany({ where: { createdAt: { lt: ago(90) }, status: { in: ['sent', 'failed'] } } })
    expect(JSON.stringify(oldRows)).not.toMatch(/Jan|Smit|demo\.example/)

    const left = new Set((await t.db.linkRequest.findMany({ select: { id: true } })).map((r) => r.id))
    expect(left.has(rejectedOld.id)).toBe(false)
    expect(left.has(lapsedOld.id)).toBe(false)
    expect(left.has(unknownAddressOld.id)).toBe(false)
    expect(left.has(cancelledRecent.id)).toBe(true)
    expect(left.has(lapsedRecent.id)).toBe(true)
    expect(left.has(acceptedOld.id)).toBe(true)

    expect(await t.db.actionToken.count({ where: { tokenHash: 'a'.repeat(64) } })).toBe(0)
    expect(await t.db.actionToken.count({ where: { tokenHash: 'b'.repeat(64) } })).toBe(1)
    expect((await t.db.session.findMany({ select: { sid: true } })).map((s) => s.sid)).toEqual(['live'])
    expect((await t.db.rateLimit.findMany({ where: { key: { startsWith: 'login:account:' } }, select: { key: true } })).map((r) => r.key)).toEqual([
      'login:account:live',
    ])
    expect(result.mails).toBeGreaterThanOrEqual(2)
    expect(result.linkRequests).toBeGreaterThanOrEqual(3)

    // A second run changes nothing more.
    expect((await new RetentionService(t.db, { mailDays: 90, linkRequestDays: 90 }).run()).mails).toBe(0)
  })

  it('When RETENTION_MAIL_DAYS and RETENTION_LINK_REQUEST_DAYS are set, then the config carries them (defaults 90)', () => {
    expect(loadConfig({}).retention).toEqual({ mailDays: 90, linkRequestDays: 90 })
    expect(loadConfig({ RETENTION_MAIL_DAYS: '30', RETENTION_LINK_REQUEST_DAYS: '14' }).retention).toEqual({ mailDays: 30, linkRequestDays: 14 })
    expect(() => loadConfig({ RETENTION_MAIL_DAYS: '0' })).toThrow(/RETENTION_MAIL_DAYS/)
  })

  it('When the job worker runs with a retention job, then the daily schedule exists and a job on the queue runs it', async () => {
    const logger = pino({ level: 'silent' })
    const config = loadConfig({ NODE_ENV: 'test' })
    let runs = 0
    const worker = new MailWorker(t.url, t.db, new MailDelivery(t.db, config, logger), logger, undefined, {
      pollingIntervalSeconds: 1,
      retention: { run: () => Promise.resolve(void runs++) },
    })
    await worker.start()
    try {
      const schedules = await t.db.$queryRaw<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule WHERE name = ${RETENTION_QUEUE}`
      expect(schedules).toEqual([{ name: 'retention', cron: '30 3 * * *' }])
      const boss = new PgBoss({ connectionString: t.url, schema: 'pgboss' })
      await boss.start()
      await boss.send(RETENTION_QUEUE, {})
      await boss.stop({ graceful: false })
      await expect.poll(() => runs, { timeout: 20_000 }).toBeGreaterThan(0)
    } finally {
      await worker.stop()
    }
  }, 60_000)
})
