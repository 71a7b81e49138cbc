// The organisation of the Machtigingen benchmarks (npm run bench:mandates and bench:mandates-export): 10,000
// users with 10 mandates each, seeded once (set-based: INSERT … SELECT generate_series) and reused.
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { applyMigrations } from '../../src/db/migrations.ts'
import type { Db } from '../../src/db/tx.ts'
import { seedServiceCatalogue } from '../../src/features/demo/seedDemo.ts'
import { createServices } from '../../src/services.ts'
import { benchConfig, openBenchDatabase, seedBenchAdmin } from './harness.ts'

export const USERS = 10_000
export const MANDATES_PER_USER = 10
const KVK = '99887766'
const ADMIN_EMAIL = 'bench.admin@bench.example'
const PASSWORD = 'Bench-wachtwoord-2026'
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
/** The bench organisation's admin (EH4, admin mandate for everything), to log in with. */
export const BENCH_ADMIN = { email: ADMIN_EMAIL, password: PASSWORD, totpSecret: TOTP }

/** Seeds the bench organisation unless it exists; prints and returns it with its counts of users and use mandates. */
export async function seedMandatesBench(db: Db) {
  let org = await db.organisation.findUnique({ where: { kvkNumber: KVK } })
  if (!org) {
    const started = performance.now()
    console.log(`seeding ${USERS} users and ${USERS * MANDATES_PER_USER} mandates …`)
    org = await db.organisation.create({ data: { kvkNumber: KVK, name: 'Benchmark Groothandel B.V.' } })
    await seedBenchAdmin(db, org.id, BENCH_ADMIN, { firstName: 'Bea', lastName: 'Beheerder' })
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`
          insert into users (id, first_name, last_name, date_of_birth, email, updated_at)
          select gen_random_uuid(), 'Gebruiker', 'Bench ' || lpad(g::text, 5, '0'), date '1970-01-01' + (g % 10000),
                 'bench.user' || g || '@bench.example', now()
          from generate_series(1, ${USERS}::int) g`
        await tx.$executeRaw`
          insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
          select gen_random_uuid(), u.id, 'EH4', 'active', current_date - 100, current_date + 1000, now()
          from users u where u.email like 'bench.user%@bench.example'`
        await tx.$executeRaw`
          insert into organisation_links (id, user_id, organisation_id)
          select gen_random_uuid(), u.id, ${org!.id}::uuid from users u where u.email like 'bench.user%@bench.example'`
        // Ten distinct services per user; statuses ~80% active, 5% pending, 10% expired, 5% revoked;
        // end dates spread over the coming 4 years (expired ones in the past year).
        await tx.$executeRaw`
          with s as (select id, required_level, row_number() over (order by id) - 1 as n, count(*) over () as total from services),
          u as (select id, row_number() over (order by email) as n from users where email like 'bench.user%@bench.example'),
          g as (
            select u.id as user_id, u.n as un, k, (u.n * 10 + k) as seq from u cross join generate_series(0, ${MANDATES_PER_USER - 1}::int) k
          )
          insert into mandates (id, kind, user_id, organisation_id, scope, service_id, level, valid_from, valid_until, status, updated_at)
          select gen_random_uuid(), 'use', g.user_id, ${org!.id}::uuid, 'service', s.id, s.required_level,
                 case when g.seq % 20 in (1, 2) then current_date - 400 + (g.seq % 300)::int else current_date - 300 end,
                 case when g.seq % 20 in (1, 2) then current_date - 1 - (g.seq % 60)::int else current_date + 1 + ((g.seq * 7919) % 1450)::int end,
                 (case when g.seq % 20 in (1, 2) then 'expired' when g.seq % 20 = 3 then 'revoked' when g.seq % 20 = 4 then 'pending' else 'active' end)::"MandateStatus",
                 now()
          from g join s on s.n = (g.un + g.k * 3) % s.total`
      },
      { timeout: 600_000 },
    )
    await db.$executeRaw`analyze`
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  const counts = await db.$queryRaw<{ users: bigint; mandates: bigint }[]>`
    select (select count(*) from organisation_links where organisation_id = ${org.id}::uuid) as users,
           (select count(*) from mandates where organisation_id = ${org.id}::uuid and kind = 'use') as mandates`
  console.log(`organisation "${org.name}": ${counts[0]!.users} users, ${counts[0]!.mandates} mandates`)
  return { org, users: Number(counts[0]!.users), mandates: Number(counts[0]!.mandates) }
}

/**
 * The bench database (migrated, catalogue and organisation seeded) and the services on it, with production
 * settings. Stop `embedded` when done.
 */
export async function startMandatesBench() {
  const config = benchConfig(`http://127.0.0.1:${process.env.PORT ?? 3000}`)
  const embedded = await openBenchDatabase({ dir: '.data/bench', port: config.embeddedPg.port, database: 'bench' })
  try {
    await applyMigrations(embedded.url)
    const services = createServices(config, embedded.url, { logger: pino({ level: 'silent' }) })
    await seedServiceCatalogue(services.db)
    return { embedded, services, ...(await seedMandatesBench(services.db)) }
  } catch (error) {
    await embedded.stop()
    throw error
  }
}
