// Rule 3, the half that follows a means' end: "an admin mandate needs a means at the same level; it
// ends when the holder's own means ends". The one place that ends admin mandates for it. Every path
// that takes a means out of 'active' (the daily expiry scan; a future revocation or suspension of a
// means) calls `endAdminMandatesWithoutMeans` in its own transaction, after its change.
//
// - It ends each active admin mandate whose holder has no active means at (at least) its level left.
//   "At least": an upgrade raises the means' level (applications/workflow.ts `issue`, in place, the
//   means stays active), and a means replaced by a higher one keeps the admin mandate valid.
// - The mandate becomes 'expired' (not 'revoked' or 'suspended': nobody decided it, it ran out with
//   the means it rests on, as a mandate runs out with its end date; rule 9 keeps 'revoked' for a
//   deliberate act that is never undone, and 'schorsen' is a deliberate pause). It can come back only
//   once the holder has a means at that level again (the level trigger refuses it before): by a new
//   admin appointment, or a renewal link the holder already has for it.
// - Each one gets an audit entry 'mandate.expired' (after.reason 'means_ended') with the caller's
//   actor, in the caller's transaction (rule 14). No mail: the scan mails ahead of an end, not at it.
// - Set-based: one statement. With `userIds` (what every path passes: the holders of the means it
//   ended; the daily scan passes the holders of the means it expired) it looks up only their admin
//   mandates, by index. Without, it checks every active admin mandate: a full scan of mandates
//   (~0.3 s at a million), meant for a one-off repair of data left by code from before this rule
//   (the scan then expired means but left admin mandates running); no command runs it.
import type { Actor } from '../actor.ts'
import { auditActorParams, subjectAuditInsert } from '../audit.ts'
import type { Tx } from '../../db/tx.ts'
import { isoDate } from '../../domain/dates.ts'

export const MEANS_ENDED = 'means_ended'

// Two texts rather than `$1 IS NULL OR …`: statements run prepared, and a generic plan of the OR
// form could not use the index on mandates (user_id, status).
const endSql = (holders: string) => `
WITH ended AS (
  UPDATE mandates am SET status = 'expired', updated_at = now()
  WHERE ${holders} am.kind = 'admin' AND am.status = 'active'
    AND NOT EXISTS (
      SELECT 1 FROM means me WHERE me.user_id = am.user_id AND me.status = 'active' AND me.level >= am.level)
  RETURNING am.id, am.organisation_id, am.valid_until
), audit AS (
  ${subjectAuditInsert('ended', "'mandate.expired'", "'mandate'", { before: "jsonb_build_object('status', 'active')", after: `jsonb_build_object('status', 'expired', 'validUntil', valid_until, 'reason', '${MEANS_ENDED}')` })}
)
SELECT count(*)::int AS n FROM ended`
const END_FOR_HOLDERS_SQL = endSql('am.user_id = ANY($5::uuid[]) AND')
const END_FOR_ALL_SQL = endSql('')

/**
 * Ends (status 'expired', with an audit entry each) the active admin mandates whose holder no longer
 * has an active means at or above their level. Call it inside the transaction that ended the means.
 * Returns how many it ended.
 */
export async function endAdminMandatesWithoutMeans(tx: Tx, actor: Actor, options: { userIds?: string[] } = {}): Promise<number> {
  if (options.userIds && options.userIds.length === 0) return 0
  const actorParams = auditActorParams(actor)
  const rows = options.userIds
    ? await tx.$queryRawUnsafe<{ n: number }[]>(END_FOR_HOLDERS_SQL, ...actorParams, options.userIds)
    : await tx.$queryRawUnsafe<{ n: number }[]>(END_FOR_ALL_SQL, ...actorParams)
  return Number(rows[0]?.n ?? 0)
}

// Rule 3, the half that follows a means' renewal: "it ends when the holder's own means ends", so
// while a means runs on, the admin mandates it carries run on with it. The one place that moves
// admin mandates with a means; every path that extends, raises or (re)activates a means calls
// `carryAdminMandatesWithMeans` in its own transaction, after its change to the means:
// shared/workflows/renewals.ts `renewItemNow` (the renewal link, and a signed renewal application through
// `carryOutRenewalApplication`) and shared/workflows/applications.ts `issue` (an upgrade, a new means).
//
// - It moves the end of each of the holder's active admin mandates carried by the means (level at
//   or below the means' level) that ends before the means now does, to the means' end. Never
//   earlier: a mandate also carried by a longer means keeps its end. So the admin keeps Beheer as
//   long as he has a means at that level, the mirror of `endAdminMandatesWithoutMeans`.
// - With `reactivateFrom` (the means' old end; only when the means itself had ended and is now
//   active again) it also brings back the admin mandates that ended with it: status 'expired'
//   (by the scan on their end date, or by rule 3 with reason means_ended) and an end on or after
//   the means' old end, so not one that ran out earlier on its own. Never a revoked or suspended
//   one (rule 9: those were deliberate), and not when the holder has a live admin mandate for that
//   organisation again (a new appointment): one per organisation comes back, the latest.
// - The new end is capped as the database caps every term (rule 4: at most 5 years ahead of the
//   later of its start and today, trigger check_term_at_most_five_years); the means' end already is.
// - Each moved mandate gets an audit entry 'mandate.renewed' in its organisation (before/after
//   status and end, after.reason 'means_renewed', after.meansId) with the caller's actor (rule 14).
export const MEANS_RENEWED = 'means_renewed'

const CARRY_SQL = `
WITH me AS (
  SELECT id, user_id, level, valid_until FROM means WHERE id = $5::uuid AND status = 'active'
), candidates AS (
  SELECT am.id, am.status, am.valid_until,
         row_number() OVER (PARTITION BY am.organisation_id, am.scope_key
                            ORDER BY (am.status = 'active') DESC, am.valid_until DESC, am.updated_at DESC, am.id) AS rn
  FROM mandates am JOIN me ON am.user_id = me.user_id
  WHERE am.kind = 'admin' AND am.level <= me.level AND am.valid_until < me.valid_until
    AND (am.status = 'active'
      OR (am.status = 'expired' AND am.valid_until >= $6::date
          AND NOT EXISTS (
            SELECT 1 FROM mandates lv
            WHERE lv.user_id = am.user_id AND lv.organisation_id = am.organisation_id AND lv.kind = 'admin'
              AND lv.scope_key = am.scope_key AND lv.live)))
), moved AS (
  UPDATE mandates am
  SET status = 'active',
      valid_until = least(me.valid_until, (greatest(am.valid_from, current_date) + interval '5 years')::date),
      updated_at = now()
  FROM candidates c, me
  WHERE am.id = c.id AND c.rn = 1
  RETURNING am.id, am.organisation_id, am.valid_until, c.status AS before_status, c.valid_until AS before_until, me.id AS means_id
), audit AS (
  ${subjectAuditInsert('moved', "'mandate.renewed'", "'mandate'", {
    before: "jsonb_build_object('status', before_status, 'validUntil', to_char(before_until, 'YYYY-MM-DD'))",
    after: `jsonb_build_object('status', 'active', 'validUntil', to_char(valid_until, 'YYYY-MM-DD'),
                            'reason', '${MEANS_RENEWED}', 'meansId', means_id)`,
  })}
)
SELECT id::text AS id, organisation_id::text AS organisation_id, valid_until, before_status::text AS before_status FROM moved`

export type CarriedAdminMandate = { id: string; organisationId: string; validUntil: Date; reactivated: boolean }

/**
 * Moves the holder's admin mandates carried by this (active) means to its end, and with
 * `reactivateFrom` (the means' end before it was renewed, when it had ended) brings back the ones
 * that ended with it. Call it inside the transaction that changed the means, after the change.
 * Returns the mandates it changed.
 */
export async function carryAdminMandatesWithMeans(
  tx: Tx,
  actor: Actor,
  meansId: string,
  options: { reactivateFrom?: Date } = {},
): Promise<CarriedAdminMandate[]> {
  const actorParams = auditActorParams(actor)
  const rows = await tx.$queryRawUnsafe<{ id: string; organisation_id: string; valid_until: Date; before_status: string }[]>(
    CARRY_SQL,
    ...actorParams,
    meansId,
    options.reactivateFrom ? isoDate(options.reactivateFrom) : null,
  )
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, validUntil: r.valid_until, reactivated: r.before_status !== 'active' }))
}
