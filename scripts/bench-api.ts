// npm run bench:api — the JSON API at scale (issue 15).
//
// Own database: BENCH_DATABASE_URL, else an embedded PostgreSQL in .data/bench-api (port BENCH_PG_PORT,
// default 54341), seeded once: one organisation with 10,000 users (EH4 means, linked) and 50,000
// mandates. Then:
//   1. The Machtigingen list through the API (GET /api/v1/mandates, bearer token) beside the HTML
//      list page (GET /beheer/machtigingen, session) and the floor route (session + layout only), in
//      2-second rounds taking turns with the floor (scripts/bench/harness.ts), BENCH_DURATION seconds
//      each (default 20), BENCH_CONNECTIONS (10). Target: the API at least as fast as the page.
//   2. 10,000 grants through POST /api/v1/mandates/batch, in 10 batches of 1,000 (one per user, scope
//      "all" at EH2), each batch one transaction with its audit entries and queued mails, counted
//      afterwards. Target: under 10 s in all. The grants are removed first, so the run can be repeated.
// BENCH_ONLY=list or BENCH_ONLY=batch runs one part. The load average is printed at start and end.
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { applyMigrations, projectRoot } from '../src/db/migrations.ts'
import { addYears, todayUtc } from '../src/domain/dates.ts'
import { seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'
import { createServices } from '../src/services.ts'
import { systemActor } from '../src/shared/actor.ts'
import { API_SCOPES } from '../src/shared/apiTokens.ts'
import { benchConfig, logInForBench, machineLoad, pagesAgainstFloor, seedBenchAdmin, startBenchServer } from './bench/harness.ts'

const USERS = 10_000
const KVK = '99887755'
const ADMIN = { email: 'bench.api@bench.example', password: 'Bench-wachtwoord-2026', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const duration = Number(process.env.BENCH_DURATION ?? 20)
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim())
const BATCH_TARGET_S = 10

// The list is measured at full speed: a limit of 600 a minute would answer most requests with 429.
// Each request still counts in the PostgreSQL store, as in production.
const config = benchConfig('http://127.0.0.1:3000', { API_REQUESTS_PER_MINUTE: '1000000' })
type Services = ReturnType<typeof createServices>

async function seed(services: Services) {
  const db = services.db
  let org = await db.organisation.findUnique({ where: { kvkNumber: KVK } })
  if (org) return org
  const started = performance.now()
  console.log(`seeding ${USERS} users and ${USERS * 5} mandates …`)
  org = await db.organisation.create({ data: { kvkNumber: KVK, name: 'API Benchmark B.V.' } })
  await seedBenchAdmin(db, org.id, ADMIN, { firstName: 'Bram', lastName: 'Beheerder' })
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        insert into users (id, first_name, last_name, date_of_birth, email, updated_at)
        select gen_random_uuid(), 'Api', 'Gebruiker ' || lpad(g::text, 5, '0'), date '1970-01-01' + (g % 10000), 'api.user' || g || '@bench.example', now()
        from generate_series(1, ${USERS}::int) g`
      await tx.$executeRaw`
        insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
        select gen_random_uuid(), u.id, 'EH4', 'active', current_date - 100, current_date + 1000, now() from users u where u.email like 'api.user%@bench.example'`
      await tx.$executeRaw`
        insert into organisation_links (id, user_id, organisation_id)
        select gen_random_uuid(), u.id, ${org.id}::uuid from users u where u.email like 'api.user%@bench.example'`
      await tx.$executeRaw`
        with s as (select id, required_level, row_number() over (order by id) - 1 as n, count(*) over () as total from services),
        u as (select id, row_number() over (order by email) as n from users where email like 'api.user%@bench.example')
        insert into mandates (id, kind, user_id, organisation_id, scope, service_id, level, valid_from, valid_until, status, updated_at)
        select gen_random_uuid(), 'use', u.id, ${org.id}::uuid, 'service', s.id, s.required_level, current_date - 300,
               current_date + 1 + ((u.n * 5 + k) * 7919 % 1450)::int, 'active', now()
        from u cross join generate_series(0, 4) k join s on s.n = (u.n + k * 3) % s.total`
    },
    { timeout: 600_000 },
  )
  await db.$executeRaw`analyze`
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return org
}

/** An API client of the bench admin with every scope, and a token. */
async function apiToken(services: Services, base: string, organisationId: string): Promise<string> {
  const admin = await services.db.user.findUniqueOrThrow({ where: { emailKey: ADMIN.email } })
  const principal = (await services.authService.loadPrincipal(admin.id))!
  const { client, secret } = await services.apiClientsService.create(
    principal,
    { ...systemActor(), principal },
    { organisationId, name: `bench ${Date.now()}`, scopes: [...API_SCOPES], level: 'EH4', validUntil: addYears(todayUtc(), 1) },
  )
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret }).toString(),
  })
  return ((await response.json()) as { access_token: string }).access_token
}

async function benchList(base: string, cookie: string, token: string): Promise<boolean> {
  const api = { name: 'API GET /api/v1/mandates (25)', path: '/api/v1/mandates?limit=25', headers: { authorization: `Bearer ${token}` } }
  const page: { name: string; path: string; headers?: Record<string, string> } = { name: 'HTML /beheer/machtigingen (25)', path: '/beheer/machtigingen' }
  for (const p of [api, page]) {
    const response = await fetch(base + p.path, { headers: { cookie, ...(p.headers ?? {}) }, redirect: 'manual' })
    if (response.status !== 200) throw new Error(`${p.path} answered ${response.status}`)
  }
  console.log(`\nMandates list: autocannon, ${connections} connections, ${duration} s each in 2-second rounds taking turns with the floor`)
  const results = await pagesAgainstFloor(base, [api, page], { duration, connections, cookie })
  const fmt = (n: number, d = 0) => n.toFixed(d).padStart(7)
  for (const r of results) {
    console.log(`  floor (in turns)                   ${fmt(r.floor.rps)} req/s   p95 ${fmt(r.floor.p95, 1)} ms`)
    console.log(
      `  ${r.name.padEnd(33)}  ${fmt(r.page.rps)} req/s   p95 ${fmt(r.page.p95, 1)} ms   ${((r.page.rps / r.floor.rps) * 100).toFixed(0)} % of the floor   non-2xx ${r.page.non2xx}`,
    )
  }
  // Each against its own floor rounds, as the host's speed drifts between minutes.
  const [a, h] = results.map((r) => r.page.rps / r.floor.rps)
  const ok = a! >= h! && results.every((r) => r.page.non2xx === 0)
  console.log(`  API ${(a! * 100).toFixed(0)} % of its floor, page ${(h! * 100).toFixed(0)} % of its floor: API at least as fast: ${ok ? 'met' : 'MISSED'}`)
  return ok
}

async function benchBatch(services: Services, base: string, token: string, organisationId: string): Promise<boolean> {
  const db = services.db
  // Repeatable: the previous run's grants go (their audit rows and mails stay, as history).
  await db.mandate.deleteMany({ where: { organisationId, kind: 'use', scope: 'all' } })
  const users = await db.organisationLink.findMany({
    where: { organisationId, user: { email: { startsWith: 'api.user' } } },
    select: { userId: true },
    take: USERS,
  })
  const startAudit = await db.auditEvent.count({ where: { action: 'mandate.granted' } })
  const startMail = await db.outgoingMail.count({ where: { template: 'mandates-granted' } })
  console.log(`\nBatch: ${users.length} grants (scope all, EH2, 1 year) in batches of 1,000 through POST /api/v1/mandates/batch`)
  const started = performance.now()
  let granted = 0
  for (let i = 0; i < users.length; i += 1000) {
    const operations = users
      .slice(i, i + 1000)
      .map((u) => ({ op: 'grant', organisationId, userId: u.userId, level: 'EH2', termYears: 1, items: [{ scope: 'all' }] }))
    const t0 = performance.now()
    const response = await fetch(`${base}/api/v1/mandates/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operations }),
    })
    const body = (await response.json()) as { succeeded?: number; detail?: string }
    if (response.status !== 200) throw new Error(`batch ${i / 1000 + 1}: ${response.status} ${body.detail}`)
    granted += body.succeeded ?? 0
    console.log(`  batch ${String(i / 1000 + 1).padStart(2)}: ${body.succeeded} granted in ${(performance.now() - t0).toFixed(0)} ms`)
  }
  const seconds = (performance.now() - started) / 1000
  const audit = (await db.auditEvent.count({ where: { action: 'mandate.granted' } })) - startAudit
  const mails = (await db.outgoingMail.count({ where: { template: 'mandates-granted' } })) - startMail
  const ok = seconds < BATCH_TARGET_S && granted === users.length && audit === granted && mails === granted
  console.log(
    `  ${granted} mandates granted in ${seconds.toFixed(2)} s, ${audit} audit entries, ${mails} mails queued   target < ${BATCH_TARGET_S} s: ${ok ? 'met' : 'MISSED'}`,
  )
  return ok
}

const embedded = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(projectRoot, '.data/bench-api'), port: Number(process.env.BENCH_PG_PORT ?? 54341), database: 'bench_api' })
let exitCode = 0
try {
  await applyMigrations(embedded.url)
  const services = createServices(config, embedded.url, { logger: pino({ level: 'silent' }) })
  await seedServiceCatalogue(services.db)
  const org = await seed(services)
  await services.db.user.updateMany({ where: { emailKey: ADMIN.email }, data: { totpLastStep: null } })
  const server = await startBenchServer(services, 'mandates')
  try {
    console.log(`machine at the start: ${machineLoad()}`)
    const cookie = await logInForBench(server.base, ADMIN)
    const token = await apiToken(services, server.base, org.id)
    if (!only || only.includes('list')) if (!(await benchList(server.base, cookie, token))) exitCode = 1
    if (!only || only.includes('batch')) if (!(await benchBatch(services, server.base, token, org.id))) exitCode = 1
    console.log(`\nmachine at the end: ${machineLoad()}`)
  } finally {
    server.close()
  }
  await services.close()
} finally {
  await embedded.stop()
}
process.exit(exitCode)
