import pino from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config.ts'
import { CLAIM_TIMEOUT_MS, MAX_ATTEMPTS, MailDelivery, SimulatedCrash, messageIdFor, type DeliveryOptions } from '../../../src/features/mail/delivery.ts'
import { queueMail, queueMails, type QueuedMail } from '../../../src/shared/outbox.ts'
import { MailWorker } from '../../../src/features/mail/worker.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'
import { downSmtpPort, startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts'

const logger = pino({ level: 'silent' })
let t: TestDatabase
let clock: Date
const servers: TestSmtp[] = []

beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await t.drop()
})
beforeEach(async () => {
  clock = new Date(Date.now() + 60_000) // rows queued during the test are due
  await t.db.outgoingMail.deleteMany()
})

async function smtp(options: Parameters<typeof startSmtpServer>[0] = {}) {
  const server = await startSmtpServer(options)
  servers.push(server)
  return server
}

function delivery(smtpUrl: string | undefined, options: DeliveryOptions = {}) {
  const config = loadConfig({ NODE_ENV: 'test', BASE_URL: 'https://portaal.example.nl', ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}) })
  return new MailDelivery(t.db, config, logger, { now: () => clock, timeoutMs: 3_000, ...options })
}

function advance(ms: number) {
  clock = new Date(clock.getTime() + ms)
}

function renewalMail(n: number, to = `gebruiker${n}@demo.example`): QueuedMail {
  return {
    idempotencyKey: `test:renewal-done:${n}`,
    to,
    template: 'renewal-done',
    locale: 'nl',
    data: {
      name: `Gebruiker ${n}`,
      kind: 'mandate',
      organisationName: 'Bakkerij De Vries B.V.',
      scope: 'all',
      level: 'EH3',
      validUntil: '2029-03-01',
      termYears: 3,
    },
  }
}

async function queue(...mails: QueuedMail[]) {
  await t.db.$transaction((tx) => queueMails(tx, mails))
}

describe('mail delivery over SMTP', () => {
  it('When a queued mail is delivered, then the server receives it once with subject, both bodies, an absolute link and the Message-ID of its key', async () => {
    const server = await smtp()
    await queue(renewalMail(1))
    const result = await delivery(server.url).deliverDue()
    expect(result).toEqual({ sent: 1, retried: 0, failed: 0 })
    expect(server.messages).toHaveLength(1)
    const mail = server.messages[0]!
    expect(mail.envelopeTo).toEqual(['gebruiker1@demo.example'])
    expect(mail.subject).toBe('Uw machtiging is verlengd')
    expect(mail.text).toContain('Beste Gebruiker 1,')
    expect(mail.text).toContain('Bakkerij De Vries B.V. (alle diensten, niveau EH3) is met 3 jaar verlengd en is nu geldig tot en met 01-03-2029')
    expect(mail.text).toContain('https://portaal.example.nl/overzicht')
    expect(mail.html).toContain('href="https://portaal.example.nl/overzicht"')
    expect(mail.html).toContain('Mijn Reconi')
    expect(mail.messageId).toBe(messageIdFor('test:renewal-done:1', 'beheermodule.example'))
    const row = await t.db.outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'test:renewal-done:1' } })
    expect(row).toMatchObject({ status: 'sent', attempts: 1, subject: 'Uw machtiging is verlengd', lastError: null })
    expect(row.textBody).toContain('Beste Gebruiker 1,')
    expect(row.htmlBody).toContain('<html lang="nl">')
    expect(row.sentAt).not.toBeNull()
  })

  it('When the same idempotency key is queued twice, then one mail is sent', async () => {
    const server = await smtp()
    await queue(renewalMail(2))
    await queue(renewalMail(2))
    await delivery(server.url).deliverDue()
    await delivery(server.url).deliverDue()
    expect(server.messages).toHaveLength(1)
  })

  it('When the SMTP server is down while mail is queued, then nothing is lost and once it is back every mail goes out once', async () => {
    const port = await downSmtpPort()
    await queue(renewalMail(10), renewalMail(11), renewalMail(12))
    const down = await delivery(`smtp://127.0.0.1:${port}`).deliverDue()
    expect(down).toEqual({ sent: 0, retried: 3, failed: 0 })
    const waiting = await t.db.outgoingMail.findMany()
    expect(waiting.every((r) => r.status === 'pending' && r.attempts === 1 && r.lastError && r.nextAttemptAt > clock)).toBe(true)
    // Before the backoff has passed nothing is tried again.
    expect(await delivery(`smtp://127.0.0.1:${port}`).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 })

    // Back on the same port when it is still free. The OS hands a freed port out again, and another
    // test file's connection took it once in CI (EADDRINUSE): then it comes back on another port, as a
    // mail server that moved, which the retry does not depend on.
    const server = await smtp({ port }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      return smtp()
    })
    advance(60 * 60_000)
    expect(await delivery(server.url).deliverDue()).toEqual({ sent: 3, retried: 0, failed: 0 })
    advance(60 * 60_000)
    await delivery(server.url).deliverDue()
    expect(server.messages.map((m) => m.envelopeTo[0]).sort()).toEqual(['gebruiker10@demo.example', 'gebruiker11@demo.example', 'gebruiker12@demo.example'])
    expect((await t.db.outgoingMail.findMany()).every((r) => r.status === 'sent' && r.attempts === 2)).toBe(true)
  })

  it('When two workers deliver at the same time, then every mail is sent exactly once', async () => {
    const server = await smtp()
    await queue(...Array.from({ length: 40 }, (_, i) => renewalMail(100 + i)))
    const [a, b] = await Promise.all([delivery(server.url).deliverDue(), delivery(server.url).deliverDue()])
    expect(a.sent + b.sent).toBe(40)
    expect(a.sent).toBeGreaterThan(0)
    expect(b.sent).toBeGreaterThan(0)
    expect(server.messages).toHaveLength(40)
    expect(new Set(server.messages.map((m) => m.messageId)).size).toBe(40)
    expect(await t.db.outgoingMail.count({ where: { status: 'sent', attempts: 1 } })).toBe(40)
  })

  it('When the server refuses the address (5xx), then the mail is marked failed with the server answer and never retried', async () => {
    const server = await smtp({ refuse: ['bestaat.niet@demo.example'] })
    await queue(renewalMail(20, 'bestaat.niet@demo.example'), renewalMail(21))
    expect(await delivery(server.url).deliverDue()).toEqual({ sent: 1, retried: 0, failed: 1 })
    const failed = await t.db.outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'test:renewal-done:20' } })
    expect(failed.status).toBe('failed')
    expect(failed.lastError).toContain('550')
    expect(failed.lastError).toContain('Recipient address rejected')
    advance(24 * 3_600_000)
    expect(await delivery(server.url).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 })
    expect((await t.db.outgoingMail.findUniqueOrThrow({ where: { id: failed.id } })).attempts).toBe(1)
    expect(server.messages).toHaveLength(1)
  })

  it('When the server keeps answering 4xx, then the mail is retried with backoff and given up after the maximum attempts', async () => {
    const server = await smtp({ tempFail: true })
    await queue(renewalMail(30))
    for (let i = 0; i < MAX_ATTEMPTS + 3; i++) {
      await delivery(server.url).deliverDue()
      advance(5 * 3_600_000)
    }
    const row = await t.db.outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'test:renewal-done:30' } })
    expect(row.status).toBe('failed')
    expect(row.attempts).toBe(MAX_ATTEMPTS)
    expect(row.lastError).toContain('451')
    expect(row.lastError).toContain(`${MAX_ATTEMPTS} pogingen`)
  })

  it('When a worker crashes after the server accepted a mail but before marking it, then the mail is not sent a second time and is marked failed with the Message-ID', async () => {
    const server = await smtp()
    await queue(renewalMail(40))
    const crashing = delivery(server.url, {
      afterAccepted: () => {
        throw new SimulatedCrash('crash')
      },
    })
    await expect(crashing.deliverDue()).rejects.toThrow(SimulatedCrash)
    expect(server.messages).toHaveLength(1)
    const stuck = await t.db.outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'test:renewal-done:40' } })
    expect(stuck.status).toBe('sending')
    // Another worker before the claim runs out leaves it alone; after it, it is not sent again.
    expect(await delivery(server.url).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 })
    advance(CLAIM_TIMEOUT_MS + 1000)
    await delivery(server.url).deliverDue()
    expect(server.messages).toHaveLength(1)
    const row = await t.db.outgoingMail.findUniqueOrThrow({ where: { id: stuck.id } })
    expect(row.status).toBe('failed')
    expect(row.lastError).toContain(messageIdFor('test:renewal-done:40', 'beheermodule.example'))
  })

  it('When a worker crashed after claiming but before handing the mail to SMTP, then the mail is sent once after the claim runs out', async () => {
    const server = await smtp()
    await queue(renewalMail(50))
    await t.db.$executeRaw`UPDATE outgoing_mail SET status = 'sending', attempts = 1, next_attempt_at = ${new Date(clock.getTime() + CLAIM_TIMEOUT_MS)}`
    expect(await delivery(server.url).deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 })
    advance(CLAIM_TIMEOUT_MS + 1000)
    expect(await delivery(server.url).deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 })
    expect(server.messages).toHaveLength(1)
  })

  it('When there is no SMTP_URL, then mail goes to the development mailbox: stored as sent with its rendered bodies', async () => {
    await queue(renewalMail(60))
    const dev = delivery(undefined)
    expect(dev.transport).toBe('dev-mailbox')
    expect(await dev.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 })
    const row = await t.db.outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'test:renewal-done:60' } })
    expect(row).toMatchObject({ status: 'sent', subject: 'Uw machtiging is verlengd' })
    expect(row.htmlBody).toContain('Gebruiker 60')
  })
})

describe('mail worker on pg-boss', () => {
  it('When the worker runs and a change queues a mail, then the mail is delivered without anyone waking it, and the worker stops cleanly', async () => {
    const server = await smtp()
    const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: server.url })
    const mailDelivery = new MailDelivery(t.db, config, logger, { timeoutMs: 3_000 })
    const worker = new MailWorker(t.url, t.db, mailDelivery, logger, undefined, { pollingIntervalSeconds: 1, schedules: false })
    await worker.start()
    try {
      await t.db.$transaction((tx) => queueMail(tx, renewalMail(70)))
      await server.waitFor(1, 20_000)
      expect(server.messages[0]!.envelopeTo).toEqual(['gebruiker70@demo.example'])
    } finally {
      await worker.stop()
    }
    expect(worker.running).toBe(false)
  })
})
