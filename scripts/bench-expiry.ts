// npm run bench:expiry — the expiry scan over 1,000,000 mandates and 200,000 means.
// Own database: BENCH_DATABASE_URL, else an embedded server in .data/bench-expiry (port
// BENCH_PG_PORT, default EMBEDDED_PG_PORT + 1). Seeded once with INSERT … SELECT generate_series
// (the per-row triggers are disabled during the bulk seed and enabled again). Each run times the scan
// (in a transaction that is rolled back, so runs repeat) beside a bare SELECT of the same rows.
// The timed scan is the daily one (yesterday's scan has run); the one-off catch-up scan over the
// fresh seed is timed and printed once as well.
// Goal: scan < 10 s and ≤ 3 × the bare select.
import path from 'node:path'
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { applyMigrations, projectRoot } from '../src/db/migrations.ts'
import { poolConfigFromUrl } from '../src/db/poolConfig.ts'
import { createPrismaClient } from '../src/db/prisma.ts'
import { DEFAULT_BATCH_SIZES, type BatchSizes } from '../src/features/expiry/scanBatches.ts'
import { nextUnscannedDay, summary, timedRun, type TimedRun } from './bench/expiryRun.ts'
import { addDays, isoDate, todayUtc } from '../src/domain/dates.ts'

const USERS = 200_000
const ORGANISATIONS = 20_000
const MANDATES_PER_USER = 5 // 1,000,000 mandates

const BARE_SELECT = `
SELECT m.id, m.valid_until, m.level, m.scope, u.email, u.locale, u.first_name, u.last_name_prefix, u.last_name, o.name, s.name, p.name
FROM mandates m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id
LEFT JOIN services s ON s.id = m.service_id LEFT JOIN service_providers p ON p.id = m.provider_id
WHERE m.status = 'active' AND m.valid_until >= $1::date AND m.valid_until <= ($1::date + interval '2 months')::date
UNION ALL
SELECT me.id, me.valid_until, me.level, NULL, u.email, u.locale, u.first_name, u.last_name_prefix, u.last_name, NULL, NULL, NULL
FROM means me JOIN users u ON u.id = me.user_id
WHERE me.status = 'active' AND me.valid_until >= $1::date AND me.valid_until <= ($1::date + interval '2 months')::date
UNION ALL
SELECT id, valid_until, level, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM mandates WHERE status IN ('active', 'pending') AND valid_until < $1::date
UNION ALL
SELECT id, valid_until, level, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM means WHERE status = 'active' AND valid_until < $1::date`

async function seed(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM mandates')
  if (rows[0].n >= USERS * MANDATES_PER_USER) return false
  if (rows[0].n > 0) throw new Error('The bench database holds other data: remove .data/bench-expiry (or use an empty BENCH_DATABASE_URL).')
  console.log('seeding (once)…')
  const started = Date.now()
  await client.query('BEGIN')
  await client.query('ALTER TABLE users DISABLE TRIGGER USER')
  await client.query('ALTER TABLE mandates DISABLE TRIGGER USER')
  await client.query('ALTER TABLE means DISABLE TRIGGER USER')
  await client.query(`
    INSERT INTO organisations (id, kvk_number, name, created_at, updated_at)
    SELECT gen_random_uuid(), lpad((10000000 + g)::text, 8, '0'), 'Bench organisatie ' || g, now(), now()
    FROM generate_series(1, ${ORGANISATIONS}) g`)
  await client.query(`
    INSERT INTO users (id, first_name, last_name, date_of_birth, email, email_key, locale, created_at, updated_at)
    SELECT gen_random_uuid(), 'Gebruiker', 'Nummer ' || g, DATE '1980-01-01', 'bench' || g || '@bench.example', 'bench' || g || '@bench.example',
           CASE WHEN g % 10 = 0 THEN 'en' ELSE 'nl' END, now(), now()
    FROM generate_series(1, ${USERS}) g`)
  await client.query(`CREATE TEMP TABLE bu AS SELECT id, row_number() OVER (ORDER BY email) AS n FROM users`)
  await client.query(`CREATE TEMP TABLE bo AS SELECT id, row_number() OVER (ORDER BY kvk_number) AS n FROM organisations`)
  // Means: one per user, ends spread over -60 days .. +5 years.
  await client.query(`
    INSERT INTO means (id, user_id, level, status, valid_from, valid_until, created_at, updated_at)
    SELECT gen_random_uuid(), bu.id, 'EH3', 'active', current_date - 400, current_date - 60 + (hashint4(bu.n::int) & 2147483647) % 1860, now(), now()
    FROM bu`)
  // Mandates: five per user at five organisations, scope 'all'; the first user of each organisation is its admin.
  await client.query(`
    INSERT INTO mandates (id, kind, user_id, organisation_id, scope, level, valid_from, valid_until, status, scope_key, live, created_at, updated_at)
    SELECT gen_random_uuid(), CASE WHEN k = 0 AND bu.n <= ${ORGANISATIONS} THEN 'admin'::"MandateKind" ELSE 'use'::"MandateKind" END,
           bu.id, bo.id, 'all', 'EH2', current_date - 400,
           current_date - 60 + (hashint4((bu.n * 7 + k)::int) & 2147483647) % 1860, 'active', 'all', true, now(), now()
    FROM bu CROSS JOIN generate_series(0, ${MANDATES_PER_USER - 1}) k
    JOIN bo ON bo.n = ((bu.n + k * 4001 - 1) % ${ORGANISATIONS}) + 1`)
  await client.query(`
    INSERT INTO organisation_links (id, user_id, organisation_id, created_at)
    SELECT gen_random_uuid(), user_id, organisation_id, now() FROM mandates ON CONFLICT DO NOTHING`)
  await client.query('ALTER TABLE users ENABLE TRIGGER USER')
  await client.query('ALTER TABLE mandates ENABLE TRIGGER USER')
  await client.query('ALTER TABLE means ENABLE TRIGGER USER')
  await client.query('COMMIT')
  await client.query('VACUUM ANALYZE')
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return true
}

/** BENCH_BATCH_SIZES=expire=1000,means=100,notices=2000,digests=200 (any of them; the rest default). */
function batchSizes(): Partial<BatchSizes> {
  const sizes: Partial<BatchSizes> = {}
  for (const part of (process.env.BENCH_BATCH_SIZES ?? '').split(',').filter(Boolean)) {
    const [name, value] = part.split('=')
    if (name !== 'expire' && name !== 'means' && name !== 'notices' && name !== 'digests') throw new Error(`BENCH_BATCH_SIZES: unknown ${name}`)
    sizes[name] = Number(value)
  }
  return sizes
}

/** Prints a run: total, the longest transaction, and per step the batches, their sum and longest. */
function report(label: string, run: TimedRun): { longest: number } {
  const { longest, steps } = summary(run)
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  console.log(
    `${label}: ${s(run.ms)} in ${run.batches.length} batches, longest transaction ${s(longest)}, load average ${run.load.map((l) => l.toFixed(1)).join(' → ')}`,
  )
  for (const step of steps) console.log(`  ${step}`)
  console.log(`  ${JSON.stringify(run.result)}`)
  return { longest }
}

async function main() {
  const config = loadConfig()
  let url = process.env.BENCH_DATABASE_URL
  let stop = async () => {}
  if (!url) {
    const server = await startEmbeddedPostgres({
      dir: process.env.BENCH_PG_DIR ?? path.join(projectRoot, '.data/bench-expiry'),
      port: Number(process.env.BENCH_PG_PORT ?? config.embeddedPg.port + 1),
      database: 'bench_expiry',
      log: (line) => {
        if (process.env.BENCH_VERBOSE) console.error(line)
      },
    })
    url = server.url
    stop = server.stop
  }
  try {
    await applyMigrations(url)
    const client = new pg.Client(poolConfigFromUrl(url))
    await client.connect()
    await seed(client)
    if (process.argv.includes('--seed-only')) {
      await client.end()
      return
    }
    const counts = (await client.query(`SELECT (SELECT count(*) FROM mandates)::int AS mandates, (SELECT count(*) FROM means)::int AS means`)).rows[0]
    const db = createPrismaClient(url, 2)
    const sizes = batchSizes()
    console.log(JSON.stringify({ ...counts, batchSizes: { ...DEFAULT_BATCH_SIZES, ...sizes } }))
    // The catch-up: the first run over the fresh seed (yesterday), once.
    const { rows: done } = await client.query('SELECT count(*)::int AS n FROM outgoing_mail')
    if (done[0].n === 0) {
      report('catch-up scan (first run over the fresh seed, yesterday)', await timedRun(db, isoDate(addDays(todayUtc(), -1)), sizes))
      await client.query('VACUUM ANALYZE')
    }
    // The daily scan in steady state: the first day from today on that has not been scanned (each run
    // commits, so a second bench run scans the day after).
    const day = await nextUnscannedDay(db)
    const t0 = performance.now()
    const bare = await client.query(BARE_SELECT, [day])
    const select = performance.now() - t0
    const daily = await timedRun(db, day, sizes)
    await db.$disconnect()
    await client.end()
    const scan = report(`daily scan (${day}; bare select of its ${bare.rowCount} candidate rows ${(select / 1000).toFixed(2)} s)`, daily)
    const ratio = daily.ms / select
    console.log(
      `daily: scan ${(daily.ms / 1000).toFixed(2)} s, ratio to the bare select ${ratio.toFixed(2)}, longest transaction ${(scan.longest / 1000).toFixed(2)} s (goal: < 10 s, ≤ 3, < 5 s)`,
    )
    if (daily.ms >= 10_000 || ratio > 3 || scan.longest >= 5_000) process.exitCode = 1
  } finally {
    await stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
