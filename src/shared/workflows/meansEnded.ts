// What follows when a means stops being active (expired by the daily scan, opgezegd, …): rule 1
// and rule 3 on the same day, in the caller's transaction. The one function every path that ends a
// means calls after its change:
// - rule 1: each active use-mandate of those holders whose level is above every active means they
//   have left becomes 'expired' (like rule 3's admin mandates: nobody decided it, it ran out with
//   the means it rests on), with an audit entry 'mandate.expired' (after.reason, e.g. 'means_ended');
//   it can be activated again once the holder has a means at that level (rule 1 is checked then);
// - rule 3: `endAdminMandatesWithoutMeans` for the same holders.
// Set-based: one statement per rule, by index on mandates(user_id, status).
import type { Actor } from '../actor.ts'
import { auditActorParams, subjectAuditInsert } from '../audit.ts'
import type { Tx } from '../../db/tx.ts'
import { sqlTextMeansCoversLevel } from '../../domain/rules.ts'
import { endAdminMandatesWithoutMeans, MEANS_ENDED } from './adminMandates.ts'

const END_USE_SQL = `
WITH ended AS (
  UPDATE mandates um SET status = 'expired', updated_at = now()
  WHERE um.user_id = ANY($5::uuid[]) AND um.kind = 'use'
    AND (um.status = 'active' OR (um.status = 'suspended' AND um.suspended_means_id IS NOT NULL))
    AND NOT ${sqlTextMeansCoversLevel('um.user_id', 'um.level')}
  RETURNING um.id, um.organisation_id, um.valid_until, um.level, (um.suspended_means_id IS NOT NULL) AS was_suspended
), audit AS (
  ${subjectAuditInsert('ended', "'mandate.expired'", "'mandate'", { before: "jsonb_build_object('status', CASE WHEN was_suspended THEN 'suspended' ELSE 'active' END)", after: "jsonb_build_object('status', 'expired', 'validUntil', valid_until, 'reason', $6::text)" })}
)
SELECT count(*)::int AS n FROM ended`

export type MeansEndedResult = { useMandates: number; adminMandates: number }

/**
 * Rule 1 then rule 3 for the holders `userIds` whose means just stopped being active. `reason` goes
 * into each audit entry (default 'means_ended'). Returns how many mandates of each kind it ended.
 */
export async function applyMeansEnded(tx: Tx, actor: Actor, userIds: string[], reason: string = MEANS_ENDED): Promise<MeansEndedResult> {
  if (userIds.length === 0) return { useMandates: 0, adminMandates: 0 }
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(END_USE_SQL, ...auditActorParams(actor), userIds, reason)
  const adminMandates = await endAdminMandatesWithoutMeans(tx, actor, { userIds })
  return { useMandates: Number(rows[0]?.n ?? 0), adminMandates }
}
