// The statements of the expiry scan's batches (scanBatches.ts runs them, each in its batch's transaction).
// Each reads a bounded slice by index and leaves marks that make a rerun skip what it did:
//   EXPIRE_MANDATES_SQL up to $3 ended mandates (index (status, valid_until)) become 'expired' with an
//                       audit entry; the status is the mark. EXPIRE_MEANS_SQL the same for means.
//   noticeBatchSql(k)   the next $3 candidates of kind k (active, ending within two months) after the cursor
//                       ($4, $5) in (valid_until, id) order (index (status, valid_until, id)); queues the notice
//                       at the most urgent threshold reached unless its key is queued already (the outbox key
//                       is the mark), with its renewal token, and stages one digest item per organisation
//                       (expiry_digest_items) in the same statement.
//   DIGEST_BATCH_SQL    the staged items of the next $2 organisations (primary key order) become one
//                       'expiry-digest' per admin of each organisation, and leave the staging table.
import { auditInsertFrom } from '../../shared/audit.ts'
import { queueMailsFrom } from '../../shared/outbox.ts'
import { links } from '../../paths.ts'

/** A constant as an SQL string literal. */
const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`
// The mails' links, finished in SQL: links.renewal(token) and links.mandates({ organisatie: id }).
// Tokens are hex and ids UUIDs, so nothing needs encoding (tests/web/paths.test.ts checks the prefixes).
export const RENEW_PATH_PREFIX = links.renewal('')
export const LIST_PATH_PREFIX = `${links.mandates()}?organisatie=`

const MANDATE_LIVE = ['active', 'pending', 'suspended']
const MEANS_LIVE = ['active', 'suspended']
const ended = (statuses: string[]) => `status IN (${statuses.map((s) => `'${s}'`).join(', ')}) AND valid_until < $1::date`
// The first $3 ended rows, by the index (status, valid_until, id) read in order for each status: a plain
// `status IN (…) LIMIT` lets the planner scan the table from the start, which rereads the part emptied
// by earlier batches (quadratic over a catch-up).
const pickEnded = (table: string, statuses: string[]) =>
  statuses.map((status) => `(SELECT id FROM ${table} WHERE status = '${status}' AND valid_until < $1::date ORDER BY valid_until LIMIT $3)`).join(' UNION ALL ')

type ExpiredAudit = { action: string; subjectType: string; organisationId: string }
/** Up to $3 ended rows of `table` ($1 today) become 'expired', each with an audit entry ($2 the actor label). */
function expireSql(table: string, statuses: string[], returning: string, audit: ExpiredAudit, select = ''): string {
  return `
WITH picked AS MATERIALIZED (
  SELECT id FROM (${pickEnded(table, statuses)}) p LIMIT $3
), expired AS (
  UPDATE ${table} SET status = 'expired', updated_at = now()
  WHERE id IN (SELECT id FROM picked) AND ${ended(statuses)}
  RETURNING id, valid_until, ${returning}
), audit AS (
  ${auditInsertFrom('expired x', {
    actorLabel: '$2',
    ...audit,
    subjectId: 'x.id::text',
    after: "jsonb_build_object('status', 'expired', 'validUntil', x.valid_until)",
  })}
)
SELECT (SELECT count(*) FROM picked)::int AS picked, (SELECT count(*) FROM expired)::int AS expired${select}`
}

export const EXPIRE_MANDATES_SQL = expireSql('mandates', MANDATE_LIVE, 'organisation_id', {
  action: "'mandate.expired'",
  subjectType: "'mandate'",
  organisationId: 'x.organisation_id',
})
/** Also returns the holders, for rules 1 and 3. */
export const EXPIRE_MEANS_SQL = expireSql(
  'means',
  MEANS_LIVE,
  'user_id',
  { action: "'means.expired'", subjectType: "'means'", organisationId: 'NULL' },
  `,\n       (SELECT coalesce(array_agg(DISTINCT user_id::text), '{}') FROM expired) AS holders`,
)

export type NoticeKind = 'mandate' | 'means'

// The batch: the next $3 candidates after the cursor (valid_until $4, id $5; both NULL at the start, which
// reads as "after the last id of yesterday"), one range of the index (status, valid_until, id).
const batchOf = (table: string) => `
  SELECT * FROM ${table}
  WHERE status = 'active'
    AND (valid_until, id) > (coalesce($4::date, $1::date - 1), coalesce($5::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
    AND valid_until <= ($1::date + interval '2 months')::date
  ORDER BY valid_until, id
  LIMIT $3`

const ITEMS: Record<NoticeKind, string> = {
  mandate: `
  SELECT 'mandate'::text AS kind, m.id, m.user_id, m.organisation_id, m.valid_until, m.level::text AS level,
         m.scope::text AS scope, s.name AS service_name, p.name AS provider_name, o.name AS organisation_name
  FROM batch m
  JOIN organisations o ON o.id = m.organisation_id
  LEFT JOIN services s ON s.id = m.service_id
  LEFT JOIN service_providers p ON p.id = m.provider_id`,
  means: `
  SELECT 'means'::text AS kind, me.id, me.user_id, NULL::uuid AS organisation_id, me.valid_until, me.level::text AS level,
         NULL::text AS scope, NULL::text AS service_name, NULL::text AS provider_name, NULL::text AS organisation_name
  FROM batch me`,
}

// The organisations whose digest lists a sent notice: a mandate's own; a means': every one its holder is linked to.
const DIGEST_ORGANISATIONS: Record<NoticeKind, string> = {
  mandate: `SELECT s.organisation_id AS org_id, s.* FROM sent s`,
  means: `SELECT l.organisation_id AS org_id, s.* FROM sent s JOIN organisation_links l ON l.user_id = s.user_id`,
}

/** One batch of notices of one kind ($1 today, $2 renewal-link grace days, $3 batch size, $4/$5 the cursor). */
export function noticeBatchSql(kind: NoticeKind): string {
  return `
WITH batch AS MATERIALIZED (${batchOf(kind === 'mandate' ? 'mandates' : 'means')}
), items AS (${ITEMS[kind]}
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
), staged AS (
  INSERT INTO expiry_digest_items (organisation_id, notice_key, day, valid_until, holder_name, item)
  SELECT d.org_id, d.key, $1::date, d.valid_until, d.holder_name,
         jsonb_strip_nulls(jsonb_build_object(
           'holderName', d.holder_name, 'kind', d.kind, 'threshold', d.threshold,
           'validUntil', to_char(d.valid_until, 'YYYY-MM-DD'), 'level', d.level,
           'scope', d.scope, 'serviceName', d.service_name, 'providerName', d.provider_name,
           'renewPath', ${sqlText(RENEW_PATH_PREFIX)} || d.token))
  FROM (${DIGEST_ORGANISATIONS[kind]}) d
  ON CONFLICT DO NOTHING
  RETURNING 1
), last AS (
  SELECT to_char(valid_until, 'YYYY-MM-DD') AS valid_until, id::text AS id FROM batch ORDER BY valid_until DESC, id DESC LIMIT 1
)
SELECT (SELECT count(*) FROM batch)::int AS candidates, (SELECT count(*) FROM notices)::int AS notices,
       (SELECT count(*) FROM tokens)::int AS tokens, (SELECT count(*) FROM staged)::int AS staged,
       (SELECT valid_until FROM last) AS last_valid_until, (SELECT id FROM last) AS last_id`
}

/** One batch of digests: the items staged for the next $2 organisations ($1 today, the digest's day). */
export const DIGEST_BATCH_SQL = `
WITH orgs AS MATERIALIZED (
  SELECT DISTINCT organisation_id FROM expiry_digest_items ORDER BY organisation_id LIMIT $2
), taken AS (
  DELETE FROM expiry_digest_items d USING orgs WHERE d.organisation_id = orgs.organisation_id
  RETURNING d.organisation_id, d.notice_key, d.valid_until, d.holder_name, d.item
), per_org AS (
  SELECT t.organisation_id AS org_id, jsonb_agg(t.item ORDER BY t.valid_until, t.holder_name, t.notice_key) AS items
  FROM taken t
  GROUP BY t.organisation_id
), admins AS (
  SELECT DISTINCT am.organisation_id AS org_id, u.id AS user_id, u.email,
         CASE WHEN u.locale = 'en' THEN 'en' ELSE 'nl' END AS locale,
         concat_ws(' ', u.first_name, u.last_name_prefix, u.last_name) AS name
  FROM mandates am
  JOIN users u ON u.id = am.user_id
  WHERE am.kind = 'admin' AND am.status = 'active' AND am.valid_until >= $1::date
    AND am.organisation_id IN (SELECT organisation_id FROM orgs)
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
SELECT (SELECT count(*) FROM orgs)::int AS organisations, (SELECT count(*) FROM digests)::int AS digests`
