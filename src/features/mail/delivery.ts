// Delivers outbox rows (src/features/mail/outbox.ts): claims due rows with row locks, renders them,
// hands them to SMTP (Nodemailer) or, without SMTP_URL, to the development mailbox, and records the
// outcome. Several workers or app instances may run this at once.
//
// The life of a row:
//   pending ──claim──▶ sending ──SMTP accepted──▶ sent (messageId, sentAt, subject/text/html stored)
//                         │──4xx / connection error──▶ pending again after a backoff, or failed after MAX_ATTEMPTS
//                         └──5xx──▶ failed (the server's answer in lastError), never retried by itself
// Claiming: `UPDATE … SET status='sending' WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, in its own
// short transaction; the claim lasts CLAIM_TIMEOUT (stored in nextAttemptAt). A row still 'sending'
// after that (its worker crashed) is claimed again, but:
//   - `messageId` is written (and committed) just before the message is handed to SMTP, and the
//     Message-ID is derived from the idempotency key, so every attempt of one row carries the same
//     Message-ID;
//   - a re-claimed row WITHOUT messageId never reached SMTP: it is sent normally;
//   - a re-claimed row WITH messageId but without sentAt crashed between handing the message to SMTP
//     and marking it: whether the server accepted it is unknown. Decision: it is NOT sent again
//     (no second mail); it is marked failed with an explanation naming the Message-ID, so the back
//     office sees it and can send it again by hand after checking (/backoffice/mail).
import { createHash } from 'node:crypto'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/tx.ts'
import { translator } from '../../i18n/index.ts'
import { renderMail, type RenderedMail } from './render.ts'

export const MAX_ATTEMPTS = 8
export const CLAIM_TIMEOUT_MS = 10 * 60_000
const BATCH_SIZE = 20

/** 1 min, 2, 4, 8, … capped at 4 hours: eight attempts span about eight and a half hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 4 * 3_600_000)
}

export type DeliveryOptions = {
  /** The clock (tests move it forward); times in SQL are parameters, never now(). */
  now?: () => Date
  /** Test hook: called after SMTP accepted a message and before the row is marked (simulate a crash by throwing). */
  afterAccepted?: (row: { id: string; idempotencyKey: string }) => void | Promise<void>
  /** SMTP socket timeouts (ms). */
  timeoutMs?: number
}

export type DeliveryResult = { sent: number; retried: number; failed: number }

type ClaimedRow = {
  id: string
  idempotency_key: string
  to_address: string
  template: string
  locale: string
  data: Record<string, unknown>
  attempts: number
  message_id: string | null
}

export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash'
}

/** Deterministic Message-ID from the idempotency key: the same key is always the same message. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)
  return `<${hash}@${domain}>`
}

function domainOf(config: Config): string {
  const fromAddress = /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom
  const domain = fromAddress.split('@')[1]?.trim()
  if (domain && /^[\w.-]+$/.test(domain)) return domain
  try {
    return new URL(config.baseUrl).hostname || 'beheermodule.local'
  } catch {
    return 'beheermodule.local'
  }
}

type SmtpError = Error & { responseCode?: number; response?: string; code?: string }

/** 5xx is permanent; 4xx, connection errors and timeouts are temporary. */
export function isPermanent(error: SmtpError): boolean {
  return typeof error.responseCode === 'number' && error.responseCode >= 500 && error.responseCode < 600
}

function serverAnswer(error: SmtpError): string {
  const answer = error.response ?? error.message ?? String(error)
  return (error.responseCode && !answer.includes(String(error.responseCode)) ? `${error.responseCode} ${answer}` : answer).slice(0, 2000)
}

export class MailDelivery {
  readonly transport: 'smtp' | 'dev-mailbox'
  private readonly transporter: Transporter | null
  private readonly now: () => Date
  private readonly domain: string

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly options: DeliveryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date())
    this.domain = domainOf(config)
    this.transport = config.smtpUrl ? 'smtp' : 'dev-mailbox'
    const timeout = options.timeoutMs ?? 30_000
    this.transporter = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          connectionTimeout: timeout,
          greetingTimeout: timeout,
          socketTimeout: timeout * 2,
        } as Parameters<typeof nodemailer.createTransport>[0])
      : null
  }

  /** Delivers every row that is due now, batch after batch; each row at most once per call. */
  async deliverDue(): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 }
    const seen = new Set<string>()
    for (;;) {
      await this.failUnknownOutcomes()
      const rows = await this.claim([...seen])
      if (rows.length === 0) return result
      for (const row of rows) {
        seen.add(row.id)
        const outcome = await this.deliverOne(row)
        result[outcome]++
      }
    }
  }

  /** Rows stuck in 'sending' past their claim that had been handed to SMTP: outcome unknown, not resent. */
  private async failUnknownOutcomes(): Promise<void> {
    const explanation = translator('nl')('mail:delivery.outcomeUnknown', { messageId: '{{messageId}}' })
    const rows = await this.db.$queryRaw<{ id: string; message_id: string }[]>`
      UPDATE outgoing_mail SET status = 'failed', last_error = left(replace(${explanation}, '{{messageId}}', message_id), 2000)
      WHERE id IN (
        SELECT id FROM outgoing_mail
        WHERE status = 'sending' AND next_attempt_at <= ${this.now()} AND message_id IS NOT NULL AND sent_at IS NULL
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text, message_id`
    for (const row of rows) this.logger.warn({ mailId: row.id, messageId: row.message_id }, 'mail outcome unknown after a crash; not sent again')
  }

  /** Claims due rows: pending ones whose time has come, and 'sending' ones whose claim ran out before SMTP. */
  private async claim(exclude: string[]): Promise<ClaimedRow[]> {
    const now = this.now()
    const claimUntil = new Date(now.getTime() + CLAIM_TIMEOUT_MS)
    return this.db.$queryRaw<ClaimedRow[]>`
      UPDATE outgoing_mail SET status = 'sending', attempts = attempts + 1, next_attempt_at = ${claimUntil}
      WHERE id IN (
        SELECT id FROM outgoing_mail
        WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now} AND message_id IS NULL
          AND NOT (id = ANY(${exclude}::uuid[]))
        ORDER BY next_attempt_at
        LIMIT ${BATCH_SIZE}
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text, idempotency_key, to_address, template, locale, data, attempts, message_id`
  }

  private async deliverOne(row: ClaimedRow): Promise<'sent' | 'retried' | 'failed'> {
    let rendered: RenderedMail
    try {
      rendered = await renderMail(row.template, row.locale, row.data ?? {}, {
        brandName: this.config.brandName,
        baseUrl: this.config.baseUrl,
        cache: this.config.production,
      })
    } catch (error) {
      // A template or data fault is permanent: retrying cannot fix it.
      this.logger.error({ err: error, mailId: row.id }, 'mail could not be rendered')
      await this.markFailed(row, `render: ${(error as Error).message}`.slice(0, 2000))
      return 'failed'
    }
    const messageId = messageIdFor(row.idempotency_key, this.domain)
    if (!this.transporter) {
      // Development mailbox: stored as sent with its rendered bodies, in one statement.
      await this.markSent(row, messageId, rendered)
      return 'sent'
    }
    // From here on a crash leaves the outcome unknown (see the top of this file).
    await this.db.$executeRaw`UPDATE outgoing_mail SET message_id = ${messageId} WHERE id = ${row.id}::uuid AND status = 'sending'`
    try {
      await this.transporter.sendMail({
        from: this.config.mailFrom,
        to: row.to_address,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
      })
    } catch (error) {
      const smtpError = error as SmtpError
      const answer = serverAnswer(smtpError)
      if (isPermanent(smtpError)) {
        this.logger.warn({ mailId: row.id, answer }, 'mail refused by the server')
        await this.markFailed(row, answer)
        return 'failed'
      }
      if (row.attempts >= MAX_ATTEMPTS) {
        const message = translator('nl')('mail:delivery.tooManyAttempts', { count: row.attempts, answer }).slice(0, 2000)
        this.logger.warn({ mailId: row.id, answer }, 'mail given up after the last attempt')
        await this.markFailed(row, message)
        return 'failed'
      }
      const next = new Date(this.now().getTime() + backoffMs(row.attempts))
      this.logger.info({ mailId: row.id, answer, next }, 'mail delivery failed for now; will retry')
      await this.db.$executeRaw`
        UPDATE outgoing_mail SET status = 'pending', message_id = NULL, next_attempt_at = ${next}, last_error = ${answer}
        WHERE id = ${row.id}::uuid AND status = 'sending'`
      return 'retried'
    }
    await this.options.afterAccepted?.({ id: row.id, idempotencyKey: row.idempotency_key })
    await this.markSent(row, messageId, rendered)
    return 'sent'
  }

  private async markSent(row: ClaimedRow, messageId: string, rendered: RenderedMail): Promise<void> {
    await this.db.$executeRaw`
      UPDATE outgoing_mail SET status = 'sent', message_id = ${messageId}, sent_at = ${this.now()}, last_error = NULL,
        subject = ${rendered.subject.slice(0, 300)}, text_body = ${rendered.text}, html_body = ${rendered.html}
      WHERE id = ${row.id}::uuid AND status = 'sending'`
  }

  private async markFailed(row: ClaimedRow, answer: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE outgoing_mail SET status = 'failed', message_id = NULL, last_error = ${answer}
      WHERE id = ${row.id}::uuid AND status = 'sending'`
  }

  close(): void {
    this.transporter?.close()
  }
}
