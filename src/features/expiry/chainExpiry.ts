// The ketenmachtigingen part of the daily expiry scan (rules 15 and 20), set-based, in the scan's
// transaction:
//   1. chains past their end (valid_until < today; active, pending or suspended — rule 18: a suspended
//      item can expire) become 'expired', and so does every live assignment under them or past its own
//      end; each with an audit entry on both organisations' Logboek (client and intermediary). An
//      assignment keeps its end date, so renewing the chain brings back the ones that ended with it
//      (ChainService.renew);
//   2. a 'chain-expiry-notice' two months, one month and one week before an active chain ends, to the
//      client's admins and to the intermediary's admins, at the most urgent threshold reached. Key
//      `expiry:chain:<id>:<threshold>:<validUntil>:<side>:<adminUserId>`: each admin gets each notice
//      of a chain once, and a renewed chain (new end) starts afresh. No renewal token: only the
//      client's admin renews, on Beheer → Ketenmachtigingen, which the mail links to.
import type { Tx } from '../../db/tx.ts'
import { auditInsertFrom } from '../../shared/audit.ts'
import { queueMailsFrom } from '../../shared/outbox.ts'
import { links } from '../../paths.ts'

export type ChainExpiryResult = { expiredChains: number; expiredChainAssignments: number; chainNotices: number }

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`
// The mails' links, finished in SQL: links.chains() for the client, links.chainClient(id) for the intermediary.
export const CHAIN_CLIENT_PATH_PREFIX = links.chainClient('')

const EXPIRE_CHAINS_SQL = `
WITH expired_chains AS (
  UPDATE chain_mandates SET status = 'expired', updated_at = now()
  WHERE status IN ('active', 'pending', 'suspended') AND valid_until < $1::date
  RETURNING id, organisation_id, intermediary_organisation_id, valid_until
), expired_assignments AS (
  UPDATE chain_assignments a SET status = 'expired', updated_at = now()
  FROM chain_mandates c
  WHERE c.id = a.chain_mandate_id AND a.status IN ('active', 'pending', 'suspended')
    AND (a.valid_until < $1::date OR c.id IN (SELECT id FROM expired_chains))
  RETURNING a.id, c.id AS chain_id, c.organisation_id, c.intermediary_organisation_id, a.valid_until
), ended AS (
  SELECT 'chain.expired' AS action, 'chain_mandate' AS subject_type, id, NULL::uuid AS chain_id, organisation_id, intermediary_organisation_id, valid_until
  FROM expired_chains
  UNION ALL
  SELECT 'chain-assignment.expired', 'chain_assignment', id, chain_id, organisation_id, intermediary_organisation_id, valid_until
  FROM expired_assignments
), audit AS (
  ${auditInsertFrom('ended e CROSS JOIN LATERAL (VALUES (e.organisation_id), (e.intermediary_organisation_id)) side(organisation_id)', {
    actorLabel: '$2',
    action: 'e.action',
    organisationId: 'side.organisation_id',
    subjectType: 'e.subject_type',
    subjectId: 'e.id::text',
    after: "jsonb_strip_nulls(jsonb_build_object('status', 'expired', 'validUntil', e.valid_until, 'chainMandateId', e.chain_id))",
  })}
)
SELECT (SELECT count(*) FROM expired_chains)::int AS chains, (SELECT count(*) FROM expired_assignments)::int AS assignments`

const NOTICE_CHAINS_SQL = `
WITH items AS (
  SELECT c.id, c.organisation_id, c.intermediary_organisation_id, c.valid_until, c.level::text AS level, c.scope::text AS scope,
         s.name AS service_name, p.name AS provider_name, co.name AS client_name, io.name AS intermediary_name,
         CASE WHEN c.valid_until <= $1::date + 7 THEN '1w'
              WHEN c.valid_until <= ($1::date + interval '1 month')::date THEN '1m'
              ELSE '2m' END AS threshold
  FROM chain_mandates c
  JOIN organisations co ON co.id = c.organisation_id
  JOIN organisations io ON io.id = c.intermediary_organisation_id
  LEFT JOIN services s ON s.id = c.service_id
  LEFT JOIN service_providers p ON p.id = c.provider_id
  WHERE c.status = 'active' AND c.valid_until >= $1::date AND c.valid_until <= ($1::date + interval '2 months')::date
), recipients AS (
  SELECT DISTINCT ON (i.id, side.role, u.id) i.*, side.role, u.id AS user_id, u.email,
         CASE WHEN u.locale = 'en' THEN 'en' ELSE 'nl' END AS locale,
         concat_ws(' ', u.first_name, u.last_name_prefix, u.last_name) AS name
  FROM items i
  CROSS JOIN LATERAL (VALUES ('client', i.organisation_id), ('intermediary', i.intermediary_organisation_id)) side(role, organisation_id)
  JOIN mandates am ON am.organisation_id = side.organisation_id AND am.kind = 'admin' AND am.status = 'active' AND am.valid_until >= $1::date
  JOIN users u ON u.id = am.user_id
), notices AS (
  ${queueMailsFrom('recipients r', {
    idempotencyKey: "'expiry:chain:' || r.id || ':' || r.threshold || ':' || to_char(r.valid_until, 'YYYY-MM-DD') || ':' || r.role || ':' || r.user_id",
    to: 'r.email',
    template: "'chain-expiry-notice'",
    locale: 'r.locale',
    data: `jsonb_strip_nulls(jsonb_build_object(
           'name', r.name, 'role', r.role, 'threshold', r.threshold, 'validUntil', to_char(r.valid_until, 'YYYY-MM-DD'),
           'clientName', r.client_name, 'intermediaryName', r.intermediary_name, 'level', r.level,
           'scope', r.scope, 'serviceName', r.service_name, 'providerName', r.provider_name,
           'path', CASE WHEN r.role = 'client' THEN ${sqlText(links.chains())} ELSE ${sqlText(CHAIN_CLIENT_PATH_PREFIX)} || r.id END))`,
  })}
)
SELECT (SELECT count(*) FROM notices)::int AS notices`

/** Expires ended chains and their assignments, then queues the notices; inside the scan's transaction. `today` is YYYY-MM-DD. */
export async function runChainExpiry(tx: Tx, today: string, actorLabel: string): Promise<ChainExpiryResult> {
  const [expired] = await tx.$queryRawUnsafe<{ chains: number; assignments: number }[]>(EXPIRE_CHAINS_SQL, today, actorLabel)
  const [queued] = await tx.$queryRawUnsafe<{ notices: number }[]>(NOTICE_CHAINS_SQL, today)
  return {
    expiredChains: Number(expired?.chains ?? 0),
    expiredChainAssignments: Number(expired?.assignments ?? 0),
    chainNotices: Number(queued?.notices ?? 0),
  }
}
