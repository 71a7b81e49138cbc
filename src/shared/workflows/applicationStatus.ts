// An application's steps and their audit entries, in one place: the workflows (applications.ts,
// renewals.ts) and the features that sign, cancel or check applications write them through here.
import type { ApplicationStatus } from '../../generated/prisma/client.ts'
import type { Tx } from '../../db/tx.ts'
import type { Actor } from '../actor.ts'
import { recordAudit, type AuditEntry } from '../audit.ts'
import type { AuditAction } from '../../domain/auditActions.ts'

type ApplicationRef = { id: string; organisationId: string }

/** The audit entry of a step in an application's life. */
export function applicationEntry(app: ApplicationRef, action: AuditAction, change: { before?: unknown; after?: unknown } = {}): AuditEntry {
  return { action, organisationId: app.organisationId, subjectType: 'application', subjectId: app.id, ...change }
}

/**
 * Moves an application to `status` and records it: `application.<status>` (or `action`), the status
 * before and after, plus `after`. `decidedAt` is set when given (issued, rejected, cancelled).
 */
export async function moveApplication(
  tx: Tx,
  actor: Actor,
  app: ApplicationRef & { status: string },
  status: Extract<ApplicationStatus, 'awaiting_identity_check' | 'signed' | 'issued'>,
  options: { action?: AuditAction; after?: Record<string, unknown>; decidedAt?: Date } = {},
): Promise<void> {
  await tx.application.update({ where: { id: app.id }, data: { status, decidedAt: options.decidedAt } })
  await recordAudit(
    tx,
    actor,
    applicationEntry(app, options.action ?? `application.${status}`, { before: { status: app.status }, after: { status, ...options.after } }),
  )
}

/** Marks an application issued (decided `now`) with its `application.issued` entry. */
export async function markIssued(tx: Tx, actor: Actor, app: ApplicationRef & { status: string }, now: Date, after: Record<string, unknown>): Promise<void> {
  await moveApplication(tx, actor, app, 'issued', { decidedAt: now, after })
}
