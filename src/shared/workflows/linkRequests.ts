// A verzoek that ends without being accepted (rejected by the person, lapsed after 3 months, rule 8)
// ends the mandates that waited for it (status 'pending', granted through the wizard's "Toon niet
// gekoppelde gebruikers"): otherwise they stay live and block granting the same scope again.
// They become 'revoked' (never 'expired': an expired mandate offers "Activeren", which would bring a
// mandate to life for a person who is not linked), each with an audit entry 'mandate.revoked' whose
// after.reason says why ('link_request_rejected' or 'link_request_lapsed'). Only the pending mandates
// of that person in that organisation while the person is not linked there (a link made another way
// in between means the mandates are no longer waiting for this request).
import type { Actor } from '../actor.ts'
import { auditActorParams, subjectAuditInsert } from '../audit.ts'
import type { Tx } from '../../db/tx.ts'

export const LINK_REQUEST_REJECTED = 'link_request_rejected'
export const LINK_REQUEST_LAPSED = 'link_request_lapsed'

const auditOf = (reason: string) =>
  subjectAuditInsert('ended', "'mandate.revoked'", "'mandate'", {
    before: "jsonb_build_object('status', 'pending')",
    after: `jsonb_build_object('status', 'revoked', 'revokedAt', revoked_at, 'reason', '${reason}', 'linkRequestId', request_id)`,
  })

const endPendingSql = (requests: string, reason: string, extra = '') => `
WITH req AS (${requests}
)${extra}, ended AS (
  UPDATE mandates m SET status = 'revoked', revoked_at = now(), updated_at = now()
  FROM req
  WHERE m.user_id = req.user_id AND m.organisation_id = req.organisation_id AND m.status = 'pending'
    AND NOT EXISTS (SELECT 1 FROM organisation_links l WHERE l.user_id = m.user_id AND l.organisation_id = m.organisation_id)
  RETURNING m.id, m.organisation_id, m.revoked_at, req.id AS request_id
), audit AS (
  ${auditOf(reason)}
)
SELECT count(*)::int AS n FROM ended`

// One request the caller has just marked rejected.
const REJECTED_SQL = endPendingSql(`SELECT id, user_id, organisation_id FROM link_requests WHERE id = $5::uuid AND user_id IS NOT NULL`, LINK_REQUEST_REJECTED)
// The daily scan: every pending request past its end becomes 'lapsed'.
const LAPSED_SQL = endPendingSql(
  `UPDATE link_requests SET status = 'lapsed' WHERE status = 'pending' AND expires_at <= $5::timestamptz
   RETURNING id, user_id, organisation_id`,
  LINK_REQUEST_LAPSED,
  `, lapsed_audit AS (
  ${subjectAuditInsert('req', "'link_request.lapsed'", "'link_request'", { before: "jsonb_build_object('status', 'pending')", after: "jsonb_build_object('status', 'lapsed')" })}
)`,
)

/** The verzoek `requestId` was rejected: its pending mandates end (revoked, reason link_request_rejected). */
export async function endMandatesOfRejectedRequest(tx: Tx, actor: Actor, requestId: string): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(REJECTED_SQL, ...auditActorParams(actor), requestId)
  return Number(rows[0]?.n ?? 0)
}

/** Marks pending verzoeken past their end (at `now`) 'lapsed' and ends their pending mandates. Returns how many mandates ended. */
export async function lapseLinkRequests(tx: Tx, actor: Actor, now: Date): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ n: number }[]>(LAPSED_SQL, ...auditActorParams(actor), now)
  return Number(rows[0]?.n ?? 0)
}
