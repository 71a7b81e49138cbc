// Renewing mandates (rule 4), one or many, as one set-based UPDATE: the rule checks run in SQL
// (rules 1 and 2 in their SQL form from src/domain/rules.ts); the same statement writes one audit
// entry per renewed mandate and one mail per holder, in the caller's transaction.
import { randomUUID } from 'node:crypto'
import { Prisma } from '../../generated/prisma/client.ts'
import type { Tx } from '../../db/tx.ts'
import type { Actor } from '../../shared/actor.ts'
import { auditDateSql, auditInsertSql } from '../../shared/audit.ts'
import { wakeMailWorker } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminLevelsSql, holderJoinsSql, holderMailsSql, refusalSql, resultOrderSql, type BulkTrail, type WrittenColumns } from './bulkSql.ts'
import { mandateLine, type RenewOutcome, type ResultColumns } from './model.ts'

type RenewRow = ResultColumns &
  WrittenColumns & {
    old_until: Date
    new_until: Date
    refusal: RenewOutcome['refusal']
    renewed: boolean
  }

/**
 * Locks the target mandates, checks each (revoked, suspended, rule 2, rule 1, rule 4's five years,
 * one live mandate per scope), renews those without a refusal and returns every candidate with its
 * outcome. The same statement writes the audit entry of each renewal and one mail per holder (rule
 * 14), so the renewed rows never travel to the app and back.
 */
function renewSql(target: Prisma.Sql, principal: Principal, termYears: number, today: string, trail: BulkTrail): Prisma.Sql {
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
          -- In the order of the new end date, the order of three of the indexes the new row versions
          -- go into (the two list indexes, by status): each leaf page is visited once, in file order.
          from (select * from checked where refusal is null order by new_until, id) ch
          where m.id = ch.id
          returning m.id
        ), res as (
          select ch.id, ch.organisation_id, o.name as organisation_name, ch.level::text as level, ch.user_id, u.first_name, u.last_name_prefix, u.last_name, u.email, u.locale,
                 ch.scope::text as scope, s.name as service_name, coalesce(p.name, sp.name) as provider_name,
                 ch.status::text as old_status, ch.valid_from as old_from, ch.valid_until as old_until, ch.new_until, ch.refusal,
                 (ch.id in (select id from upd)) as renewed -- hashed subplan; a join with upd is a nested loop (quadratic)
          from checked ch
          ${holderJoinsSql('ch')}
        ), audit as (
          ${auditInsertSql(trail.actor, Prisma.sql`res r where r.renewed`, {
            action: 'mandate.renewed',
            subjectType: 'mandate',
            organisationId: Prisma.sql`r.organisation_id`,
            subjectId: Prisma.sql`r.id::text`,
            before: Prisma.sql`jsonb_build_object('status', r.old_status, 'validFrom', ${auditDateSql(Prisma.sql`r.old_from`)}, 'validUntil', ${auditDateSql(Prisma.sql`r.old_until`)})`,
            after: Prisma.sql`jsonb_build_object('status', case when r.old_status = 'expired' then 'active' else r.old_status end,
              'validUntil', ${auditDateSql(Prisma.sql`r.new_until`)}, 'termYears', ${termYears}::int)`,
          })}
        ), mails as (
          ${holderMailsSql({
            changed: 'renewed',
            until: 'old_until',
            key: `renewal-done:${trail.batch}:`,
            template: 'renewal-done',
            data: Prisma.sql`jsonb_build_object('kind', 'mandate', 'termYears', ${termYears}::int)`,
            mandate: Prisma.sql`jsonb_build_object('validUntil', to_char(r.new_until, 'YYYY-MM-DD'))`,
          })}
        )
        select r.*, (select count(*) from audit)::int as audited, (select count(*) from mails)::int as mailed
        from res r
        ${resultOrderSql('old_until')}`
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
  const rows = await tx.$queryRaw<RenewRow[]>(renewSql(target, principal, termYears, today, { actor, batch: randomUUID() }))
  if (rows[0]?.mailed) await wakeMailWorker(tx)
  return rows.map(toOutcome)
}
