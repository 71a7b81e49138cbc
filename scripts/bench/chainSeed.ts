// The data of npm run bench:chain, seeded once with INSERT … SELECT generate_series (set-based; the
// per-row triggers of the bulk tables are disabled during the seed and enabled again, so the
// generated rows keep the rules themselves: scope keys, live flags, levels within means and chain):
//   - one intermediary (the bench admin administers it) with 1,000 employees (EH4 means);
//   - 5,000 client organisations, each with one ketenmachtiging to it (60 % all services, 30 % one
//     provider, 10 % one service; 2 % suspended) and 10 assignments under it: 50,000 assignments;
//   - 100,000 persons (EH4 means) with 10 mandates each at two of the clients (one provider, four services;
//     80 % active, 10 % expired, 5 % revoked, 5 % suspended): 1,000,000 mandates.
import type pg from 'pg'
import { hashPassword } from '../../src/shared/passwords.ts'

export const BENCH_CHAIN = {
  intermediaryKvk: '99880001',
  intermediaryName: 'Benchmark Administratiekantoor B.V.',
  adminEmail: 'bench.kantoor@bench.example',
  password: 'Bench-wachtwoord-2026',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  clients: 5_000,
  assignmentsPerClient: 10,
  employees: 1_000,
  persons: 100_000,
  mandatesPerPerson: 10,
} as const

const B = BENCH_CHAIN
const BULK_TABLES = ['users', 'means', 'mandates', 'chain_mandates', 'chain_assignments']

/** Seeds the bench data unless it is there; true when it seeded. */
export async function seedChainBench(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>('select count(*)::int as n from organisations where kvk_number = $1', [B.intermediaryKvk])
  if (rows[0]!.n > 0) return false
  const { rows: other } = await client.query<{ n: number }>('select count(*)::int as n from mandates')
  if (other[0]!.n > 0) throw new Error('The bench database holds other data: remove .data/bench-chain (or use an empty BENCH_DATABASE_URL).')
  console.log(`seeding (once): ${B.clients} clients, ${B.clients * B.assignmentsPerClient} assignments, ${B.persons * B.mandatesPerPerson} mandates …`)
  const started = Date.now()
  await client.query('begin')
  await seedIntermediary(client)
  for (const table of BULK_TABLES) await client.query(`alter table ${table} disable trigger user`)
  await seedClientsAndChains(client)
  await seedPersonsAndMandates(client)
  for (const table of BULK_TABLES) await client.query(`alter table ${table} enable trigger user`)
  // The counters' triggers were off with the others: count Overzicht's figures once from the tables.
  await client.query('select refresh_organisation_counters()')
  await client.query('commit')
  await client.query('vacuum analyze')
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return true
}

/** The intermediary, its admin (EH4 means, admin mandate) and its employees; triggers on, as the app would. */
async function seedIntermediary(client: pg.Client) {
  await client.query(`insert into organisations (id, kvk_number, name, updated_at) values (gen_random_uuid(), $1, $2, now())`, [
    B.intermediaryKvk,
    B.intermediaryName,
  ])
  await client.query(
    `insert into users (id, first_name, last_name, date_of_birth, email, password_hash, totp_secret, totp_enabled_at, updated_at)
     values (gen_random_uuid(), 'Karin', 'Kantoor', date '1978-03-01', $1, $2, $3, now(), now())`,
    [B.adminEmail, await hashPassword(B.password), B.totpSecret],
  )
  await client.query(`
    insert into users (id, first_name, last_name, date_of_birth, email, updated_at)
    select gen_random_uuid(), 'Medewerker', 'Kantoor ' || lpad(g::text, 4, '0'), date '1975-01-01' + g, 'bench.medewerker' || g || '@bench.example', now()
    from generate_series(1, ${B.employees}) g`)
  const staff = `(select id from users where email = '${B.adminEmail}' or email like 'bench.medewerker%@bench.example')`
  await client.query(`
    insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
    select gen_random_uuid(), id, 'EH4', 'active', current_date - 100, current_date + 1000, now() from ${staff} s`)
  await client.query(`
    insert into organisation_links (id, user_id, organisation_id)
    select gen_random_uuid(), s.id, o.id from ${staff} s, organisations o where o.kvk_number = '${B.intermediaryKvk}'`)
  await client.query(`
    insert into mandates (id, kind, user_id, organisation_id, scope, level, valid_from, valid_until, status, updated_at)
    select gen_random_uuid(), 'admin', u.id, o.id, 'all', 'EH4', current_date - 100, current_date + 1000, 'active', now()
    from users u, organisations o where u.email = '${B.adminEmail}' and o.kvk_number = '${B.intermediaryKvk}'`)
}

/** The clients, one ketenmachtiging each, and ten assignments under each. */
async function seedClientsAndChains(client: pg.Client) {
  await client.query(`
    insert into organisations (id, kvk_number, name, updated_at)
    select gen_random_uuid(), (30000000 + g)::text, 'Klant ' || initcap(substr(md5(g::text), 1, 8)) || ' B.V.', now()
    from generate_series(1, ${B.clients}) g`)
  await client.query(
    `create temp table bc as select id, name, (kvk_number::int - 30000000) as n from organisations where kvk_number between '30000001' and '3${String(B.clients).padStart(7, '0')}'`,
  )
  await client.query(`create temp table bp as select id, row_number() over (order by name) - 1 as n, count(*) over () as total from service_providers`)
  // Services an EH3 chain or assignment may hold (required level at most EH3).
  await client.query(
    `create temp table bs as select id, provider_id, required_level, row_number() over (order by name) - 1 as n, count(*) over () as total from services where required_level <= 'EH3'`,
  )
  await client.query(
    `create temp table be as select id, row_number() over (order by email) - 1 as n from users where email like 'bench.medewerker%@bench.example'`,
  )
  await client.query(`
    insert into chain_mandates (id, organisation_id, intermediary_organisation_id, scope, service_id, provider_id, level, valid_from, valid_until, status, scope_key, live,
      client_name, updated_at)
    select gen_random_uuid(), bc.id, i.id, k.scope::"MandateScope", k.service_id, k.provider_id, k.level::"Level", current_date - 200, current_date + 100 + bc.n % 1400,
           (case when bc.n % 50 = 0 then 'suspended' else 'active' end)::"MandateStatus",
           case k.scope when 'all' then 'all' when 'provider' then 'provider:' || k.provider_id else 'service:' || k.service_id end,
           case when bc.n % 50 = 0 then null else true end, bc.name, now()
    from bc cross join (select id from organisations where kvk_number = '${B.intermediaryKvk}') i
    cross join lateral (
      select case when bc.n % 10 < 6 then 'all' when bc.n % 10 < 9 then 'provider' else 'service' end as scope,
             case when bc.n % 10 = 9 then (select id from bs where bs.n = bc.n % bs.total) end as service_id,
             case when bc.n % 10 between 6 and 8 then (select id from bp where bp.n = bc.n % bp.total) end as provider_id,
             case when bc.n % 10 < 6 and bc.n % 5 = 0 then 'EH4' else 'EH3' end as level) k`)
  // Ten employees per chain; within an all-services chain a third each of all, one provider, one service.
  await client.query(`
    insert into chain_assignments (id, chain_mandate_id, user_id, scope, service_id, provider_id, level, valid_from, valid_until, status, scope_key, live, updated_at)
    select gen_random_uuid(), c.id, be.id, a.scope::"MandateScope", a.service_id, a.provider_id, 'EH3', current_date - 100, c.valid_until,
           (case when k = 9 then 'revoked' else 'active' end)::"MandateStatus",
           case a.scope when 'all' then 'all' when 'provider' then 'provider:' || a.provider_id else 'service:' || a.service_id end,
           case when k = 9 then null else true end, now()
    from chain_mandates c join bc on bc.id = c.organisation_id
    cross join generate_series(0, ${B.assignmentsPerClient - 1}) k
    join be on be.n = (bc.n * 7 + k * 101) % ${B.employees}
    cross join lateral (
      select case when c.scope <> 'all' then c.scope::text when k % 3 = 0 then 'all' when k % 3 = 1 then 'provider' else 'service' end as scope,
             case when c.scope = 'service' then c.service_id when c.scope = 'all' and k % 3 = 2 then (select id from bs where bs.n = (bc.n + k) % bs.total) end as service_id,
             case when c.scope = 'provider' then c.provider_id when c.scope = 'all' and k % 3 = 1 then (select id from bp where bp.n = (bc.n + k) % bp.total) end as provider_id) a`)
}

/** 100,000 persons, each linked to two clients with five mandates at each. */
async function seedPersonsAndMandates(client: pg.Client) {
  await client.query(`
    insert into users (id, first_name, last_name, date_of_birth, email, email_key, updated_at)
    select gen_random_uuid(), 'Persoon', 'Bench ' || lpad(g::text, 6, '0'), date '1960-01-01' + g % 15000,
           'bench.persoon' || g || '@bench.example', 'bench.persoon' || g || '@bench.example', now()
    from generate_series(1, ${B.persons}) g`)
  await client.query(`create temp table bu as select id, row_number() over (order by email) as n from users where email like 'bench.persoon%@bench.example'`)
  await client.query(`
    insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
    select gen_random_uuid(), id, 'EH4', 'active', current_date - 300, current_date + 1200, now() from bu`)
  await client.query(
    `create temp table bsa as select id, provider_id, required_level, row_number() over (order by name) - 1 as n, count(*) over () as total from services`,
  )
  await client.query(`
    insert into organisation_links (id, user_id, organisation_id)
    select gen_random_uuid(), bu.id, bc.id from bu cross join generate_series(0, 1) j join bc on bc.n = (bu.n + j * ${B.clients / 2}) % ${B.clients} + 1`)
  const perOrg = B.mandatesPerPerson / 2
  await client.query(`
    with g as (
      select bu.id as user_id, bu.n, j, k, bc.id as org_id, (bu.n * ${B.mandatesPerPerson} + j * ${perOrg} + k) as seq
      from bu cross join generate_series(0, 1) j cross join generate_series(0, ${perOrg - 1}) k
      join bc on bc.n = (bu.n + j * ${B.clients / 2}) % ${B.clients} + 1
    ), t as (
      select g.*, case when k = 0 then 'provider' else 'service' end as scope,
             case when k = 0 then (select id from bp where bp.n = (g.n + j) % bp.total) end as provider_id,
             s.id as service_id, s.required_level
      from g left join bsa s on k > 0 and s.n = (g.n + j * 11 + k * 7) % s.total
    )
    insert into mandates (id, kind, user_id, organisation_id, scope, service_id, provider_id, level, valid_from, valid_until, status, scope_key, live, updated_at)
    select gen_random_uuid(), 'use', t.user_id, t.org_id, t.scope::"MandateScope", t.service_id, t.provider_id,
           (case when t.scope = 'provider' then 'EH3' else greatest(t.required_level, 'EH2'::"Level")::text end)::"Level",
           case when seq % 20 in (1, 2) then current_date - 400 else current_date - 300 end,
           case when seq % 20 in (1, 2) then current_date - 1 - (seq % 60)::int else current_date + 1 + ((seq * 7919) % 1400)::int end,
           (case when seq % 20 in (1, 2) then 'expired' when seq % 20 = 3 then 'revoked' when seq % 20 = 4 then 'suspended' else 'active' end)::"MandateStatus",
           case when t.scope = 'provider' then 'provider:' || t.provider_id else 'service:' || t.service_id end,
           case when seq % 20 between 1 and 4 then null else true end, now()
    from t`)
}
