// Retention (#20, docs/SECURITY.md "Privacy"): what is past its time is removed or pseudonymised,
// daily by the job queue (src/features/mail/worker.ts, queue 'retention') or by calling run().
//   - outgoing mail (sent or failed) older than RETENTION_MAIL_DAYS (default 90): bodies, data
//     (names, links) and the last error are cleared; the address becomes a pseudonym (the first 16
//     hex digits of SHA-256 of the lower-cased address, so the back office can still answer "was a
//     mail sent to this address?" by hashing it); template, status and dates stay for statistics.
//   - link requests (verzoeken) rejected, cancelled or lapsed more than RETENTION_LINK_REQUEST_DAYS
//     ago (default 90): deleted (the audit trail keeps that they existed, by id).
//   - single-use tokens (signing, renewal, reset, e-mail change) used or expired more than 7 days
//     ago: deleted (their subject holds addresses); expired sessions and rate-limit counters: deleted.
// The audit trail is append-only and is not touched here (see docs/SECURITY.md).
import type { Db } from '../../db/tx.ts'

export type RetentionSettings = { mailDays: number; linkRequestDays: number }
export type RetentionResult = { mails: number; linkRequests: number; tokens: number; sessions: number; rateLimits: number }

const DAY_MS = 86_400_000
const TOKEN_GRACE_DAYS = 7

export class RetentionService {
  constructor(
    private readonly db: Db,
    private readonly settings: RetentionSettings,
  ) {}

  async run(now = new Date()): Promise<RetentionResult> {
    const mailCutoff = new Date(now.getTime() - this.settings.mailDays * DAY_MS)
    const requestCutoff = new Date(now.getTime() - this.settings.linkRequestDays * DAY_MS)
    const tokenCutoff = new Date(now.getTime() - TOKEN_GRACE_DAYS * DAY_MS)
    const mails = await this.db.$executeRaw`
      UPDATE outgoing_mail
         SET to_address = 'pseudoniem-' || substr(encode(sha256(convert_to(lower(to_address), 'UTF8')), 'hex'), 1, 16) || '@invalid',
             data = '{}'::jsonb, text_body = NULL, html_body = NULL, last_error = NULL
       WHERE status IN ('sent', 'failed') AND created_at < ${mailCutoff}
         AND to_address NOT LIKE 'pseudoniem-%@invalid'`
    const linkRequests = await this.db.$executeRaw`
      DELETE FROM link_requests
       WHERE (status IN ('rejected', 'cancelled') AND coalesce(decided_at, created_at) < ${requestCutoff})
          OR (status IN ('pending', 'lapsed') AND expires_at < ${requestCutoff})`
    const tokens = await this.db.$executeRaw`
      DELETE FROM action_tokens WHERE expires_at < ${tokenCutoff} OR used_at < ${tokenCutoff}`
    const sessions = await this.db.$executeRaw`DELETE FROM session WHERE expire < to_timestamp(${now.getTime() / 1000}::double precision)`
    const rateLimits = await this.db.$executeRaw`DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire < ${BigInt(now.getTime())}`
    return { mails, linkRequests, tokens, sessions, rateLimits }
  }
}
