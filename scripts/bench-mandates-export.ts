// npm run bench:mandates-export — "Exporteren als CSV" on Machtigingen at scale.
//
// Seeds (or reuses: the same database and organisation as npm run bench:mandates) one organisation with
// 10,000 users and 100,000 mandates, starts the app in this process on PORT, logs in as the bench admin,
// and downloads GET /beheer/machtigingen/export.csv?inactief=1 (every mandate) BENCH_RUNS times (3).
// Prints per run: time to the first byte, time to the whole file, rows, bytes, and the growth of the
// process's RSS over the RSS before the first run (sampled every 10 ms while the file streams). The
// first run is cold (nothing of the list read before it); the reads alone are timed after the runs.
// Wall-clock times depend on what else the machine runs; the CPU time of this process is printed too.
// Targets: first byte < 200 ms, whole file < 5 s, RSS growth < 50 MB.
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { applyMigrations, projectRoot } from '../src/db/migrations.ts'
import { hashPassword } from '../src/shared/passwords.ts'
import { currentTotp } from '../src/shared/totp.ts'
import { seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'
import { createServices } from '../src/services.ts'

const USERS = 10_000
const MANDATES_PER_USER = 10
const KVK = '99887766'
const ADMIN_EMAIL = 'bench.admin@bench.example'
const PASSWORD = 'Bench-wachtwoord-2026'
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

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
  const app = createApp(services)
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

  const runs = Number(process.env.BENCH_RUNS ?? 3)
  const url = `${base}/beheer/machtigingen/export.csv?inactief=1`
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  let rssPeak = rssBefore
  // Where the growth is: V8's heap (objects, garbage not yet collected) or buffers (bytes queued
  // somewhere because a writer did not wait for its reader).
  const peak = { heapTotal: 0, arrayBuffers: 0 }
  const sampler = setInterval(() => {
    const usage = process.memoryUsage()
    rssPeak = Math.max(rssPeak, usage.rss)
    peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal)
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers)
  }, 10)
  const results: { firstByteMs: number; totalMs: number; rows: number; bytes: number }[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    const cpu = process.cpuUsage()
    const response = await fetch(url, { headers: { cookie } })
    if (response.status !== 200 || !response.body) throw new Error(`export failed: ${response.status}`)
    let firstByteMs = 0
    let bytes = 0
    let newlines = 0
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!firstByteMs) firstByteMs = performance.now() - started
      bytes += chunk.length
      for (const byte of chunk) if (byte === 10) newlines++
    }
    const totalMs = performance.now() - started
    const cpuUsed = process.cpuUsage(cpu)
    const cpuS = (cpuUsed.user + cpuUsed.system) / 1e6
    results.push({ firstByteMs, totalMs, rows: newlines - 1, bytes })
    console.log(
      `run ${run + 1}: first byte ${firstByteMs.toFixed(0)} ms, whole file ${(totalMs / 1000).toFixed(2)} s, ` +
        `${newlines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB, CPU of this process (app and client) ${cpuS.toFixed(2)} s, RSS growth so far ${((rssPeak - rssBefore) / 1e6).toFixed(1)} MB (peak V8 heap ${(peak.heapTotal / 1e6).toFixed(0)} MB, buffers ${(peak.arrayBuffers / 1e6).toFixed(1)} MB)`,
    )
  }
  clearInterval(sampler)
  // With --expose-gc: what is left after a full collection (kept objects) versus the peak (garbage).
  if (global.gc) {
    global.gc()
    const after = process.memoryUsage()
    console.log(`after a full GC: heap used ${(after.heapUsed / 1e6).toFixed(1)} MB, RSS ${((after.rss - rssBefore) / 1e6).toFixed(1)} MB over the start`)
  }
  const expected = Number(counts[0]!.mandates)
  const worst = { firstByteMs: Math.max(...results.map((r) => r.firstByteMs)), totalMs: Math.max(...results.map((r) => r.totalMs)) }
  const growthMb = (rssPeak - rssBefore) / 1e6
  console.log(
    `export of ${expected} mandates, worst of ${runs}: first byte ${worst.firstByteMs.toFixed(0)} ms (< 200), ` +
      `whole file ${(worst.totalMs / 1000).toFixed(2)} s (< 5), RSS growth ${growthMb.toFixed(1)} MB (< 50)`,
  )
  if (results.some((r) => r.rows !== expected)) {
    console.error(`row count differs from ${expected}: ${results.map((r) => r.rows).join(', ')}`)
    exitCode = 1
  }
  // The reads alone (the list's statement, page after page, no CSV, no HTTP), for comparison.
  {
    const principal = (await services.authService.loadPrincipal((await db.user.findFirstOrThrow({ where: { emailKey: ADMIN_EMAIL } })).id))!
    const started = performance.now()
    let rows = 0
    let pages = 0
    for await (const page of services.mandateListService.allPages(principal, { inactive: true })) {
      rows += page.length
      pages++
    }
    console.log(`reads only: ${rows} rows in ${pages} pages, ${((performance.now() - started) / 1000).toFixed(2)} s`)
  }
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await services.close()
} finally {
  await embedded.stop()
}
process.exit(exitCode)
