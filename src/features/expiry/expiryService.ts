// The daily expiry scan (rule 15), set-based in SQL, in one transaction:
//   1. means and mandates whose end has passed (valid_until < today) become 'expired', each with an
//      audit entry; then the active admin mandates of those means' holders who have no active means at
//      (at least) the mandate's level left become 'expired' too, with an audit entry (rule 3,
//      mandates/adminMandateRule.ts);
//   2. an 'expiry-notice' to the holder of every active means and mandate that ends within two
//      months, at the most urgent threshold reached: '2m' (≤ 2 months), '1m' (≤ 1 month), '1w'
//      (≤ 7 days). Key `expiry:<mandate|means>:<id>:<threshold>:<validUntil>`, so each item gets each
//      notice once (ON CONFLICT DO NOTHING), and a renewed item (new end) starts afresh. Each new
//      notice carries a renewal link: a random token whose SHA-256 is stored in action_tokens
//      (purpose 'renewal', subject {type, id, validUntil}, valid until 30 days after the end);
//   3. one 'expiry-digest' per organisation to each of its admins (active admin mandate), listing
//      the items newly noticed in this scan: the organisation's mandates, and the means of users
//      linked to it. Key `expiry-digest:<organisationId>:<adminUserId>:<today>`.
//   Also (issue 13): suspended means and mandates expire too (rule 18: suspension does not stop the
//   clock); rule 1 follows rule 3 for the holders of the means that ended (workflows/meansEnded.ts);
//   means opgezegd for today end (rule 17, workflows/meansLifecycle.ts); pending verzoeken past their
//   end become 'lapsed' and their pending mandates end (workflows/linkRequests.ts).
//   4. ketenmachtigingen (chainExpiry.ts): ended chains and their assignments expire, audited on both
//      organisations, and the admins of both sides get a 'chain-expiry-notice' at each threshold.
// Running it twice for the same day changes nothing the second time.
import type { Db, Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { systemActor } from '../../shared/actor.ts'
import { auditInsertFrom } from '../../shared/audit.ts'
import { queueMailsFrom, wakeMailWorker } from '../../shared/outbox.ts'
import { lapseLinkRequests } from '../../shared/workflows/linkRequests.ts'
import { applyMeansEnded } from '../../shared/workflows/meansEnded.ts'
import { endScheduledMeans } from '../../shared/workflows/meansLifecycle.ts'
import { links } from '../../paths.ts'
import { runChainExpiry, type ChainExpiryResult } from './chainExpiry.ts'

export type ExpiryScanResult = {
  expiredMandates: number
  expiredMeans: number
  /** Admin mandates ended because their holder's means at that level ended (rule 3). */
  endedAdminMandates: number
  /** Use-mandates ended because their holder has no active means at their level left (rule 1). */
  endedUseMandates: number
  /** Means opgezegd for today or before, ended now (rule 17). */
  cancelledMeans: number
  /** Pending mandates ended because their verzoek lapsed (rule 8). */
  endedPendingMandates: number
  notices: number
  digests: number
} & ChainExpiryResult

export const RENEWAL_LINK_GRACE_DAYS = 30
const ACTOR_LABEL = 'systeem (verloopcontrole)'

/** A constant as an SQL string literal. */
const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`
// The mails' links, finished in SQL: links.renewal(token) and links.mandates({ organisatie: id }).
// Tokens are hex and ids UUIDs, so nothing needs encoding (tests/web/paths.test.ts checks the prefixes).
export const RENEW_PATH_PREFIX = links.renewal('')
export const LIST_PATH_PREFIX = `${links.mandates()}?organisatie=`

const EXPIRE_SQL = `
WITH expired_mandates AS (
  UPDATE mandates SET status = 'expired', updated_at = now()
  WHERE status IN ('active', 'pending', 'suspended') AND valid_until < $1::date
  RETURNING id, organisation_id, valid_until
), expired_means AS (
  UPDATE means SET status = 'expired', updated_at = now()
  WHERE status IN ('active', 'suspended') AND valid_until < $1::date
  RETURNING id, user_id, valid_until
), audit AS (
  ${auditInsertFrom(
    `(SELECT 'mandate.expired' AS action, organisation_id, 'mandate' AS subject_type, id, valid_until FROM expired_mandates
      UNION ALL
      SELECT 'means.expired', NULL, 'means', id, valid_until FROM expired_means) x`,
    {
      actorLabel: '$2',
      action: 'x.action',
      organisationId: 'x.organisation_id',
      subjectType: 'x.subject_type',
      subjectId: 'x.id::text',
      after: "jsonb_build_object('status', 'expired', 'validUntil', x.valid_until)",
    },
  )}
)
SELECT (SELECT count(*) FROM expired_mandates)::int AS mandates, (SELECT count(*) FROM expired_means)::int AS means,
       (SELECT coalesce(array_agg(DISTINCT user_id::text), '{}') FROM expired_means) AS means_holders`

// Candidates: the most urgent threshold reached; only items without that notice yet.
const NOTICE_SQL = `
WITH items AS (
  SELECT 'mandate'::text AS kind, m.id, m.user_id, m.organisation_id, m.valid_until, m.level::text AS level,
         m.scope::text AS scope, s.name AS service_name, p.name AS provider_name, o.name AS organisation_name
  FROM mandates m
  JOIN organisations o ON o.id = m.organisation_id
  LEFT JOIN services s ON s.id = m.service_id
  LEFT JOIN service_providers p ON p.id = m.provider_id
  WHERE m.status = 'active' AND m.valid_until >= $1::date AND m.valid_until <= ($1::date + interval '2 months')::date
  UNION ALL
  SELECT 'means', me.id, me.user_id, NULL, me.valid_until, me.level::text, NULL, NULL, NULL, NULL
  FROM means me
  WHERE me.status = 'active' AND me.valid_until >= $1::date AND me.valid_until <= ($1::date + interval '2 months')::date
), keyed AS (
  SELECT i.*,
         CASE WHEN i.valid_until <= $1::date + 7 THEN '1w'
              WHEN i.valid_until <= ($1::date + interval '1 month')::date THEN '1m'
              ELSE '2m' END AS threshold
  FROM items i
), fresh AS MATERIALIZED (
  SELECT k.*, 'expiry:' || k.kind || ':' || k.id || ':' || k.threshold || ':' || to_char(k.valid_until, 'YYYY-MM-DD') AS key,
         encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'hex') AS token,
         u.email, CASE WHEN u.locale = 'en' THEN 'en' ELSE 'nl' END AS locale,
         concat_ws(' ', u.first_name, u.last_name_prefix, u.last_name) AS holder_name
  FROM keyed k
  JOIN users u ON u.id = k.user_id
  WHERE NOT EXISTS (
    SELECT 1 FROM outgoing_mail o
    WHERE o.idempotency_key = 'expiry:' || k.kind || ':' || k.id || ':' || k.threshold || ':' || to_char(k.valid_until, 'YYYY-MM-DD'))
), notices AS (
  ${queueMailsFrom('fresh f', {
    idempotencyKey: 'f.key',
    to: 'f.email',
    template: "'expiry-notice'",
    locale: 'f.locale',
    data: `jsonb_strip_nulls(jsonb_build_object(
           'name', f.holder_name, 'kind', f.kind, 'threshold', f.threshold,
           'validUntil', to_char(f.valid_until, 'YYYY-MM-DD'), 'level', f.level,
           'organisationName', f.organisation_name, 'scope', f.scope, 'serviceName', f.service_name, 'providerName', f.provider_name,
           'renewPath', ${sqlText(RENEW_PATH_PREFIX)} || f.token,
           'linkExpiresAt', to_char(f.valid_until + $2::int, 'YYYY-MM-DD')))`,
  })}
), sent AS (
  SELECT f.* FROM fresh f JOIN notices n ON n.idempotency_key = f.key
), tokens AS (
  INSERT INTO action_tokens (id, purpose, token_hash, subject, expires_at, created_at)
  SELECT gen_random_uuid(), 'renewal', encode(sha256(convert_to(s.token, 'UTF8')), 'hex'),
         jsonb_build_object('type', s.kind, 'id', s.id, 'validUntil', to_char(s.valid_until, 'YYYY-MM-DD')),
         ((s.valid_until + $2::int)::timestamp AT TIME ZONE 'UTC'), now()
  FROM sent s
  RETURNING 1
), digest_items AS (
  SELECT s.organisation_id AS org_id, s.* FROM sent s WHERE s.kind = 'mandate'
  UNION ALL
  SELECT l.organisation_id AS org_id, s.* FROM sent s JOIN organisation_links l ON l.user_id = s.user_id WHERE s.kind = 'means'
), per_org AS (
  SELECT d.org_id,
         jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
           'holderName', d.holder_name, 'kind', d.kind, 'threshold', d.threshold,
           'validUntil', to_char(d.valid_until, 'YYYY-MM-DD'), 'level', d.level,
           'scope', d.scope, 'serviceName', d.service_name, 'providerName', d.provider_name,
           'renewPath', ${sqlText(RENEW_PATH_PREFIX)} || d.token)) ORDER BY d.valid_until, d.holder_name) AS items
  FROM digest_items d
  GROUP BY d.org_id
), admins AS (
  SELECT DISTINCT am.organisation_id AS org_id, u.id AS user_id, u.email,
         CASE WHEN u.locale = 'en' THEN 'en' ELSE 'nl' END AS locale,
         concat_ws(' ', u.first_name, u.last_name_prefix, u.last_name) AS name
  FROM mandates am
  JOIN users u ON u.id = am.user_id
  WHERE am.kind = 'admin' AND am.status = 'active' AND am.valid_until >= $1::date
    AND am.organisation_id IN (SELECT org_id FROM per_org)
), digests AS (
  ${queueMailsFrom('per_org p JOIN organisations o ON o.id = p.org_id JOIN admins a ON a.org_id = p.org_id', {
    idempotencyKey: "'expiry-digest:' || p.org_id || ':' || a.user_id || ':' || to_char($1::date, 'YYYY-MM-DD')",
    to: 'a.email',
    template: "'expiry-digest'",
    locale: 'a.locale',
    data: `jsonb_build_object('name', a.name, 'organisationName', o.name, 'organisationId', o.id,
                            'listPath', ${sqlText(LIST_PATH_PREFIX)} || o.id, 'items', p.items)`,
  })}
)
SELECT (SELECT count(*) FROM notices)::int AS notices, (SELECT count(*) FROM digests)::int AS digests,
       (SELECT count(*) FROM tokens)::int AS tokens`

export class ExpiryService {
  constructor(private readonly db: Db) {}

  /** One scan for `today` (default: the real today, UTC date). */
  async scan(options: { today?: Date } = {}): Promise<ExpiryScanResult> {
    const today = isoDate(todayUtc(options.today ?? new Date()))
    return this.db.$transaction((tx) => runExpiryScan(tx, today), { timeout: 120_000, maxWait: 10_000 })
  }
}

/** The scan inside the caller's transaction (the benchmark rolls it back). `today` is YYYY-MM-DD. */
export async function runExpiryScan(tx: Tx, today: string): Promise<ExpiryScanResult> {
  const [expired] = await tx.$queryRawUnsafe<{ mandates: number; means: number; means_holders: string[] }[]>(EXPIRE_SQL, today, ACTOR_LABEL)
  // Rule 3 for the holders of the means just expired: a later statement, so it sees their new status;
  // before the digests, which go to active admins only.
  const actor = systemActor(ACTOR_LABEL)
  const ended = await applyMeansEnded(tx, actor, expired?.means_holders ?? [])
  // Rule 17: means opgezegd for today end now, and rules 1 and 3 follow.
  const cancelled = await endScheduledMeans(tx, actor, today)
  const endedPendingMandates = await lapseLinkRequests(tx, actor, new Date(`${today}T00:00:00Z`))
  const [queued] = await tx.$queryRawUnsafe<{ notices: number; digests: number }[]>(NOTICE_SQL, today, RENEWAL_LINK_GRACE_DAYS)
  const chains = await runChainExpiry(tx, today, ACTOR_LABEL)
  const result = {
    expiredMandates: Number(expired?.mandates ?? 0),
    expiredMeans: Number(expired?.means ?? 0),
    endedAdminMandates: ended.adminMandates + cancelled.adminMandates,
    endedUseMandates: ended.useMandates + cancelled.useMandates,
    cancelledMeans: cancelled.means,
    endedPendingMandates,
    notices: Number(queued?.notices ?? 0),
    digests: Number(queued?.digests ?? 0),
    ...chains,
  }
  if (result.notices + result.digests + result.chainNotices > 0) await wakeMailWorker(tx)
  return result
}
