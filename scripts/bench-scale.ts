// npm run bench:scale — every Beheer page at the scale of issue 17.
//
// Database: scripts/bench/scaleDatabase.ts (.data/bench-scale, or BENCH_DATABASE_URL), seeded once
// per seed version (scripts/bench/scaleSeed.ts: 10,000 organisations, 1,000,000 persons, 10,000,000
// mandates, one organisation with 1,000,000 of them, one accountant who administers 500
// organisations); `--reseed` seeds again; `--seed-only` stops after seeding.
// Then, with the app in its own process (scripts/bench/scaleServer.ts, its RSS sampled):
//   0. the vacuum autovacuum would start now (settleAutovacuum), so it does not run during the load;
//   1. each page once with auto_explain on: the plans of the statements it runs, to
//      docs/bench-scale-plans.txt;
//   2. each page under load (BENCH_CONNECTIONS, default 10; BENCH_DURATION seconds, default 4, in
//      2-second rounds taking turns with the floor route), for the 1M-mandate organisation's admin
//      and for the accountant: req/s, share of the floor, p95, each with its target;
//   3. bulk renewal, revoke and suspend of 10,000 mandates (the services the pages use), the daily
//      expiry scan over all mandates (rolled back, so runs repeat), and the database's size.
// BENCH_ONLY: comma-separated substrings of page names to load (the rest is skipped); BENCH_SKIP=pages,ops
// skips part 3 (pages: part 2). The machine's load average is printed beside the figures (a shared host).
import pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { poolConfigFromUrl } from '../src/db/poolConfig.ts'
import { createPrismaClient } from '../src/db/prisma.ts'
import { seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'
import { machineLoad } from './bench/harness.ts'
import { migrate, recreateDatabase, settleAutovacuum, startScaleDatabase, databaseSize } from './bench/scaleDatabase.ts'
import { SEED_VERSION, repairCounters, seedScale, seededVersion } from './bench/scaleSeed.ts'
import { runScaleBench } from './bench/scaleRun.ts'

const args = new Set(process.argv.slice(2))
const config = loadConfig()
const database = await startScaleDatabase(Number(process.env.BENCH_PG_PORT ?? config.embeddedPg.port + 3))
let exitCode = 0
try {
  console.log(`bench:scale — ${new Date().toISOString()}, ${machineLoad()}`)
  let client = new pg.Client(poolConfigFromUrl(database.url))
  await client.connect()
  const version = await seededVersion(client).catch(() => null)
  if (args.has('--reseed') || version !== SEED_VERSION) {
    await client.end()
    await recreateDatabase(database.url)
    await migrate(database.url)
    const db = createPrismaClient(database.url, 1)
    await seedServiceCatalogue(db)
    await db.$disconnect()
    client = new pg.Client(poolConfigFromUrl(database.url))
    await client.connect()
    console.log(`seeding (${SEED_VERSION}) …`)
    await seedScale(client, (line) => console.log(line))
  } else {
    await migrate(database.url)
    console.log(`reusing the database seeded as ${version}`)
    await repairCounters(client, (line) => console.log(line))
  }
  await client.end()
  for (const line of await settleAutovacuum(database.url)) console.log(line)
  console.log(`database size: ${await databaseSize(database.url)}   (${machineLoad()})`)
  if (!args.has('--seed-only')) exitCode = await runScaleBench(database)
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  await database.stop()
}
process.exit(exitCode)
