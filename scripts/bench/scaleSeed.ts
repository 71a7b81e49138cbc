// The data of `npm run bench:scale`, written set-based inside PostgreSQL (INSERT … SELECT over
// generate_series: nothing crosses the wire, which beats COPY FROM STDIN here), with the tables'
// secondary indexes dropped during the load and built again afterwards (one sorted build each
// instead of ten million random inserts), and triggers off (session_replication_role = replica:
// the seed writes scope_key, live, email_key and the members' names itself and is valid by
// construction; Overzicht's organisation_counters are counted once at the end).
//
//   10,000 organisations; 1,000,000 persons, each with one means (EH4) and one membership;
//   10 mandates per person (10,000,000): 80 % active, 5 % pending, 10 % expired, 5 % revoked;
//   organisation 1 ("Groot") has 100,000 members and so 1,000,000 mandates; the other 9,999 have ~90
//   members (900 mandates) each; one admin per organisation, and one accountant who administers
//   organisations 2–501; 2,000,000 audit entries (10 % of them at Groot), 5 link requests and
//   3 applications per organisation.
import type pg from 'pg'
import { hashPassword } from '../../src/shared/passwords.ts'

/** BENCH_SCALE_DIVISOR (default 1) shrinks everything, to try the seed quickly. */
const DIVISOR = Number(process.env.BENCH_SCALE_DIVISOR ?? 1)
export const SEED_VERSION = `scale-1${DIVISOR === 1 ? '' : `/${DIVISOR}`}`
export const ORGANISATIONS = 10_000 / DIVISOR
export const PERSONS = 1_000_000 / DIVISOR
export const BIG_MEMBERS = 100_000 / DIVISOR
export const MANDATES_PER_PERSON = 10
export const AUDIT_ROWS = 2_000_000 / DIVISOR
export const ACCOUNTANT_ORGS = 500 / DIVISOR
export const BIG_KVK = '70000001'
export const BIG_ADMIN = { email: 'groot.beheerder@bench.example', password: 'Bench-wachtwoord-2026', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }
export const ACCOUNTANT = { email: 'accountant@bench.example', password: 'Bench-wachtwoord-2026', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' }

const TABLES = ['organisations', 'users', 'means', 'organisation_links', 'mandates', 'audit_events', 'link_requests', 'applications']

/** Person n's organisation number (1 = Groot), as SQL over the expression `n`. */
const orgOf = (n: string) => `(case when ${n} <= ${BIG_MEMBERS} then 1 else 2 + (${n} - ${BIG_MEMBERS + 1}) % ${ORGANISATIONS - 1} end)`

type Step = { name: string; sql: string }

function steps(adminHash: string): Step[] {
  return [
    {
      name: 'organisations',
      sql: `insert into organisations (id, kvk_number, name, created_at, updated_at)
        select gen_random_uuid(), (70000000 + g)::text, case when g = 1 then 'Groot Leverancier B.V.' else 'Klant ' || lpad(g::text, 5, '0') || ' B.V.' end, now(), now()
        from generate_series(1, ${ORGANISATIONS}) g`,
    },
    { name: 'organisation numbers', sql: `create table bench_org as select row_number() over (order by kvk_number)::int as n, id from organisations` },
    {
      name: 'persons',
      sql: `insert into users (id, first_name, last_name, date_of_birth, email, email_key, created_at, updated_at)
        select gen_random_uuid(), (array['Anna','Bram','Carla','Daan','Eva','Finn','Greet','Hugo','Iris','Joost'])[1 + g % 10],
               'Persoon ' || lpad(g::text, 7, '0'), date '1960-01-01' + (g % 15000), 'persoon' || g || '@bench.example', 'persoon' || g || '@bench.example', now(), now()
        from generate_series(1, ${PERSONS}) g`,
    },
    {
      name: 'person numbers',
      sql: `create table bench_person as select substr(split_part(email_key, '@', 1), 8)::int as n, id from users where email_key like 'persoon%@bench.example'`,
    },
    {
      name: 'means',
      sql: `insert into means (id, user_id, level, status, valid_from, valid_until, issued_at, created_at, updated_at)
        select gen_random_uuid(), p.id, 'EH4', 'active', current_date - 300, current_date + 100 + p.n % 1400, now(), now(), now() from bench_person p`,
    },
    {
      name: 'memberships',
      // The member names the triggers would copy (they are off during the seed).
      sql: `insert into organisation_links (id, user_id, organisation_id, last_name, first_name, created_at)
        select gen_random_uuid(), p.id, o.id, 'Persoon ' || lpad(p.n::text, 7, '0'), (array['Anna','Bram','Carla','Daan','Eva','Finn','Greet','Hugo','Iris','Joost'])[1 + p.n % 10], now()
        from bench_person p join bench_org o on o.n = ${orgOf('p.n')}`,
    },
    {
      // 10 distinct services per person; most active mandates end beyond the two-month notice window
      // (their notices would have gone out on earlier days), 1 in 200 inside it.
      name: 'mandates',
      sql: `with s as (select id, required_level, (row_number() over (order by id) - 1)::int as i, count(*) over ()::int as total from services)
        insert into mandates (id, kind, user_id, organisation_id, scope, service_id, level, valid_from, valid_until, status, scope_key, live, created_at, updated_at)
        select gen_random_uuid(), 'use', p.id, o.id, 'service', s.id, s.required_level, current_date - 300,
               case when x.st = 'expired' then current_date - 1 - (x.seq % 200)
                    when x.seq % 200 = 7 then current_date + (x.seq % 60)
                    else current_date + 61 + ((x.seq::bigint * 7919) % 1160)::int end,
               x.st::"MandateStatus", 'service:' || s.id, case when x.st in ('active', 'pending') then true end, now(), now()
        from bench_person p
        join bench_org o on o.n = ${orgOf('p.n')}
        cross join generate_series(0, ${MANDATES_PER_PERSON - 1}) k
        cross join lateral (select p.n * 10 + k as seq,
                                   case (p.n * 10 + k) % 20 when 1 then 'expired' when 2 then 'expired' when 3 then 'revoked' when 4 then 'pending' else 'active' end as st) x
        join s on s.i = (p.n + k * 3) % s.total`,
    },
    {
      name: 'admins',
      sql: `insert into users (id, first_name, last_name, date_of_birth, email, email_key, password_hash, totp_secret, totp_enabled_at, created_at, updated_at)
        select gen_random_uuid(), 'Beheerder', 'Organisatie ' || lpad(o.n::text, 5, '0'), date '1975-01-01', 'beheerder' || o.n || '@bench.example',
               'beheerder' || o.n || '@bench.example', case when o.n = 1 then '${adminHash}' end, case when o.n = 1 then '${BIG_ADMIN.totpSecret}' end, now(), now(), now()
        from bench_org o;
        update users set email = '${BIG_ADMIN.email}', email_key = '${BIG_ADMIN.email}' where email_key = 'beheerder1@bench.example';
        insert into users (id, first_name, last_name, date_of_birth, email, email_key, password_hash, totp_secret, totp_enabled_at, created_at, updated_at)
        values (gen_random_uuid(), 'Alex', 'Accountant', date '1970-05-05', '${ACCOUNTANT.email}', '${ACCOUNTANT.email}', '${adminHash}', '${ACCOUNTANT.totpSecret}', now(), now(), now());
        create table bench_admin as
          select o.n, o.id as org_id, u.id as user_id from bench_org o join users u on u.email_key = case when o.n = 1 then '${BIG_ADMIN.email}' else 'beheerder' || o.n || '@bench.example' end
          union all
          select o.n, o.id, u.id from bench_org o join users u on u.email_key = '${ACCOUNTANT.email}' where o.n between 2 and ${ACCOUNTANT_ORGS + 1};
        insert into means (id, user_id, level, status, valid_from, valid_until, issued_at, created_at, updated_at)
          select gen_random_uuid(), u.id, 'EH4', 'active', current_date - 300, current_date + 1200, now(), now(), now()
          from users u where u.email_key like 'beheerder%' or u.email_key in ('${BIG_ADMIN.email}', '${ACCOUNTANT.email}');
        insert into organisation_links (id, user_id, organisation_id, last_name, first_name, created_at)
          select gen_random_uuid(), a.user_id, a.org_id, u.last_name, u.first_name, now() from bench_admin a join users u on u.id = a.user_id;
        insert into mandates (id, kind, user_id, organisation_id, scope, level, valid_from, valid_until, status, scope_key, live, created_at, updated_at)
          select gen_random_uuid(), 'admin', a.user_id, a.org_id, 'all', 'EH4', current_date - 300, current_date + 1200, 'active', 'all', true, now(), now() from bench_admin a`,
    },
    {
      name: 'audit entries',
      sql: `insert into audit_events (at, actor_id, actor_label, action, organisation_id, subject_type, subject_id, after, ip_address, request_id)
        select now() - make_interval(secs => (${AUDIT_ROWS} - g) * 15), a.user_id, 'beheerder' || a.n || '@bench.example',
               (array['mandate.granted','mandate.renewed','mandate.revoked','link_request.accepted'])[1 + g % 4],
               a.org_id, case when g % 4 = 3 then 'link_request' else 'mandate' end, gen_random_uuid()::text,
               case when g % 4 = 0 then jsonb_build_object('scope', 'service', 'level', 'EH3', 'status', 'active', 'validUntil', (current_date + 365)::text)
                    when g % 4 = 1 then jsonb_build_object('validUntil', (current_date + 365)::text)
                    when g % 4 = 2 then jsonb_build_object('status', 'revoked') end,
               '192.0.2.' || (g % 250), 'bench-' || g
        from generate_series(1, ${AUDIT_ROWS}) g
        join bench_admin a on a.n = (case when g % 10 = 0 then 1 else 2 + g % ${ORGANISATIONS - 1} end)
          and (a.n = 1 or a.n > ${ACCOUNTANT_ORGS + 1} or a.user_id <> (select id from users where email_key = '${ACCOUNTANT.email}'))`,
    },
    {
      name: 'link requests',
      sql: `insert into link_requests (id, user_id, email, organisation_id, requested_by_id, status, created_at, expires_at, decided_at)
        select gen_random_uuid(), p.id, null, a.org_id, a.user_id, (case when k < 2 then 'pending' else 'accepted' end)::"LinkRequestStatus",
               now() - make_interval(days => k * 20), now() - make_interval(days => k * 20) + interval '14 days', case when k >= 2 then now() - make_interval(days => k * 20 - 1) end
        from bench_admin a cross join generate_series(0, 4) k
        join bench_person p on p.n = 1 + (a.n * 97 + k * 7919) % ${PERSONS}
        where a.user_id <> (select id from users where email_key = '${ACCOUNTANT.email}') or a.n = 1`,
    },
    {
      name: 'applications',
      sql: `insert into applications (id, organisation_id, type, status, level, term_years, subject_user_id, requested_by_id, created_at, updated_at, decided_at)
        select gen_random_uuid(), a.org_id, (array['new_means','mandates','renewal'])[1 + k]::"ApplicationType",
               (array['awaiting_signature','issued','issued'])[1 + k]::"ApplicationStatus", 'EH3', 1, a.user_id, a.user_id,
               now() - make_interval(days => k * 30), now(), case when k > 0 then now() - make_interval(days => k * 30 - 1) end
        from bench_admin a cross join generate_series(0, 2) k
        where a.user_id <> (select id from users where email_key = '${ACCOUNTANT.email}') or a.n = 1`,
    },
  ]
}

/** The non-constraint indexes of the seeded tables (names and definitions), to drop and build again. */
async function secondaryIndexes(client: pg.Client): Promise<{ name: string; def: string }[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1) and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [TABLES],
  )
  return rows
}

/** Seeds an empty, migrated database; prints each step's time. */
export async function seedScale(client: pg.Client, log: (line: string) => void): Promise<void> {
  const started = performance.now()
  const time = async (name: string, sql: string) => {
    const t0 = performance.now()
    await client.query(sql)
    log(`  ${name.padEnd(26)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s`)
  }
  await client.query(`set session_replication_role = replica`)
  await client.query(`set synchronous_commit = off`)
  await client.query(`set maintenance_work_mem = '1GB'`)
  await client.query(`set max_parallel_maintenance_workers = 2`)
  await client.query(`set work_mem = '256MB'`)
  const indexes = await secondaryIndexes(client)
  for (const index of indexes) await client.query(`drop index "${index.name}"`)
  for (const step of steps(await hashPassword(BIG_ADMIN.password))) await time(step.name, step.sql)
  for (const index of indexes) await time(`index ${index.name}`.slice(0, 26), index.def)
  await time('organisation counters', COUNT_ORGANISATIONS_SQL)
  await client.query(`drop table bench_org, bench_person, bench_admin`)
  await time('vacuum analyze', `vacuum (analyze) organisations, users, means, organisation_links, mandates, audit_events, link_requests, applications`)
  await client.query(`create table if not exists bench_scale_meta (version text primary key, seeded_at timestamptz not null default now(), seconds numeric)`)
  await client.query(`insert into bench_scale_meta (version, seconds) values ($1, $2)`, [SEED_VERSION, ((performance.now() - started) / 1000).toFixed(1)])
  await client.query(`set session_replication_role = origin`)
  log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

/** Overzicht's counters, which the triggers keep but the seed (triggers off) does not write. */
export const COUNT_ORGANISATIONS_SQL = 'select refresh_organisation_counters()'

/**
 * A database seeded before the seed counted organisation_counters (up to session 12) has none for
 * 9,999 of its organisations, so its Overzicht showed 0 users and 0 mandates: counts them once.
 */
export async function repairCounters(client: pg.Client, log: (line: string) => void): Promise<void> {
  const { rows } = await client.query<{ counted: boolean }>(`select exists (select 1 from organisation_counters where counter = 'users') as counted`)
  if (rows[0]?.counted) return
  const t0 = performance.now()
  await client.query(COUNT_ORGANISATIONS_SQL)
  log(
    `organisation_counters were never counted in this database (seeded before the seed counted them): counted in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
}

/** The version the database was seeded with, or null (empty or never finished). */
export async function seededVersion(client: pg.Client): Promise<string | null> {
  const exists = await client.query(`select to_regclass('bench_scale_meta') is not null as present`)
  if (!exists.rows[0].present) return null
  const { rows } = await client.query<{ version: string }>(`select version from bench_scale_meta order by seeded_at desc limit 1`)
  return rows[0]?.version ?? null
}
