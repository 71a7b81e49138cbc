// npm run bench:mandates — the Machtigingen list at scale, against a floor route.
//
// Seeds (or reuses) one organisation with 10,000 users and 100,000 mandates in its own database
// (BENCH_DATABASE_URL, else an embedded PostgreSQL in .data/bench on EMBEDDED_PG_PORT), starts the
// app on PORT, logs in as the bench admin (session cookie), and runs autocannon against:
//   floor      GET /beheer/floor (bench-only route: session check + layout, nothing else)
//   first      GET /beheer/machtigingen (25 rows, the default page size)
//   filtered   GET /beheer/machtigingen?niveau=EH3&gebruiker=...
//   inactive   GET /beheer/machtigingen?niveau=EH2_PLUS&inactief=1
//   deep       GET /beheer/machtigingen?na=<cursor ~75% into the list>
// in 2-second rounds, each list page taking turns with the floor, and prints requests/s and p95
// latency of each; then times a bulk renewal, a bulk revoke and a bulk suspend of 1,000 mandates each
// (through the confirmation mechanism: preview with digest, then the bound action), and afmelden of a
// person with 1,000 mandates. BENCH_ONLY=bulk BENCH_DURATION=2 skips the list pages (2 s of floor only).
// Options: BENCH_CONNECTIONS (10), BENCH_DURATION seconds (20), BENCH_ONLY (comma-separated run names:
// floor,first,filtered,inactive,deep; the floor always runs, for the comparison), BENCH_PER (rows a
// page: 25, the default, 50 or 100).
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import pino from 'pino'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { applyMigrations, projectRoot } from '../src/db/migrations.ts'
import { hashPassword } from '../src/shared/passwords.ts'
import { currentTotp } from '../src/shared/totp.ts'
import { seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'
import { AuthService } from '../src/features/auth/authService.ts'
import { allow } from '../src/policy/access.ts'
import { createServices } from '../src/services.ts'

const USERS = 10_000
const MANDATES_PER_USER = 10
const KVK = '99887766'
const ADMIN_EMAIL = 'bench.admin@bench.example'
const PASSWORD = 'Bench-wachtwoord-2026'
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const duration = Number(process.env.BENCH_DURATION ?? 20)
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim())

// Production settings (view cache on) as a deployment would run, but cookies over plain HTTP on localhost.
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'false',
  SESSION_SECRET: 'bench-session-secret-bench-session-secret',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  BASE_URL: `http://127.0.0.1:${process.env.PORT ?? 3000}`,
  COOKIE_SECURE: 'false',
})
const embedded = process.env.BENCH_DATABASE_URL
  ? { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  : await startEmbeddedPostgres({ dir: path.join(projectRoot, '.data/bench'), port: config.embeddedPg.port, database: 'bench' })
let exitCode = 0
try {
  await applyMigrations(embedded.url)
  const services = createServices(config, embedded.url, { logger: pino({ level: 'silent' }) })
  const db = services.db
  await seedServiceCatalogue(db)

  // ------------------------------------------------------------------------------------------
  // Seed (set-based: INSERT … SELECT generate_series), once
  let org = await db.organisation.findUnique({ where: { kvkNumber: KVK } })
  if (!org) {
    const started = performance.now()
    console.log(`seeding ${USERS} users and ${USERS * MANDATES_PER_USER} mandates …`)
    org = await db.organisation.create({ data: { kvkNumber: KVK, name: 'Benchmark Groothandel B.V.' } })
    const admin = await db.user.create({
      data: {
        firstName: 'Bea',
        lastName: 'Beheerder',
        dateOfBirth: new Date('1980-01-01'),
        email: ADMIN_EMAIL,
        passwordHash: await hashPassword(PASSWORD),
        totpSecret: TOTP,
        totpEnabledAt: new Date(),
      },
    })
    const today = new Date(new Date().toISOString().slice(0, 10))
    const until = new Date(today)
    until.setUTCFullYear(until.getUTCFullYear() + 4)
    await db.means.create({ data: { userId: admin.id, level: 'EH4', status: 'active', validFrom: today, validUntil: until } })
    await db.organisationLink.create({ data: { userId: admin.id, organisationId: org.id } })
    await db.mandate.create({
      data: { kind: 'admin', userId: admin.id, organisationId: org.id, scope: 'all', level: 'EH4', validFrom: today, validUntil: until, status: 'active' },
    })
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

  // ------------------------------------------------------------------------------------------
  // The app, with a floor route spliced in before the 404 handler (bench only)
  const app = createApp(services)
  app.get('/beheer/floor', allow('admin'), (_req, res) => {
    res.render(path.join(projectRoot, 'scripts/bench/floor.ejs'), { title: 'Floor', section: 'beheer', subsection: 'mandates' })
  })
  const stack = (app as unknown as { router: { stack: unknown[] } }).router.stack
  const floorLayer = stack.pop()!
  stack.splice(stack.length - 2, 0, floorLayer) // before the 404 handler and the error handler
  const server = app.listen(config.port, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const base = `http://127.0.0.1:${config.port}`

  // Log in with password and TOTP, keep the session cookie.
  const loginPage = await fetch(`${base}/inloggen`)
  const cookie0 = loginPage.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!
  // A TOTP code logs in once; a second run within the same 30 s would otherwise be refused.
  await services.db.user.updateMany({ where: { emailKey: ADMIN_EMAIL.toLowerCase() }, data: { totpLastStep: null } })
  const login = await fetch(`${base}/inloggen`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie0 },
    body: new URLSearchParams({ _csrf: csrf, email: ADMIN_EMAIL, password: PASSWORD, code: currentTotp(TOTP) }).toString(),
  })
  if (login.status !== 303) throw new Error(`login failed: ${login.status}`)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')

  // A cursor about 90% into the default list (active and pending, by end date).
  const deepRow = await db.$queryRaw<{ valid_until: Date; id: string }[]>`
    select valid_until, id from mandates where organisation_id = ${org.id}::uuid and kind = 'use' and status in ('active', 'pending')
    order by valid_until, id offset ${Math.floor(USERS * MANDATES_PER_USER * 0.75)} limit 1`
  const deep = `${deepRow[0]!.valid_until.toISOString().slice(0, 10)}_${deepRow[0]!.id}`
  // The page size ("Aantal per pagina"): the default unless BENCH_PER says 25, 50 or 100.
  const per = process.env.BENCH_PER ? `per=${encodeURIComponent(process.env.BENCH_PER)}` : ''

  const targets = [
    { key: 'floor', name: 'floor', path: '/beheer/floor' },
    { key: 'first', name: 'list: first page', path: `/beheer/machtigingen?${per}` },
    { key: 'filtered', name: 'list: filtered', path: `/beheer/machtigingen?niveau=EH3&gebruiker=Bench%2000042&${per}` },
    { key: 'inactive', name: 'list: filtered (level + inactive)', path: `/beheer/machtigingen?niveau=EH2_PLUS&inactief=1&${per}` },
    { key: 'deep', name: 'list: deep page', path: `/beheer/machtigingen?na=${deep}&${per}` },
  ].filter((t) => !only || t.key === 'floor' || only.includes(t.key))
  for (const target of targets) {
    const check = await fetch(base + target.path, { headers: { cookie }, redirect: 'manual' })
    const html = await check.text()
    if (check.status !== 200) throw new Error(`${target.path} answered ${check.status}`)
    target.name += ` (${(html.match(/<th scope="row"/g) ?? []).length} rows)`
  }

  // The load generator runs in a worker thread: in the server's own event loop it would take the
  // server's CPU time and count its own parsing of the responses as server latency.
  type Run = { latencies: number[]; seconds: number; non2xx: number; errors: number }
  function run(url: string, seconds: number): Promise<Run> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(path.join(projectRoot, 'scripts/bench/load-worker.mjs'), { workerData: { url, connections, duration: seconds, cookie } })
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  }
  function summary(runs: Run[]) {
    const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
    const seconds = runs.reduce((sum, r) => sum + r.seconds, 0)
    return {
      rps: latencies.length / seconds,
      p95: latencies[Math.floor(latencies.length * 0.95)] ?? Number.NaN,
      non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    }
  }

  // This machine's speed drifts by a third from one minute to the next (a shared host). So the floor
  // and each list page take turns in short rounds, and each list page is compared with the floor
  // rounds interleaved with its own.
  const rounds = Math.max(1, Math.round(duration / 2))
  const slice = duration / rounds
  console.log(`\nautocannon: ${connections} connections, ${duration} s per measure, in ${rounds} rounds taking turns with the floor`)
  const floorTarget = targets[0]!
  const listTargets = targets.slice(1)
  // Warm-up (JIT, caches, connection pools), not counted.
  await run(base + (listTargets[0] ?? floorTarget).path, 2)
  await run(base + floorTarget.path, 2)
  const line = (name: string, r: { rps: number; p95: number; non2xx: number }) =>
    console.log(`${name.padEnd(52)} ${r.rps.toFixed(0).padStart(6)} req/s   p95 ${r.p95.toFixed(1).padStart(6)} ms   non-2xx ${r.non2xx}`)
  const results: { name: string; rps: number; p95: number; non2xx: number; floor: number }[] = []
  if (listTargets.length === 0) line(floorTarget.name, summary([await run(base + floorTarget.path, duration)]))
  for (const target of listTargets) {
    const floorRuns: Run[] = []
    const listRuns: Run[] = []
    for (let i = 0; i < rounds; i++) {
      floorRuns.push(await run(base + floorTarget.path, slice))
      listRuns.push(await run(base + target.path, slice))
    }
    const floor = summary(floorRuns)
    const r = summary(listRuns)
    line(`  ${floorTarget.name}, in turns with the next`, floor)
    line(target.name, r)
    results.push({ name: target.name, ...r, floor: floor.rps })
  }
  console.log("\ntargets: list ≥ 50% of the floor's throughput (the floor run just before it), p95 < 50 ms")
  for (const r of results) {
    const share = (r.rps / r.floor) * 100
    const ok = share >= 50 && r.p95 < 50 && r.non2xx === 0
    if (!ok) exitCode = 1
    console.log(`${r.name.padEnd(52)} ${share.toFixed(0).padStart(4)}% of floor   p95 ${r.p95.toFixed(1)} ms   ${ok ? 'OK' : 'MISSED'}`)
  }
  server.close()
  server.closeAllConnections()

  // ------------------------------------------------------------------------------------------
  // Bulk renewal of 1,000 mandates (one set-based UPDATE, one audit insert, one mail insert)
  const adminId = (await db.user.findFirstOrThrow({ where: { email: ADMIN_EMAIL } })).id
  const principal = (await new AuthService(db).loadPrincipal(adminId))!
  const actor = { principal, label: principal.email, ipAddress: '127.0.0.1', requestId: 'bench', locale: 'nl' as const }
  const pick = (n: number) => db.$queryRaw<{ id: string }[]>`
    select id from mandates where organisation_id = ${org.id}::uuid and kind = 'use' and status = 'active'
      and valid_until < current_date + interval '3 years' order by random() limit ${n}`
  // A small warm-up renewal first (connection, plan and JIT caches), then the measured 1,000.
  await services.mandateLifecycleService.renew(actor, { ids: (await pick(100)).map((r) => r.id) }, 1)
  const ids = await pick(1000)
  const started = performance.now()
  const outcomes = await services.mandateLifecycleService.renew(actor, { ids: ids.map((r) => r.id) }, 1)
  const ms = performance.now() - started
  const renewed = outcomes.filter((o) => !o.refusal).length
  console.log(
    `\nbulk renewal: ${outcomes.length} mandates (${renewed} renewed, ${outcomes.length - renewed} refused) in ${ms.toFixed(0)} ms   ${ms < 1000 ? 'OK' : 'MISSED'} (target < 1 s)`,
  )
  if (ms >= 1000) exitCode = 1

  // ------------------------------------------------------------------------------------------
  // Bulk revoke and bulk suspend of 1,000 mandates each, as the confirmation page and its POST do
  // them: preview (count, refusals, digest), then run (lock, digest again, set-based change, audit, mails).
  const timeBulk = async (action: 'revoke' | 'suspend') => {
    await services.mandateBulkService.run(
      actor,
      action,
      { ids: (await pick(100)).map((r) => r.id) },
      (await services.mandateBulkService.preview(principal, action, { ids: (await pick(100)).map((r) => r.id) }))!.digest,
    )
    const selection = { ids: (await pick(1000)).map((r) => r.id) }
    const t0 = performance.now()
    const preview = (await services.mandateBulkService.preview(principal, action, selection))!
    const t1 = performance.now()
    const result = await services.mandateBulkService.run(actor, action, selection, preview.digest)
    const t2 = performance.now()
    const done = result.status === 'done' ? result.outcomes.filter((o) => o.done).length : 0
    const runMs = t2 - t1
    console.log(
      `bulk ${action}: ${preview.total} mandates (${done} changed) in ${runMs.toFixed(0)} ms (confirmation page's preview ${(t1 - t0).toFixed(0)} ms)   ${runMs < 1000 && done === preview.total ? 'OK' : 'MISSED'} (target < 1 s)`,
    )
    if (runMs >= 1000 || done !== preview.total) exitCode = 1
    // Put them back, so the list pages measure the same data on the next run (bench database only).
    await db.$executeRaw`update mandates set status = 'active', revoked_at = null where id = any(${selection.ids}::uuid[])`
  }
  await timeBulk('revoke')
  await timeBulk('suspend')

  // ------------------------------------------------------------------------------------------
  // Afmelden of a person with 1,000 mandates: one per service active, the rest expired (only one
  // live mandate per scope can exist), all revoked by afmelden with the link ended.
  const leaverMandates = 1000
  const leaver = await db.user.create({
    data: { firstName: 'Vertrekker', lastName: `Bench ${Date.now()}`, dateOfBirth: new Date('1980-01-01'), email: `bench.leaver.${Date.now()}@bench.example` },
  })
  await db.$executeRaw`insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
    values (gen_random_uuid(), ${leaver.id}::uuid, 'EH4', 'active', current_date - 100, current_date + 1000, now())`
  await db.organisationLink.create({ data: { userId: leaver.id, organisationId: org.id } })
  await db.$executeRaw`
    with s as (select id, required_level, row_number() over (order by id) - 1 as n, count(*) over () as total from services)
    insert into mandates (id, kind, user_id, organisation_id, scope, service_id, level, valid_from, valid_until, status, updated_at)
    select gen_random_uuid(), 'use', ${leaver.id}::uuid, ${org.id}::uuid, 'service', s.id, s.required_level, current_date - 400,
           case when g < s.total then current_date + 300 else current_date - 1 - (g % 60) end,
           (case when g < s.total then 'active' else 'expired' end)::"MandateStatus", now()
    from generate_series(0, ${leaverMandates - 1}::int) g join s on s.n = g % s.total`
  const o0 = performance.now()
  const offPreview = await services.offboardService.preview(principal, org.id, [leaver.id])
  const o1 = performance.now()
  const off = await services.offboardService.offboard(actor, org.id, [leaver.id], offPreview.digest)
  const o2 = performance.now()
  const offMs = o2 - o1
  const revokedCount = off.status === 'done' ? off.mandates : 0
  console.log(
    `afmelden: 1 person with ${offPreview.mandateCount} mandates (${revokedCount} revoked, link ended) in ${offMs.toFixed(0)} ms (confirmation page's preview ${(o1 - o0).toFixed(0)} ms)   ${offMs < 1000 && revokedCount === leaverMandates ? 'OK' : 'MISSED'} (target < 1 s)`,
  )
  if (offMs >= 1000 || revokedCount !== leaverMandates) exitCode = 1
  await services.close()
} finally {
  await embedded.stop()
}
process.exit(exitCode)
