// Reading the outbox (development mailbox, back office) and sending a failed mail again.
import type { Db } from '../../db/tx.ts'
import type { MailStatus } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const
const PAGE_SIZE = 50

export type OutboxRow = {
  id: string
  toAddress: string
  template: string
  locale: string
  status: MailStatus
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  subject: string | null
  sentAt: Date | null
  createdAt: Date
}

const listSelect = {
  id: true,
  toAddress: true,
  template: true,
  locale: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastError: true,
  subject: true,
  sentAt: true,
  createdAt: true,
} as const

export class MailService {
  constructor(
    private readonly db: Db,
    private readonly onRetry: () => Promise<void> = async () => {},
  ) {}

  /** Newest first; keyset pagination on (createdAt, id). */
  async list(
    options: { status?: MailStatus; before?: { createdAt: Date; id: string } } = {},
  ): Promise<{ rows: OutboxRow[]; next: { createdAt: Date; id: string } | null }> {
    const rows = await this.db.outgoingMail.findMany({
      where: {
        ...(options.status ? { status: options.status } : {}),
        ...(options.before
          ? { OR: [{ createdAt: { lt: options.before.createdAt } }, { createdAt: options.before.createdAt, id: { lt: options.before.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: PAGE_SIZE + 1,
      select: listSelect,
    })
    const more = rows.length > PAGE_SIZE
    const page = rows.slice(0, PAGE_SIZE)
    const last = page[page.length - 1]
    return { rows: page, next: more && last ? { createdAt: last.createdAt, id: last.id } : null }
  }

  async counts(): Promise<Record<MailStatus, number>> {
    const groups = await this.db.outgoingMail.groupBy({ by: ['status'], _count: { _all: true } })
    const counts = { pending: 0, sending: 0, sent: 0, failed: 0 }
    for (const g of groups) counts[g.status] = g._count._all
    return counts
  }

  async get(id: string) {
    const row = await this.db.outgoingMail.findUnique({ where: { id } })
    if (!row) throw new NotFoundError()
    return row
  }

  /** Back office: a failed mail goes back in the queue with fresh attempts (audited). */
  async retry(id: string, actor: Actor): Promise<{ toAddress: string }> {
    const result = await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; status: MailStatus; to_address: string; last_error: string | null; attempts: number }[]>`
        SELECT id::text, status, to_address, last_error, attempts FROM outgoing_mail WHERE id = ${id}::uuid FOR UPDATE`
      const row = rows[0]
      if (!row) throw new NotFoundError()
      if (row.status !== 'failed') throw new RuleViolation('mail:backoffice.errors.notFailed')
      await tx.outgoingMail.update({
        where: { id },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), messageId: null },
      })
      await recordAudit(tx, actor, {
        action: 'mail.retried',
        subjectType: 'outgoing_mail',
        subjectId: id,
        before: { status: row.status, attempts: row.attempts, lastError: row.last_error },
        after: { status: 'pending', attempts: 0 },
      })
      return { toAddress: row.to_address }
    })
    await this.onRetry()
    return result
  }
}
