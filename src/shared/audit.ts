// Every change writes one audit entry in the same transaction as the change (rule 14).
import { Prisma } from '../generated/prisma/client.ts'
import type { Tx } from '../db/tx.ts'
import { apiActorLabel, type Actor } from './actor.ts'
import { isPersonalAuditAction, type AuditAction, type AuditSubjectType } from '../domain/auditActions.ts'
import { withFields } from './withFields.ts'

export type AuditEntry = {
  action: AuditAction
  organisationId?: string | null
  subjectType: AuditSubjectType
  subjectId?: string | null
  before?: unknown
  after?: unknown
}

/** An audit entry as the pages read it (Logboek, a user's history), with its organisation's name. */
export type AuditRow = {
  id: string
  at: Date
  actorId: string | null
  actorLabel: string
  action: string
  organisationName: string | null
  kvkNumber: string | null
  subjectType: string
  subjectId: string | null
  before: unknown
  after: unknown
  ipAddress: string | null
  requestId: string | null
}

/** Plain JSON for before/after: Dates as ISO strings, BigInts as strings, undefined dropped. */
export function toAuditJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue
}

/** One audit row as Prisma writes it. */
function auditRow(actor: Actor, entry: AuditEntry) {
  // An admin's Logboek does not offer these actions, because they never belong to an organisation.
  if (entry.organisationId && isPersonalAuditAction(entry.action)) throw new Error(`audit action ${entry.action} is personal: written without an organisation`)
  return {
    // An API client acts with an admin's rights, but the trail names the client (rule 25).
    actorId: actor.apiClient ? null : (actor.principal?.id ?? null),
    actorLabel: actor.apiClient ? apiActorLabel(actor.apiClient.name) : (actor.principal?.email ?? actor.label),
    action: entry.action,
    organisationId: entry.organisationId ?? null,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    before: toAuditJson(entry.before),
    after: toAuditJson(entry.after),
    ipAddress: actor.ipAddress,
    requestId: actor.requestId,
  }
}

/** The entry of one change of one subject: `subjectEntry('api_client.revoked', 'api_client', client, { after })`. */
export function subjectEntry(
  action: AuditAction,
  subjectType: AuditSubjectType,
  subject: { id: string; organisationId?: string | null },
  change: { before?: unknown; after?: unknown } = {},
): AuditEntry {
  return { action, organisationId: subject.organisationId ?? null, subjectType, subjectId: subject.id, ...change }
}

/** The entry of a status change of one subject: before `{ status: from }`, after `{ status: to }`. */
export function statusEntry(
  action: AuditAction,
  subjectType: AuditSubjectType,
  subject: { id: string; organisationId?: string | null },
  from: string,
  to: string,
) {
  return subjectEntry(action, subjectType, subject, { before: { status: from }, after: { status: to } })
}

/** One entry per row (a subject with an id) for the same change in one organisation: grants, activations, ends. */
export async function recordAuditPerSubject<T extends { id: string }>(
  tx: Tx,
  actor: Actor,
  at: { action: AuditAction; subjectType: AuditSubjectType; organisationId: string | null },
  rows: readonly T[],
  change: (row: T) => { before?: unknown; after?: unknown },
): Promise<void> {
  await recordAuditMany(
    tx,
    actor,
    rows.map((row) => subjectEntry(at.action, at.subjectType, { id: row.id, organisationId: at.organisationId }, change(row))),
  )
}

/** The same entry once for each organisation that sees the change (a ketenmachtiging: client and intermediary). */
export async function recordAuditForEach(tx: Tx, actor: Actor, organisationIds: readonly string[], entry: AuditEntry): Promise<void> {
  await recordAuditMany(
    tx,
    actor,
    organisationIds.map((organisationId) => withFields(entry, { organisationId })),
  )
}

export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: auditRow(actor, entry) })
}

/** Many entries at once (bulk renewal): one INSERT, still in the caller's transaction. */
export async function recordAuditMany(tx: Tx, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  if (entries.length > 20) {
    // Large batches (bulk renewal): one INSERT … SELECT from a JSON parameter, far cheaper than createMany.
    // The same row with the table's column names (actorId → actor_id), nothing left undefined.
    const rows = entries.map((entry) =>
      Object.fromEntries(Object.entries(auditRow(actor, entry)).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value ?? null])),
    )
    await tx.$executeRaw`
      insert into audit_events (actor_id, actor_label, action, organisation_id, subject_type, subject_id, before, after, ip_address, request_id)
      select actor_id, actor_label, action, organisation_id, subject_type, subject_id, before, after, ip_address, request_id
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(actor_id uuid, actor_label varchar, action varchar, organisation_id uuid,
        subject_type varchar, subject_id varchar, before jsonb, after jsonb, ip_address varchar, request_id varchar)`
    return
  }
  await tx.auditEvent.createMany({ data: entries.map((entry) => auditRow(actor, entry)) })
}

/** SQL expressions for each column of a set-based audit insert (see `auditInsertFrom`). */
export type AuditColumnsSql = {
  actorId?: string
  actorLabel: string
  action: string
  organisationId: string
  subjectType: string
  subjectId: string
  before?: string
  after?: string
  ipAddress?: string
  requestId?: string
}

/** The audit table's columns, in the order the set-based inserts select them. */
const AUDIT_INSERT =
  'INSERT INTO audit_events (actor_id, actor_label, action, organisation_id, subject_type, subject_id, before, after, ip_address, request_id)'

/**
 * The set-based variant, for scans that change thousands of rows in one statement: the
 * `INSERT INTO audit_events … SELECT … FROM <source>` to embed as a step of a data-modifying WITH,
 * so the audit rows are written by the same statement as the change (rule 14). `columns` holds SQL
 * expressions over `source`'s columns. The one other place that knows the audit table's columns.
 */
export function auditInsertFrom(source: string, columns: AuditColumnsSql): string {
  const c = columns
  return `${AUDIT_INSERT}
  SELECT ${c.actorId ?? 'NULL'}, ${c.actorLabel}, ${c.action}, ${c.organisationId}, ${c.subjectType}, ${c.subjectId},
         ${c.before ?? 'NULL'}, ${c.after ?? 'NULL'}, ${c.ipAddress ?? 'NULL'}, ${c.requestId ?? 'NULL'}
  FROM ${source}`
}

/**
 * `auditInsertFrom` for the common case: an entry of `action` on each row of `source` (its `id` the
 * subject, its `organisation_id` the organisation unless `organisationId` says otherwise), by the
 * actor of parameters $1–$4. `action` and `subjectType` are SQL expressions (a quoted literal mostly).
 */
export function subjectAuditInsert(
  source: string,
  action: string,
  subjectType: string,
  change: { organisationId?: string; before?: string; after?: string },
): string {
  return auditInsertFrom(source, {
    ...AUDIT_ACTOR_COLUMNS,
    action,
    organisationId: change.organisationId ?? 'organisation_id',
    subjectType,
    subjectId: 'id::text',
    before: change.before,
    after: change.after,
  })
}

/** The actor's four columns as parameters $1–$4 of a set-based statement: pass `auditActorParams(actor)` first. */
export const AUDIT_ACTOR_COLUMNS = { actorId: '$1::uuid', actorLabel: '$2', ipAddress: '$3', requestId: '$4' } as const

export function auditActorParams(actor: Actor): [string | null, string, string | null, string | null] {
  const row = auditRow(actor, { action: 'login', subjectType: 'user' })
  return [row.actorId, row.actorLabel, row.ipAddress, row.requestId]
}

/** What each row of a set-based audit insert records (see `auditInsertSql`): SQL over the source's columns. */
export type AuditChangeSql = {
  action: AuditAction
  subjectType: AuditSubjectType
  organisationId: Prisma.Sql
  subjectId: Prisma.Sql
  before: Prisma.Sql
  after: Prisma.Sql
}

/**
 * `auditInsertFrom` for a statement built with Prisma.sql (bulk renew, revoke and suspend): one entry
 * per row of `source` by `actor` (as `auditRow` names him, passed as parameters), as a step of a
 * data-modifying WITH. Returns the new ids, so the statement can count the entries. Inserted in
 * subject order, the order of the index a subject's history is read by (fewer leaf pages touched).
 */
export function auditInsertSql(actor: Actor, source: Prisma.Sql, change: AuditChangeSql): Prisma.Sql {
  const [actorId, actorLabel, ipAddress, requestId] = auditActorParams(actor)
  return Prisma.sql`${Prisma.raw(AUDIT_INSERT)}
  select ${actorId}::uuid, ${actorLabel}::text, ${change.action}::text, ${change.organisationId}, ${change.subjectType}::text, ${change.subjectId},
         ${change.before}, ${change.after}, ${ipAddress}::text, ${requestId}::text
  from ${source}
  order by ${change.subjectId}
  returning id`
}

/** A date column in before/after JSON as `toAuditJson` writes a Date of it: "2027-01-31T00:00:00.000Z". */
export function auditDateSql(date: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${date}, 'YYYY-MM-DD"T00:00:00.000Z"')`
}
