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
import type { Actor } from '../audit/actor.ts'
import type { Tx } from '../audit/audit.ts'

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
  INSERT INTO audit_events (actor_id, actor_label, action, organisation_id, subject_type, subject_id, before, after, ip_address, request_id)
  SELECT $1::uuid, $2, 'mandate.expired', organisation_id, 'Mandate', id::text,
         jsonb_build_object('status', 'active'),
         jsonb_build_object('status', 'expired', 'validUntil', valid_until, 'reason', '${MEANS_ENDED}'),
         $3, $4
  FROM ended
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
  const actorParams = [actor.principal?.id ?? null, actor.principal?.email ?? actor.label, actor.ipAddress, actor.requestId]
  const rows = options.userIds
    ? await tx.$queryRawUnsafe<{ n: number }[]>(END_FOR_HOLDERS_SQL, ...actorParams, options.userIds)
    : await tx.$queryRawUnsafe<{ n: number }[]>(END_FOR_ALL_SQL, ...actorParams)
  return Number(rows[0]?.n ?? 0)
}
