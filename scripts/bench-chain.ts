// npm run bench:chain — ketenmachtigingen at scale (issue 14).
//
// Own database: BENCH_DATABASE_URL, else an embedded PostgreSQL in .data/bench-chain (port
// BENCH_PG_PORT, default EMBEDDED_PG_PORT + 2), seeded once (scripts/bench/chainSeed.ts): an
// intermediary with 5,000 clients and 50,000 assignments, and 1,000,000 mandates of 100,000 persons.
// Then:
//   1. Klanten (Beheer → Ketenmachtigingen → Klanten, the intermediary's admin): autocannon
//      (BENCH_CONNECTIONS, default 10, in a worker thread) on the first page and a deep page, each in
//      2-second rounds taking turns with the floor route (session + layout only), BENCH_DURATION
//      seconds each (default 20). Target: p95 < 100 ms (the share of the floor is printed beside it).
//   2. authorisations.check: its one statement over BENCH_CHECKS (default 3,000) random questions,
//      timed by PostgreSQL (EXPLAIN (ANALYZE) EXECUTE of the prepared statement), with its plan.
//      Target: p95 < 1 ms (planning + execution). The round trip through pg and check() through
//      Prisma are printed for information.
// BENCH_ONLY=klanten or BENCH_ONLY=check runs one part. The machine's load average is printed at the
// start and the end: on a shared host, compare with the floor of the same run, not across runs.
import pg from 'pg'
import pino from 'pino'
import { applyMigrations } from '../src/db/migrations.ts'
import { poolConfigFromUrl } from '../src/db/poolConfig.ts'
import { seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'
import { createServices } from '../src/services.ts'
import { BENCH_CHAIN, seedChainBench } from './bench/chainSeed.ts'
import { sampleQuestions, spread, timeCheck } from './bench/checkTiming.ts'
import { benchConfig, logInForBench, machineLoad, openBenchDatabase, pagesAgainstFloor, percentile, startBenchServer } from './bench/harness.ts'

const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const duration = Number(process.env.BENCH_DURATION ?? 20)
const checks = Number(process.env.BENCH_CHECKS ?? 3000)
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim())
const KLANTEN_P95_MS = 100
const CHECK_P95_MS = 1

const config = benchConfig('http://127.0.0.1:3000')

async function benchKlanten(services: ReturnType<typeof createServices>): Promise<boolean> {
  await services.db.user.updateMany({ where: { emailKey: BENCH_CHAIN.adminEmail }, data: { totpLastStep: null } })
  const server = await startBenchServer(services, 'chains')
  try {
    const cookie = await logInForBench(server.base, { email: BENCH_CHAIN.adminEmail, password: BENCH_CHAIN.password, totpSecret: BENCH_CHAIN.totpSecret })
    const pages = [
      { name: 'Klanten: first page', path: '/beheer/ketenmachtigingen/klanten' },
      { name: 'Klanten: deep page (90 of 100)', path: '/beheer/ketenmachtigingen/klanten?pagina=90' },
    ]
    for (const page of pages) {
      const response = await fetch(server.base + page.path, { headers: { cookie }, redirect: 'manual' })
      const html = await response.text()
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`)
      page.name += ` (${(html.match(/<tr class="utrecht-table__row">\s*<td/g) ?? []).length} rows)`
    }
    console.log(`\nKlanten: autocannon, ${connections} connections, ${duration} s per page in 2-second rounds taking turns with the floor`)
    const results = await pagesAgainstFloor(server.base, pages, { duration, connections, cookie })
    let met = true
    const fmt = (n: number, d = 0) => n.toFixed(d).padStart(7)
    for (const r of results) {
      const share = (r.page.rps / r.floor.rps) * 100
      const ok = r.page.p95 < KLANTEN_P95_MS && r.page.non2xx === 0
      met &&= ok
      console.log(`  floor (in turns)                          ${fmt(r.floor.rps)} req/s   p95 ${fmt(r.floor.p95, 1)} ms`)
      console.log(
        `  ${r.name.padEnd(40)}  ${fmt(r.page.rps)} req/s   p95 ${fmt(r.page.p95, 1)} ms   ${share.toFixed(0)} % of the floor   non-2xx ${r.page.non2xx}   target p95 < ${KLANTEN_P95_MS} ms: ${ok ? 'met' : 'MISSED'}`,
      )
    }
    return met
  } finally {
    server.close()
  }
}

async function benchCheck(client: pg.Client, services: ReturnType<typeof createServices>): Promise<boolean> {
  console.log(`\nauthorisations.check: ${checks} random questions (50 % a mandate holder at its organisation, 35 % an employee at a client, 15 % unrelated)`)
  const samples = await sampleQuestions(client, checks)
  const t = await timeCheck(client, services.db, samples)
  const p95 = percentile(t.server, 0.95)
  const ok = p95 < CHECK_P95_MS
  console.log(`  in PostgreSQL (planning + execution):   ${spread(t.server)}   target p95 < ${CHECK_P95_MS} ms: ${ok ? 'met' : 'MISSED'}`)
  for (const [kind, xs] of Object.entries(t.serverByKind)) console.log(`    ${kind.padEnd(7)} ${spread(xs)}`)
  console.log(`  round trip through pg (prepared):       ${spread(t.roundTrip)}`)
  console.log(`  check() through Prisma:                  ${spread(t.prisma)}   (${t.allowed} of ${t.samples} allowed)`)
  for (const plan of t.plans) console.log(`\n  plan (${plan.kind}):\n${plan.text.replace(/^/gm, '    ')}`)
  return ok
}

const embedded = await openBenchDatabase({
  dir: '.data/bench-chain',
  port: Number(process.env.BENCH_PG_PORT ?? config.embeddedPg.port + 2),
  database: 'bench_chain',
})
let exitCode = 0
try {
  await applyMigrations(embedded.url)
  const services = createServices(config, embedded.url, { logger: pino({ level: 'silent' }) })
  await seedServiceCatalogue(services.db)
  const client = new pg.Client(poolConfigFromUrl(embedded.url))
  await client.connect()
  await seedChainBench(client)
  // As autovacuum would have done by now (a migration may have rewritten the chain tables since the seed).
  await client.query('vacuum analyze chain_mandates, chain_assignments')
  const counts = (
    await client.query(`select (select count(*) from chain_mandates)::int as chains, (select count(*) from chain_assignments)::int as assignments,
      (select count(*) from mandates)::int as mandates, (select count(*) from users)::int as users`)
  ).rows[0]
  console.log(`data: ${JSON.stringify(counts)}`)
  console.log(`machine at the start: ${machineLoad()}`)
  if (!only || only.includes('klanten')) if (!(await benchKlanten(services))) exitCode = 1
  if (!only || only.includes('check')) if (!(await benchCheck(client, services))) exitCode = 1
  console.log(`\nmachine at the end: ${machineLoad()}`)
  await client.end()
  await services.close()
} finally {
  await embedded.stop()
}
process.exit(exitCode)
