// Machtigingen: what happens to a mandate after its grant: revoke (rule 9: at once), activate an
// expired one (never a revoked one), renew one or many (rule 4). Rules 1 and 2 are checked through
// src/domain/rules.ts (in SQL for the set-based renewal); every query is scoped to the actor's admin
// organisations (rule 7).
import { randomUUID } from 'node:crypto'
import type { MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { BULK_TRANSACTION, type Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertMeansCoversLevel, assertWithinAdminLevel } from '../../domain/rules.ts'
import { addYearsClamped, isTerm } from '../../domain/terms.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { queueMail, queueMailToPerson } from '../../shared/outbox.ts'
import { revokedMandateMail } from '../../shared/mandateMails.ts'
import type { Principal } from '../../shared/principal.ts'
import type { RenewOutcome, RenewSelection } from './model.ts'
import { renewMandates } from './renewMandates.ts'
import { selectionTarget } from './selection.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { actingPrincipal, adminOrganisation, isUniqueViolation } from './scoping.ts'
import type { AuditAction } from '../../domain/auditActions.ts'

type LockedMandate = {
  id: string
  organisation_id: string
  user_id: string
  status: MandateStatus
  level: string
  valid_from: Date
  valid_until: Date
  scope_key: string
  suspended_means_id: string | null
}

/** Locks one use-mandate of the actor's organisations for the transaction; else 404 (rule 7). */
async function lockMandate(tx: Tx, principal: Principal, id: string): Promise<LockedMandate> {
  const rows = await tx.$queryRaw<LockedMandate[]>`
    select id, organisation_id, user_id, status::text as status, level::text as level, valid_from, valid_until, scope_key, suspended_means_id from mandates
    where id = ${id}::uuid and kind = 'use' and organisation_id = any(${adminOrganisationIds(principal)}::uuid[])
    for update`
  if (!rows[0]) throw new NotFoundError()
  return rows[0]
}

const MAIL_SUBJECT = {
  user: { select: { email: true, firstName: true, lastNamePrefix: true, lastName: true, locale: true } },
  organisation: { select: { name: true } },
  scope: true,
  service: { select: { name: true } },
  provider: { select: { name: true } },
} as const

export class MandateLifecycleService {
  constructor(private readonly db: PrismaClient) {}

  // -------------------------------------------------------------------------------------------
  // Revoke (rule 9: at once)

  async revoke(actor: Actor, id: string, now = new Date()) {
    const principal = actingPrincipal(actor)
    return this.db.$transaction(async (tx) => {
      const before = await lockMandate(tx, principal, id)
      if (before.status === 'revoked') throw new RuleViolation('mandates:errors.alreadyRevoked')
      const updated = await tx.mandate.update({
        where: { id },
        data: { status: 'revoked', revokedAt: now },
        select: { id: true, status: true, revokedAt: true, level: true, ...MAIL_SUBJECT },
      })
      await recordAudit(tx, actor, {
        action: 'mandate.revoked',
        organisationId: before.organisation_id,
        subjectType: 'mandate',
        subjectId: id,
        before: { status: before.status },
        after: { status: 'revoked', revokedAt: now },
      })
      await queueMail(tx, revokedMandateMail(updated, now))
      return { id, userName: personName(updated.user) }
    })
  }

  // -------------------------------------------------------------------------------------------
  // Schorsen / opheffen schorsing (rule 18): a suspended mandate authorises nothing until lifted;
  // the end date stays (the daily scan can expire it). A second click or a concurrent change by
  // another admin finds the new state under the row lock and says what already happened.

  async suspend(actor: Actor, id: string, now = new Date()) {
    const principal = actingPrincipal(actor)
    return this.db.$transaction(async (tx) => {
      const m = await lockMandate(tx, principal, id)
      if (m.status === 'suspended') throw new RuleViolation('mandates:errors.alreadySuspended')
      if (m.status !== 'active' || m.valid_until < todayUtc(now)) throw new RuleViolation('mandates:errors.notSuspendable')
      return this.changeStatus(tx, actor, m, 'suspended', 'mandate.suspended')
    })
  }

  async lift(actor: Actor, id: string, now = new Date()) {
    const principal = actingPrincipal(actor)
    try {
      return await this.db.$transaction(async (tx) => {
        const m = await lockMandate(tx, principal, id)
        if (m.status !== 'suspended') throw new RuleViolation('mandates:errors.notSuspended')
        if (m.suspended_means_id) throw new RuleViolation('mandates:errors.suspendedWithMeans')
        if (m.valid_until < todayUtc(now)) throw new RuleViolation('mandates:errors.suspendedExpired')
        const level = fromDbLevel(m.level)
        assertWithinAdminLevel(adminOrganisation(principal, m.organisation_id).level, level)
        const holder = await tx.means.findMany({ where: { userId: m.user_id, status: 'active' }, select: { level: true } })
        assertMeansCoversLevel(
          holder.map((x) => x.level),
          level,
        )
        return this.changeStatus(tx, actor, m, 'active', 'mandate.suspension_lifted')
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.liveExists')
      throw error
    }
  }

  private async changeStatus(tx: Tx, actor: Actor, m: LockedMandate, status: 'active' | 'suspended', action: AuditAction) {
    const updated = await tx.mandate.update({ where: { id: m.id }, data: { status }, select: { level: true, ...MAIL_SUBJECT } })
    await recordAudit(tx, actor, {
      action,
      organisationId: m.organisation_id,
      subjectType: 'mandate',
      subjectId: m.id,
      before: { status: m.status },
      after: { status },
    })
    await queueMailToPerson(tx, updated.user, {
      idempotencyKey: `mandate-status:${m.id}:${status}:${randomUUID()}`,
      template: 'mandate-status',
      data: {
        context: status === 'suspended' ? 'suspended' : 'lifted',
        event: status === 'suspended' ? 'suspended' : 'lifted',
        organisationName: updated.organisation.name,
        scope: updated.scope,
        serviceName: updated.service?.name ?? undefined,
        providerName: updated.provider?.name ?? undefined,
        level: toDbLevel(updated.level),
      },
    })
    return { id: m.id, userName: personName(updated.user) }
  }

  // -------------------------------------------------------------------------------------------
  // Activate an expired mandate (rule 9: never a revoked one)

  async activate(actor: Actor, id: string, termYears: number, now = new Date()) {
    const principal = actingPrincipal(actor)
    const today = todayUtc(now)
    try {
      return await this.db.$transaction(async (tx) => {
        const m = await lockMandate(tx, principal, id)
        await this.checkActivation(tx, principal, m, termYears, today)
        const validUntil = addYearsClamped(today, termYears)
        const updated = await tx.mandate.update({ where: { id }, data: { status: 'active', validFrom: today, validUntil }, select: MAIL_SUBJECT })
        await recordAudit(tx, actor, {
          action: 'mandate.activated',
          organisationId: m.organisation_id,
          subjectType: 'mandate',
          subjectId: id,
          before: { status: m.status, validFrom: m.valid_from, validUntil: m.valid_until },
          after: { status: 'active', validFrom: today, validUntil },
        })
        await queueMailToPerson(tx, updated.user, {
          idempotencyKey: `renewal-done:activate:${id}:${isoDate(today)}:${randomUUID()}`,
          template: 'renewal-done',
          data: {
            kind: 'mandate',
            level: m.level,
            validUntil: isoDate(validUntil),
            termYears,
            organisationName: updated.organisation.name,
            scope: updated.scope,
            serviceName: updated.service?.name ?? undefined,
            providerName: updated.provider?.name ?? undefined,
          },
        })
        return { id, validUntil, userName: personName(updated.user) }
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.liveExists')
      throw error
    }
  }

  /** Rules 9, 4, 2, 1 and "one live mandate per scope" for activating mandate `m`; throws the first refusal. */
  private async checkActivation(tx: Tx, principal: Principal, m: LockedMandate, termYears: number, today: Date): Promise<void> {
    if (!isTerm(termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    if (m.status === 'revoked') throw new RuleViolation('mandates:errors.revokedNeverActivated')
    const expired = m.status === 'expired' || (m.status === 'active' && m.valid_until < today)
    if (!expired) throw new RuleViolation('mandates:errors.notExpired')
    const level = fromDbLevel(m.level)
    const org = adminOrganisation(principal, m.organisation_id)
    assertWithinAdminLevel(org.level, level)
    const holder = await tx.means.findMany({ where: { userId: m.user_id, status: 'active' }, select: { level: true } })
    assertMeansCoversLevel(
      holder.map((x) => x.level),
      level,
    )
    if (m.status === 'expired') {
      const live = await tx.mandate.count({ where: { userId: m.user_id, organisationId: m.organisation_id, kind: 'use', scopeKey: m.scope_key, live: true } })
      if (live > 0) throw new RuleViolation('mandates:errors.liveExists')
    }
  }

  // -------------------------------------------------------------------------------------------
  // Renew (rule 4), one or many: one set-based UPDATE with the rule checks in SQL

  async renew(actor: Actor, selection: RenewSelection, termYears: number, now = new Date()): Promise<RenewOutcome[]> {
    const principal = actingPrincipal(actor)
    if (!isTerm(termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    const target = selectionTarget(principal, selection)
    if (!target) return []
    return this.db.$transaction((tx) => renewMandates(tx, actor, principal, target, termYears, isoDate(todayUtc(now))), BULK_TRANSACTION)
  }
}
