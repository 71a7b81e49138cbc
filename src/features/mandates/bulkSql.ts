// The one bulk mechanism of Machtigingen (renew, revoke, suspend; the selected rows or all matching
// the filter), as SQL: which candidates a target selects (on alias m), what the admin may not do to
// each (the refusal, null when allowed), the summary and digest a confirmation page is bound to, and
// one page of the candidates to show. The action runs the same refusal test under row locks.
import { Prisma } from '../../generated/prisma/client.ts'
import { toDbLevel } from '../../domain/levels.ts'
import { sqlMeansCoversLevel, sqlWithinAdminLevel } from '../../domain/rules.ts'
import { sqlPersonName } from '../../domain/names.ts'
import type { Actor } from '../../shared/actor.ts'
import { auditInsertSql } from '../../shared/audit.ts'
import { queueMailsSql, type MailTemplate } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import type { ResultColumns } from './model.ts'

export const BULK_ACTIONS = ['renew', 'revoke', 'suspend'] as const
export type BulkAction = (typeof BULK_ACTIONS)[number]
export const BULK_PAGE_SIZE = 50

/**
 * Why the admin may not do `action` to mandate m (a: his admin organisation and level), or NULL.
 * Renew: the term-independent part of renewMandates' checks (the five-year cap depends on the term
 * and is reported per mandate on the result page; renewMandates passes the new end `newUntil` to
 * check it as well). Revoke and suspend: rule 2's level as well, so an admin never changes what he
 * could not have granted.
 */
export function refusalSql(action: BulkAction, today: string, newUntil?: Prisma.Sql): Prisma.Sql {
  const level = sqlWithinAdminLevel(Prisma.sql`a.level`, Prisma.sql`m.level`)
  if (action === 'renew') {
    return Prisma.sql`case
      when m.status = 'revoked' then 'revoked'
      when m.status = 'suspended' then 'suspended'
      when not ${level} then 'adminLevel'
      when not ${sqlMeansCoversLevel(Prisma.sql`m.user_id`, Prisma.sql`m.level`)} then 'meansLevel'
      ${newUntil ? Prisma.sql`when ${newUntil} > (${today}::date + interval '5 years')::date then 'tooLong'` : Prisma.empty}
      when m.status = 'expired' and exists (
        select 1 from mandates o where o.user_id = m.user_id and o.organisation_id = m.organisation_id
          and o.kind = m.kind and o.scope_key = m.scope_key and o.live) then 'exists'
    end`
  }
  if (action === 'revoke') {
    return Prisma.sql`case when m.status = 'revoked' then 'revoked' when not ${level} then 'adminLevel' end`
  }
  return Prisma.sql`case
    when m.status = 'suspended' then 'suspended'
    when m.status = 'revoked' then 'revoked'
    when m.status = 'pending' then 'pending'
    when m.status = 'expired' or m.valid_until < ${today}::date then 'expired'
    when not ${level} then 'adminLevel'
  end`
}

/** The admin's organisations with his level in each, to join on (alias a). */
export function adminLevelsSql(principal: Principal): Prisma.Sql {
  const ids = adminOrganisationIds(principal)
  const levels = principal.adminOrganisations.map((o) => toDbLevel(o.level))
  return Prisma.sql`join unnest(${ids}::uuid[], ${levels}::"Level"[]) as a(org_id, level) on a.org_id = m.organisation_id`
}

/** The digest of (id, updated_at) of every candidate of CTE `c`: what a confirmation page is bound to. */
const SET_DIGEST = Prisma.sql`coalesce((select encode(sha256(convert_to(string_agg(id::text || '@' || updated_at::text, ',' order by id), 'UTF8')), 'hex') from c), '')`

/** Count, what may be done, the refusals by reason and the digest of (id, updated_at) of every candidate. */
export function summarySql(principal: Principal, action: BulkAction, target: Prisma.Sql, today: string): Prisma.Sql {
  return Prisma.sql`
    with c as (
      select m.id, m.updated_at, ${refusalSql(action, today)} as refusal
      from mandates m ${adminLevelsSql(principal)}
      where ${target}
    ), g as (select refusal, count(*)::int as n from c group by refusal)
    select coalesce((select sum(n) from g), 0)::int as total,
           coalesce((select n from g where refusal is null), 0)::int as allowed,
           coalesce((select jsonb_object_agg(refusal, n) from g where refusal is not null), '{}'::jsonb) as refusals,
           ${SET_DIGEST} as digest`
}

/**
 * The action's first step: locks the candidates (in id order) and gives their count and the digest
 * `summarySql` gives the same set, without the refusals (the action tests them itself, under the lock).
 */
export function lockSetSql(principal: Principal, target: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    with c as (
      select m.id, m.updated_at
      from mandates m ${adminLevelsSql(principal)}
      where ${target}
      order by m.id
      for update of m
    )
    select (select count(*) from c)::int as total, ${SET_DIGEST} as digest`
}

export type LockedSetRow = { total: number; digest: string }

/** Who the audit entries of a bulk statement name, and the key its mails share (one random uuid per action). */
export type BulkTrail = { actor: Actor; batch: string }

/** The counts every row of a bulk statement carries: the audit entries and the mails it wrote. */
export type WrittenColumns = { audited: number; mailed: number }

const STATUS_AFTER = { revoke: 'revoked', suspend: 'suspended' } as const
const AUDIT_ACTION = { revoke: 'mandate.revoked', suspend: 'mandate.suspended' } as const

/**
 * Revoke or suspend, set-based: locks the candidates, changes those without a refusal and returns
 * every candidate with its outcome. The same statement writes the audit entry of each change and
 * one mail per holder (rule 14), so the changed rows never travel to the app and back. `now` is the
 * revoke's time in the audit entries.
 */
export function applySql(principal: Principal, action: 'revoke' | 'suspend', target: Prisma.Sql, today: string, trail: BulkTrail, now: Date): Prisma.Sql {
  const status = action === 'revoke' ? Prisma.sql`'revoked'::"MandateStatus"` : Prisma.sql`'suspended'::"MandateStatus"`
  const revokedAt = action === 'revoke' ? Prisma.sql`now()` : Prisma.sql`m.revoked_at`
  const event = STATUS_AFTER[action]
  const revokedAtJson = action === 'revoke' ? Prisma.sql`, 'revokedAt', ${now.toISOString()}::text` : Prisma.empty
  return Prisma.sql`
    with cand as (
      select m.id, m.status::text as status, m.valid_until, ${refusalSql(action, today)} as refusal
      from mandates m ${adminLevelsSql(principal)}
      where ${target}
      order by m.id
      for update of m
    ), upd as (
      update mandates m set status = ${status}, revoked_at = ${revokedAt}, updated_at = now()
      -- In end-date order: the order of the status indexes the new row versions go into (renewMandates).
      from (select id from cand where refusal is null order by valid_until, id) ch
      where m.id = ch.id
      returning m.id
    ), res as (
      select m.id, m.user_id, u.first_name, u.last_name_prefix, u.last_name, u.email, u.locale, m.organisation_id, o.name as organisation_name,
             m.scope::text as scope, s.name as service_name, coalesce(p.name, sp.name) as provider_name, m.level::text as level,
             cand.status as old_status, m.valid_until, cand.refusal,
             -- A hashed subplan: a join with upd is planned on the CTE's guess of a few rows and
             -- becomes a nested loop over all of them (quadratic: 40 s for 7,000 mandates).
             (cand.id in (select id from upd)) as done
      from cand
      join mandates m on m.id = cand.id
      ${holderJoinsSql('m')}
    ), audit as (
      ${auditInsertSql(trail.actor, Prisma.sql`res r where r.done`, {
        action: AUDIT_ACTION[action],
        subjectType: 'mandate',
        organisationId: Prisma.sql`r.organisation_id`,
        subjectId: Prisma.sql`r.id::text`,
        before: Prisma.sql`jsonb_build_object('status', r.old_status)`,
        after: Prisma.sql`jsonb_build_object('status', ${event}::text${revokedAtJson}, 'bulk', true)`,
      })}
    ), mails as (
      ${holderMailsSql({
        changed: 'done',
        until: 'valid_until',
        key: `mandates-changed:${event}:${trail.batch}:`,
        template: 'mandates-changed',
        data: Prisma.sql`jsonb_build_object('event', ${event}::text, 'context', ${event}::text)`,
      })}
    )
    select r.*, (select count(*) from audit)::int as audited, (select count(*) from mails)::int as mailed
    from res r
    ${resultOrderSql('valid_until')}`
}

/**
 * The joins of a bulk result (alias u the holder, o the organisation, s the service, p or sp its
 * provider) on the mandate row `alias`; `resultOrderSql` orders the result.
 */
export function holderJoinsSql(alias: 'm' | 'ch'): Prisma.Sql {
  const m = Prisma.raw(alias)
  return Prisma.sql`join users u on u.id = ${m}.user_id
    join organisations o on o.id = ${m}.organisation_id
    left join services s on s.id = ${m}.service_id
    left join service_providers sp on sp.id = s.provider_id
    left join service_providers p on p.id = ${m}.provider_id`
}

/** A bulk result's order (on its CTE `res r`), the list's order of names: holder, then end date (`until`) and id. */
export function resultOrderSql(until: 'valid_until' | 'old_until'): Prisma.Sql {
  return Prisma.sql`order by r.last_name, r.first_name, ${Prisma.raw(`r.${until}`)}, r.id`
}

/**
 * The outbox step of a bulk statement: one mail per holder of the changed rows (`changed`) of its
 * result CTE `res`, keyed `key` + the holder's id, in the holder's language (users.locale: the one
 * `queueMails` picks for an address with an account). Data: the holder's name, the count (the
 * template's plural), the mandates in the list's order (`until`, id) as the template lists one
 * (`serviceName` and `providerName` left out when there is none), each with `mandate`'s keys, and `data`'s.
 */
export function holderMailsSql(mail: {
  changed: 'done' | 'renewed'
  until: 'valid_until' | 'old_until'
  key: string
  template: MailTemplate
  data: Prisma.Sql
  mandate?: Prisma.Sql
}): Prisma.Sql {
  const changed = Prisma.raw(`r.${mail.changed}`)
  const until = Prisma.raw(`r.${mail.until}`)
  return queueMailsSql(
    Prisma.sql`(
      select r.user_id, r.email, r.locale, ${sqlPersonName(Prisma.sql`r.first_name`, Prisma.sql`r.last_name_prefix`, Prisma.sql`r.last_name`)} as name,
             count(*)::int as count,
             jsonb_agg(jsonb_strip_nulls(jsonb_build_object('organisationName', r.organisation_name, 'scope', r.scope,
                 'serviceName', r.service_name, 'providerName', r.provider_name, 'level', r.level)) || ${mail.mandate ?? Prisma.sql`'{}'::jsonb`}
               order by ${until}, r.id) as mandates
      from res r
      where ${changed}
      group by r.user_id, r.email, r.locale, r.first_name, r.last_name_prefix, r.last_name
    ) h`,
    {
      idempotencyKey: Prisma.sql`${mail.key}::text || h.user_id`,
      to: Prisma.sql`h.email`,
      template: mail.template,
      locale: Prisma.sql`h.locale`,
      data: Prisma.sql`jsonb_build_object('name', h.name, 'count', h.count, 'mandates', h.mandates) || ${mail.data}`,
    },
  )
}

export type AppliedRow = ResultColumns &
  WrittenColumns & {
    old_status: string
    valid_until: Date
    refusal: string | null
    done: boolean
  }

export type SummaryRow = { total: number; allowed: number; refusals: Record<string, number>; digest: string }

/** One page of the candidates, in the list's order of names, with what would happen to each. */
export function pageSql(principal: Principal, action: BulkAction, target: Prisma.Sql, today: string, page: number): Prisma.Sql {
  return Prisma.sql`
    select m.id, m.user_id, u.first_name, u.last_name_prefix, u.last_name, m.organisation_id, m.scope::text as scope,
           s.name as service_name, coalesce(p.name, sp.name) as provider_name, m.level::text as level, m.status::text as status, m.valid_until,
           ${refusalSql(action, today)} as refusal
    from mandates m ${adminLevelsSql(principal)}
    join users u on u.id = m.user_id
    left join services s on s.id = m.service_id
    left join service_providers sp on sp.id = s.provider_id
    left join service_providers p on p.id = m.provider_id
    where ${target}
    order by u.last_name, u.first_name, m.valid_until, m.id
    limit ${BULK_PAGE_SIZE} offset ${(page - 1) * BULK_PAGE_SIZE}`
}

export type PageRow = {
  id: string
  user_id: string
  first_name: string
  last_name_prefix: string | null
  last_name: string
  organisation_id: string
  scope: 'all' | 'provider' | 'service'
  service_name: string | null
  provider_name: string | null
  level: string
  status: string
  valid_until: Date
  refusal: string | null
}
