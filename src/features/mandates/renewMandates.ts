// Renewing mandates (rule 4), one or many, as one set-based UPDATE: the rule checks run in SQL
// (rules 1 and 2 in their SQL form from src/domain/rules.ts), then one audit entry per renewed
// mandate and one mail per holder, in the caller's transaction.
import { randomUUID } from 'node:crypto'
import { Prisma } from '../../generated/prisma/client.ts'
import type { MandateStatus } from '../../generated/prisma/client.ts'
import type { Tx } from '../../db/tx.ts'
import { isoDate } from '../../domain/dates.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAuditMany, type AuditEntry } from '../../shared/audit.ts'
import { queueMails, type QueuedMail } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminLevelsSql, holderJoinsSql, refusalSql } from './bulkSql.ts'
import { byHolder, holderName, mailedMandate, mandateLine, type MailedColumns, type RenewOutcome } from './model.ts'

type RenewRow = MailedColumns & {
  old_status: MandateStatus
  old_from: Date
  old_until: Date
  new_until: Date
  refusal: RenewOutcome['refusal']
  renewed: boolean
}

/**
 * Locks the target mandates, checks each (revoked, suspended, rule 2, rule 1, rule 4's five years,
 * one live mandate per scope), renews those without a refusal and returns every candidate with its outcome.
 */
function renewSql(target: Prisma.Sql, principal: Principal, termYears: number, today: string): Prisma.Sql {
  const newUntil = Prisma.sql`(case when m.was_expired then ${today}::date else m.valid_until end + make_interval(years => ${termYears}::int))::date`
  return Prisma.sql`
        with cand as (
          select m.id, m.organisation_id, m.user_id, m.kind, m.scope_key, m.scope, m.service_id, m.provider_id, m.level,
                 m.status, m.valid_from, m.valid_until,
                 (m.status = 'expired' or m.valid_until < ${today}::date) as was_expired
          from mandates m
          where ${target}
          order by m.id
          for update of m
        ), checked as (
          select m.*, ${newUntil} as new_until, ${refusalSql('renew', today, newUntil)} as refusal
          from cand m ${adminLevelsSql(principal)}
        ), upd as (
          update mandates m set
            valid_until = ch.new_until,
            valid_from = case when ch.status = 'expired' then ${today}::date else m.valid_from end,
            status = case when ch.status = 'expired' then 'active'::"MandateStatus" else m.status end,
            updated_at = now()
          from checked ch
          where m.id = ch.id and ch.refusal is null
          returning m.id
        )
        select ch.id, ch.organisation_id, o.name as organisation_name, ch.level::text as level, ch.user_id, u.first_name, u.last_name_prefix, u.last_name, u.email, u.locale,
               ch.scope::text as scope, s.name as service_name, coalesce(p.name, sp.name) as provider_name,
               ch.status::text as old_status, ch.valid_from as old_from, ch.valid_until as old_until, ch.new_until, ch.refusal,
               (ch.id in (select id from upd)) as renewed -- hashed subplan; a join with upd is a nested loop (quadratic)
        from checked ch
        ${holderJoinsSql('ch')}`
}

function auditEntries(renewed: RenewRow[], termYears: number): AuditEntry[] {
  return renewed.map((r) => ({
    action: 'mandate.renewed',
    organisationId: r.organisation_id,
    subjectType: 'mandate',
    subjectId: r.id,
    before: { status: r.old_status, validFrom: r.old_from, validUntil: r.old_until },
    after: { status: r.old_status === 'expired' ? 'active' : r.old_status, validUntil: r.new_until, termYears },
  }))
}

/** One mail per holder: the template lists the mandates; `count` picks the plural subject. */
function renewalMails(renewed: RenewRow[], termYears: number): QueuedMail[] {
  const batch = randomUUID()
  return byHolder(renewed).map((list) => ({
    idempotencyKey: `renewal-done:${batch}:${list[0]!.user_id}`,
    to: list[0]!.email,
    template: 'renewal-done',
    locale: list[0]!.locale,
    data: {
      name: holderName(list[0]!),
      kind: 'mandate',
      termYears,
      count: list.length,
      mandates: list.map((r) => ({ ...mailedMandate(r), validUntil: isoDate(r.new_until) })),
    },
  }))
}

function toOutcome(r: RenewRow): RenewOutcome {
  return {
    ...mandateLine(r),
    oldUntil: r.old_until,
    newUntil: r.renewed ? r.new_until : null,
    refusal: r.renewed ? null : (r.refusal ?? 'exists'),
  }
}

/** Renews the mandates `target` selects (on alias m), in `tx`, with their audit entries and mails. */
export async function renewMandates(tx: Tx, actor: Actor, principal: Principal, target: Prisma.Sql, termYears: number, today: string): Promise<RenewOutcome[]> {
  const rows = await tx.$queryRaw<RenewRow[]>(renewSql(target, principal, termYears, today))
  const renewed = rows.filter((r) => r.renewed)
  await recordAuditMany(tx, actor, auditEntries(renewed, termYears))
  await queueMails(tx, renewalMails(renewed, termYears))
  return rows.map(toOutcome)
}
