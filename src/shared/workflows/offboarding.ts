// Afmelden (rule 19): a person leaves one organisation. Every mandate of the person for that
// organisation that still counts (active, pending, suspended; admin mandates too) is revoked, every
// live assignment the person holds under a ketenmachtiging the organisation received as intermediary
// ends with it, and the link ends. The person's account, means and other links stay (the means is
// personal: opzeggen is a separate step, rule 17). One transaction, an audit entry per mandate and
// per assignment plus one for the link, and the usual "machtiging ingetrokken" mail per mandate.
// Used by SCIM (DELETE, active=false) and by POST /api/v1/users/{id}/offboard.
import type { Db, Tx } from '../../db/tx.ts'
import { isoDate } from '../../domain/dates.ts'
import { toDbLevel } from '../../domain/levels.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { assertAdministers } from '../../policy/access.ts'
import type { Actor } from '../actor.ts'
import { recordAuditMany, type AuditEntry } from '../audit.ts'
import { queueMails, type QueuedMail } from '../outbox.ts'
import { personName } from '../../domain/names.ts'

export type Offboarded = { userId: string; organisationId: string; revokedMandates: number; endedAssignments: number }

const STILL_COUNTS = ['active', 'pending', 'suspended'] as const

/** Offboards inside the caller's transaction. The link must exist (404 otherwise, rule 7). */
export async function offboardInTx(tx: Tx, actor: Actor, input: { userId: string; organisationId: string }, now = new Date()): Promise<Offboarded> {
  const { userId, organisationId } = input
  const link = await tx.$queryRaw<{ id: string; external_id: string | null }[]>`
    select id, external_id from organisation_links where user_id = ${userId}::uuid and organisation_id = ${organisationId}::uuid for update`
  if (!link[0]) throw new NotFoundError()
  // An admin (or the API client acting as him) does not offboard himself: the client would lose its rights.
  if (actor.principal?.id === userId) throw new RuleViolation('users:offboard.errors.self')

  const mandates = await tx.mandate.findMany({
    where: { userId, organisationId, status: { in: [...STILL_COUNTS] } },
    select: {
      id: true,
      status: true,
      kind: true,
      level: true,
      scope: true,
      organisation: { select: { name: true } },
      service: { select: { name: true } },
      provider: { select: { name: true } },
      user: { select: { email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true } },
    },
  })
  if (mandates.length > 0) {
    await tx.mandate.updateMany({ where: { id: { in: mandates.map((m) => m.id) } }, data: { status: 'revoked', revokedAt: now } })
  }
  const assignments = await tx.chainAssignment.findMany({
    where: { userId, status: { in: [...STILL_COUNTS] }, chainMandate: { intermediaryOrganisationId: organisationId } },
    select: { id: true, status: true, chainMandate: { select: { organisationId: true } } },
  })
  if (assignments.length > 0) {
    await tx.chainAssignment.updateMany({ where: { id: { in: assignments.map((a) => a.id) } }, data: { status: 'revoked', revokedAt: now } })
  }
  await tx.organisationLink.delete({ where: { id: link[0].id } })

  const audit: AuditEntry[] = [
    ...mandates.map((m) => ({
      action: 'mandate.revoked' as const,
      organisationId,
      subjectType: 'mandate' as const,
      subjectId: m.id,
      before: { status: m.status },
      after: { status: 'revoked', revokedAt: now, reason: 'offboarded' },
    })),
    ...assignments.map((a) => ({
      action: 'chain-assignment.revoked' as const,
      organisationId,
      subjectType: 'chain_assignment' as const,
      subjectId: a.id,
      before: { status: a.status },
      after: { status: 'revoked', revokedAt: now, reason: 'offboarded', clientOrganisationId: a.chainMandate.organisationId },
    })),
    {
      action: 'user.offboarded',
      organisationId,
      subjectType: 'user',
      subjectId: userId,
      before: { linked: true, externalId: link[0].external_id },
      after: { linked: false, revokedMandates: mandates.length, endedAssignments: assignments.length },
    },
  ]
  await recordAuditMany(tx, actor, audit)
  const mails: QueuedMail[] = mandates.map((m) => ({
    idempotencyKey: `mandate-revoked:${m.id}`,
    to: m.user.email,
    template: 'mandate-revoked',
    locale: m.user.locale,
    data: {
      name: personName(m.user),
      organisationName: m.organisation.name,
      scope: m.scope,
      serviceName: m.service?.name ?? undefined,
      providerName: m.provider?.name ?? undefined,
      level: toDbLevel(m.level),
      revokedAt: isoDate(now),
    },
  }))
  await queueMails(tx, mails)
  return { userId, organisationId, revokedMandates: mandates.length, endedAssignments: assignments.length }
}

/** Offboards a person the actor's principal administers the organisation of, in one transaction. */
export async function offboard(db: Db, actor: Actor, input: { userId: string; organisationId: string }, now = new Date()): Promise<Offboarded> {
  assertAdministers(actor.principal, input.organisationId)
  return db.$transaction((tx) => offboardInTx(tx, actor, input, now))
}
