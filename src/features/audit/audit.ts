// Every change writes one audit entry in the same transaction as the change (rule 14).
import type { Prisma } from '../../generated/prisma/client.ts'
import type { Actor } from './actor.ts'

export type Tx = Prisma.TransactionClient

export type AuditEntry = {
  action: string
  organisationId?: string | null
  subjectType: string
  subjectId?: string | null
  before?: unknown
  after?: unknown
}

/** Plain JSON for before/after: Dates as ISO strings, BigInts as strings, undefined dropped. */
export function toAuditJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue
}

export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: actor.principal?.id ?? null,
      actorLabel: actor.principal?.email ?? actor.label,
      action: entry.action,
      organisationId: entry.organisationId ?? null,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId ?? null,
      before: toAuditJson(entry.before),
      after: toAuditJson(entry.after),
      ipAddress: actor.ipAddress,
      requestId: actor.requestId,
    },
  })
}

/** Many entries at once (bulk renewal): one INSERT, still in the caller's transaction. */
export async function recordAuditMany(tx: Tx, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  await tx.auditEvent.createMany({
    data: entries.map((entry) => ({
      actorId: actor.principal?.id ?? null,
      actorLabel: actor.principal?.email ?? actor.label,
      action: entry.action,
      organisationId: entry.organisationId ?? null,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId ?? null,
      before: toAuditJson(entry.before),
      after: toAuditJson(entry.after),
      ipAddress: actor.ipAddress,
      requestId: actor.requestId,
    })),
  })
}
