// What an HTTP benchmark needs besides its own data (used by bench-chain.ts, bench-mandates.ts and
// bench-mandates-export.ts): production settings, its database, the app with a floor route (session check + layout, nothing else), a logged-in
// session cookie, autocannon in a worker thread, and rounds in which each page takes turns with the floor.
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { createApp } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { startEmbeddedPostgres } from '../../src/db/embedded.ts'
import { projectRoot } from '../../src/db/migrations.ts'
import { allow } from '../../src/policy/access.ts'
import type { Db } from '../../src/db/tx.ts'
import type { Services } from '../../src/services.ts'
import { hashPassword } from '../../src/shared/passwords.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { FLOOR_PATH, serveWithFloor } from './floorServer.ts'

export { FLOOR_PATH } from './floorServer.ts'

/** Production settings (view cache on) as a deployment would run, but cookies over plain HTTP on localhost. */
export function benchConfig(baseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    ...env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SESSION_SECRET: 'bench-session-secret-bench-session-secret',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BASE_URL: baseUrl,
    COOKIE_SECURE: 'false',
  })
}

/** A bench organisation's admin: EH4 means, linked, an admin mandate for everything (4 years), TOTP enrolled. */
export async function seedBenchAdmin(
  db: Db,
  organisationId: string,
  account: { email: string; password: string; totpSecret: string },
  name: { firstName: string; lastName: string },
) {
  const today = new Date(new Date().toISOString().slice(0, 10))
  const until = new Date(today)
  until.setUTCFullYear(until.getUTCFullYear() + 4)
  const admin = await db.user.create({
    data: {
      ...name,
      dateOfBirth: new Date('1980-01-01'),
      email: account.email,
      passwordHash: await hashPassword(account.password),
      totpSecret: account.totpSecret,
      totpEnabledAt: new Date(),
    },
  })
  await db.means.create({ data: { userId: admin.id, level: 'EH4', status: 'active', validFrom: today, validUntil: until } })
  await db.organisationLink.create({ data: { userId: admin.id, organisationId } })
  await db.mandate.create({
    data: { kind: 'admin', userId: admin.id, organisationId, scope: 'all', level: 'EH4', validFrom: today, validUntil: until, status: 'active' },
  })
  return admin
}

/** BENCH_DATABASE_URL when given, else an embedded PostgreSQL of its own under .data/. */
export async function openBenchDatabase(embedded: { dir: string; port: number; database: string }): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  return startEmbeddedPostgres({ ...embedded, dir: path.join(projectRoot, embedded.dir) })
}

/** The app on a free local port, with the floor route spliced in before the 404 handler (bench only). */
export function startBenchServer(services: Services, subsection: string): Promise<{ base: string; close: () => void }> {
  return serveWithFloor(createApp(services), allow('admin'), projectRoot, subsection)
}

/** Logs in with password and TOTP; returns the session cookie. Clear the account's TOTP replay marker first. */
export async function logInForBench(base: string, account: { email: string; password: string; totpSecret: string }): Promise<string> {
  const cookies = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
  const loginPage = await fetch(`${base}/inloggen`)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!
  const login = await fetch(`${base}/inloggen`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies(loginPage) },
    body: new URLSearchParams({ _csrf: csrf, email: account.email, password: account.password, code: currentTotp(account.totpSecret) }).toString(),
  })
  if (login.status !== 303) throw new Error(`login failed: ${login.status}`)
  return cookies(login)
}

/** The app with the floor route and a logged-in session of `account` (its TOTP replay marker cleared first). */
export async function startBenchSession(
  services: Services,
  subsection: string,
  account: { email: string; password: string; totpSecret: string },
): Promise<{ base: string; close: () => void; cookie: string }> {
  // A TOTP code logs in once; a second run within the same 30 s would otherwise be refused.
  await services.db.user.updateMany({ where: { emailKey: account.email.toLowerCase() }, data: { totpLastStep: null } })
  const server = await startBenchServer(services, subsection)
  return { ...server, cookie: await logInForBench(server.base, account) }
}

export type Run = { latencies: number[]; seconds: number; non2xx: number; errors: number }
export type Summary = { rps: number; p95: number; non2xx: number }

/** autocannon for `seconds` in its own thread: in the server's event loop it would take the server's CPU time. */
export function loadRun(url: string, options: { seconds: number; connections: number; cookie: string; headers?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(projectRoot, 'scripts/bench/load-worker.mjs'), {
      workerData: { url, connections: options.connections, duration: options.seconds, cookie: options.cookie, headers: options.headers ?? {} },
    })
    worker.once('message', resolve)
    worker.once('error', reject)
  })
}

export function summarise(runs: Run[]): Summary {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0)
  return { rps: latencies.length / seconds, p95: percentile(latencies, 0.95), non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0) }
}

/** The q-quantile of sorted values (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN
}

export type PageResult = { name: string; page: Summary; floor: Summary }

/**
 * Each page against the floor: `duration` seconds each, in 2-second rounds that take turns (this
 * host's speed drifts from one minute to the next, so a page is compared with the floor rounds
 * interleaved with its own). A 2-second warm-up of each first, not counted.
 */
export async function pagesAgainstFloor(
  base: string,
  pages: { name: string; path: string; headers?: Record<string, string> }[],
  options: { duration: number; connections: number; cookie: string },
): Promise<PageResult[]> {
  const rounds = Math.max(1, Math.round(options.duration / 2))
  const run = (p: string, seconds: number, headers?: Record<string, string>) =>
    loadRun(base + p, { seconds, connections: options.connections, cookie: options.cookie, headers })
  for (const p of [...pages, { path: FLOOR_PATH, headers: undefined }]) await run(p.path, 2, p.headers)
  const results: PageResult[] = []
  for (const page of pages) {
    const floorRuns: Run[] = []
    const pageRuns: Run[] = []
    for (let i = 0; i < rounds; i++) {
      floorRuns.push(await run(FLOOR_PATH, options.duration / rounds))
      pageRuns.push(await run(page.path, options.duration / rounds, page.headers))
    }
    results.push({ name: page.name, page: summarise(pageRuns), floor: summarise(floorRuns) })
  }
  return results
}

/** The machine's load (1, 5, 15 min) and cores, to print beside the figures: other work on a shared host skews them. */
export function machineLoad(): string {
  const [one, five, fifteen] = os.loadavg().map((n) => n.toFixed(2))
  return `load average ${one}, ${five}, ${fifteen} on ${os.cpus().length} cores`
}
