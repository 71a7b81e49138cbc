// What an admin (for a user linked to one of his organisations) or the person (own means) can do to
// a means after it is issued: schorsen / opheffen schorsing (rule 18) and opzeggen (rule 17), each
// in one transaction with its audit entries and mails. Rule 18: while a means is suspended, the
// holder's mandates it carried (active, not covered by another active means) are suspended too,
// marked with suspended_means_id, so list, filter, mails and authorisations treat them as suspended;
// lifting the means lifts exactly those. Rule 17: opzeggen today ends the means ('revoked') and rules
// 1 and 3 follow at once (meansEnded.ts); on a later date (within a year) the means gets ends_on and
// the daily scan ends it then (`endScheduledMeans`).
import type { Actor } from '../actor.ts'
import { auditActorParams, subjectAuditInsert, recordAudit, statusEntry } from '../audit.ts'
import { queueMails, queueMailToPerson } from '../outbox.ts'
import { personName } from '../../domain/names.ts'
import type { Tx } from '../../db/tx.ts'
import { addYears, isoDate, todayUtc } from '../../domain/dates.ts'
import { sqlTextMeansCoversLevel } from '../../domain/rules.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { applyMeansEnded } from './meansEnded.ts'

export const MEANS_SUSPENDED = 'means_suspended'
export const MEANS_CANCELLED = 'means_cancelled'

type LockedMeans = { id: string; user_id: string; level: string; status: string; valid_until: Date; ends_on: Date | null }

/**
 * Locks one means for the transaction. `adminOrgIds`: the actor's admin organisations (the holder
 * must be linked to one); `ownerId`: the person acting on his own means. Anything else is 404 (rule 7).
 */
export async function lockMeans(tx: Tx, meansId: string, who: { adminOrgIds?: string[]; ownerId?: string }): Promise<LockedMeans> {
  const rows = await tx.$queryRawUnsafe<LockedMeans[]>(
    `SELECT me.id, me.user_id, me.level::text AS level, me.status::text AS status, me.valid_until, me.ends_on FROM means me
     WHERE me.id = $1::uuid AND (me.user_id = $2::uuid OR EXISTS (
       SELECT 1 FROM organisation_links l WHERE l.user_id = me.user_id AND l.organisation_id = ANY($3::uuid[])))
     FOR UPDATE`,
    meansId,
    who.ownerId ?? null,
    who.adminOrgIds ?? [],
  )
  if (!rows[0]) throw new NotFoundError()
  return rows[0]
}

const mandateAudit = (action: string, before: string, after: string) =>
  subjectAuditInsert('changed', `'${action}'`, "'mandate'", {
    before: `jsonb_build_object('status', '${before}')`,
    after: `jsonb_build_object('status', '${after}', 'reason', '${MEANS_SUSPENDED}', 'meansId', $5::text)`,
  })

// The holder's active mandates the means carried: not covered by another active means (the means
// itself is already 'suspended' when this runs).
const SUSPEND_MANDATES_SQL = `
WITH changed AS (
  UPDATE mandates m SET status = 'suspended', suspended_means_id = $5::uuid, updated_at = now()
  WHERE m.user_id = $6::uuid AND m.status = 'active' AND NOT ${sqlTextMeansCoversLevel('m.user_id', 'm.level')}
  RETURNING m.id, m.organisation_id
), audit AS (${mandateAudit('mandate.suspended', 'active', 'suspended')})
SELECT count(*)::int AS n FROM changed`

// Back to active: those it suspended, still within their dates and without a live one for the scope
// granted meanwhile; the others stay suspended until the admin acts (or the scan expires them).
const LIFT_MANDATES_SQL = `
WITH changed AS (
  UPDATE mandates m SET status = 'active', suspended_means_id = NULL, updated_at = now()
  WHERE m.user_id = $7::uuid AND m.status = 'suspended' AND m.suspended_means_id = $5::uuid AND m.valid_until >= $6::date
    AND ${sqlTextMeansCoversLevel('m.user_id', 'm.level')}
    AND NOT EXISTS (SELECT 1 FROM mandates o WHERE o.user_id = m.user_id AND o.organisation_id = m.organisation_id
                    AND o.kind = m.kind AND o.scope_key = m.scope_key AND o.live)
  RETURNING m.id, m.organisation_id
), audit AS (${mandateAudit('mandate.suspension_lifted', 'suspended', 'active')})
SELECT count(*)::int AS n FROM changed`

type Holder = { email: string; locale: string; firstName: string; lastNamePrefix: string | null; lastName: string }

async function holderOf(tx: Tx, userId: string): Promise<Holder> {
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true } })
}

async function mailHolder(tx: Tx, m: LockedMeans, event: 'suspended' | 'lifted' | 'cancelled' | 'cancelScheduled', key: string, date?: Date) {
  await queueMailToPerson(tx, await holderOf(tx, m.user_id), {
    idempotencyKey: `means-changed:${event}:${m.id}:${key}`,
    template: 'means-changed',
    data: { event, context: event, level: m.level, ...(date ? { date: isoDate(date) } : {}) },
  })
}

/**
 * Opzeggen also tells the admins of every organisation the holder is linked to (holders of an active
 * admin mandate there, the holder left out): one mail each, with a link to the user's page.
 */
async function mailAdmins(tx: Tx, m: LockedMeans, event: 'holderCancelled' | 'holderCancelScheduled', date: Date) {
  const holder = await holderOf(tx, m.user_id)
  const admins = await tx.$queryRawUnsafe<
    { id: string; email: string; locale: string; first_name: string; last_name_prefix: string | null; last_name: string }[]
  >(
    `SELECT DISTINCT u.id, u.email, u.locale, u.first_name, u.last_name_prefix, u.last_name FROM organisation_links l
     JOIN mandates am ON am.organisation_id = l.organisation_id AND am.kind = 'admin' AND am.status = 'active'
     JOIN users u ON u.id = am.user_id
     WHERE l.user_id = $1::uuid AND am.user_id <> $1::uuid`,
    m.user_id,
  )
  await queueMails(
    tx,
    admins.map((a) => ({
      idempotencyKey: `means-changed:${event}:${m.id}:${isoDate(date)}:${a.id}`,
      to: a.email,
      locale: a.locale,
      template: 'means-changed' as const,
      data: {
        name: personName({ firstName: a.first_name, lastNamePrefix: a.last_name_prefix, lastName: a.last_name }),
        event,
        context: event,
        holderName: personName(holder),
        userId: m.user_id,
        level: m.level,
        date: isoDate(date),
      },
    })),
  )
}

/** Schorsen (rule 18): the means and the mandates it carried authorise nothing until lifted. */
export async function suspendMeans(tx: Tx, actor: Actor, m: LockedMeans, now = new Date()): Promise<{ mandates: number }> {
  if (m.status === 'suspended') throw new RuleViolation('users:means.errors.alreadySuspended')
  if (m.status !== 'active') throw new RuleViolation('users:means.errors.notActive')
  await tx.means.update({ where: { id: m.id }, data: { status: 'suspended' } })
  await recordAudit(tx, actor, statusEntry('means.suspended', 'means', { id: m.id }, 'active', 'suspended'))
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(SUSPEND_MANDATES_SQL, ...auditActorParams(actor), m.id, m.user_id)
  await mailHolder(tx, m, 'suspended', now.toISOString())
  return { mandates: Number(rows[0]?.n ?? 0) }
}

/** Opheffen schorsing: the means is active again, and so are the mandates its suspension suspended. */
export async function liftMeansSuspension(tx: Tx, actor: Actor, m: LockedMeans, now = new Date()): Promise<{ mandates: number }> {
  if (m.status !== 'suspended') throw new RuleViolation('users:means.errors.notSuspended')
  const today = todayUtc(now)
  const status = m.valid_until < today ? 'expired' : 'active'
  await tx.means.update({ where: { id: m.id }, data: { status } })
  await recordAudit(tx, actor, { action: 'means.suspension_lifted', subjectType: 'means', subjectId: m.id, before: { status: 'suspended' }, after: { status } })
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(LIFT_MANDATES_SQL, ...auditActorParams(actor), m.id, isoDate(today), m.user_id)
  if (status === 'expired') await applyMeansEnded(tx, actor, [m.user_id])
  await mailHolder(tx, m, 'lifted', now.toISOString())
  return { mandates: Number(rows[0]?.n ?? 0) }
}

/** Rule 17's date: today or later, at most a year ahead. Throws the reason otherwise. */
export function assertCancelDate(date: Date, now = new Date()): void {
  const today = todayUtc(now)
  if (date < today) throw new RuleViolation('users:means.errors.datePast', 'date')
  if (date > addYears(today, 1)) throw new RuleViolation('users:means.errors.dateTooLate', 'date')
}

/** The means ends now: 'revoked', audit, rules 1 and 3, mail. */
async function endMeansNow(tx: Tx, actor: Actor, m: LockedMeans, now: Date) {
  await tx.means.update({ where: { id: m.id }, data: { status: 'revoked', endsOn: null } })
  await recordAudit(tx, actor, {
    action: 'means.cancelled',
    subjectType: 'means',
    subjectId: m.id,
    before: { status: m.status, endsOn: m.ends_on },
    after: { status: 'revoked', endedOn: isoDate(todayUtc(now)) },
  })
  const ended = await applyMeansEnded(tx, actor, [m.user_id], MEANS_CANCELLED)
  await mailHolder(tx, m, 'cancelled', isoDate(todayUtc(now)), todayUtc(now))
  await mailAdmins(tx, m, 'holderCancelled', todayUtc(now))
  return ended
}

/** Opzeggen (rule 17) on `date`: today ends it at once, a later date schedules the end for the daily scan. */
export async function cancelMeans(tx: Tx, actor: Actor, m: LockedMeans, date: Date, now = new Date()) {
  if (m.status !== 'active' && m.status !== 'suspended') throw new RuleViolation('users:means.errors.alreadyEnded')
  assertCancelDate(date, now)
  if (isoDate(date) === isoDate(todayUtc(now))) return { scheduled: false, ...(await endMeansNow(tx, actor, m, now)) }
  if (m.ends_on && isoDate(m.ends_on) === isoDate(date)) throw new RuleViolation('users:means.errors.alreadyScheduled', 'date', { date: isoDate(date) })
  await tx.means.update({ where: { id: m.id }, data: { endsOn: date } })
  await recordAudit(tx, actor, {
    action: 'means.cancel_scheduled',
    subjectType: 'means',
    subjectId: m.id,
    before: { endsOn: m.ends_on },
    after: { endsOn: isoDate(date) },
  })
  await mailHolder(tx, m, 'cancelScheduled', isoDate(date), date)
  await mailAdmins(tx, m, 'holderCancelScheduled', date)
  return { scheduled: true, useMandates: 0, adminMandates: 0 }
}

const SCHEDULED_SQL = `
WITH ended AS (
  UPDATE means SET status = 'revoked', ends_on = NULL, updated_at = now()
  WHERE ends_on <= $5::date AND status IN ('active', 'suspended')
  RETURNING id, user_id, status
), audit AS (
  ${subjectAuditInsert('ended', "'means.cancelled'", "'means'", { organisationId: 'NULL', after: "jsonb_build_object('status', 'revoked', 'endedOn', $5::text, 'scheduled', true)" })}
)
SELECT coalesce(array_agg(DISTINCT user_id::text), '{}') AS holders, count(*)::int AS n FROM ended`

/** The daily scan: means opgezegd for `today` (or before) end, and rules 1 and 3 follow. */
export async function endScheduledMeans(tx: Tx, actor: Actor, today: string) {
  const [row] = await tx.$queryRawUnsafe<{ holders: string[]; n: number }[]>(SCHEDULED_SQL, ...auditActorParams(actor), today)
  const ended = await applyMeansEnded(tx, actor, row?.holders ?? [], MEANS_CANCELLED)
  return { means: Number(row?.n ?? 0), ...ended }
}
