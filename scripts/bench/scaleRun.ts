// What `npm run bench:scale` does on a seeded database: plans, load, operations, and the report.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { projectRoot } from '../../src/db/migrations.ts'
import { poolConfigFromUrl } from '../../src/db/poolConfig.ts'
import { logInForBench, machineLoad } from './harness.ts'
import { databaseSize, explainAll, resetStatementStats, topStatements, type ScaleDatabase } from './scaleDatabase.ts'
import { loadPages, planPass, sampleRss, startApp, type PageFigure } from './scaleLoad.ts'
import { runOps, type OpFigure } from './scaleOps.ts'
import { adminOrganisations, pagesFor, walkWizard, type Admin } from './scalePages.ts'
import { ACCOUNTANT, BIG_ADMIN } from './scaleSeed.ts'

const P95_MS = 100
const SHARE = 0.4
const RSS_MB = 300
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const duration = Number(process.env.BENCH_DURATION ?? 4)
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim().toLowerCase())
export const PLANS_FILE = path.join(projectRoot, 'docs/bench-scale-plans.txt')

const ADMINS: Admin[] = [
  { label: '1M-mandate organisation', ...BIG_ADMIN },
  { label: 'accountant of 500 organisations', ...ACCOUNTANT },
]

const cpu = (ms: number) => (Number.isNaN(ms) ? '–' : ms.toFixed(1))

function report(admin: Admin, figures: PageFigure[], load: string[]): boolean {
  let ok = true
  console.log(`\n${admin.label} (${admin.email}); ${connections} connections, ${duration} s per page in 2-s rounds with the floor; ${load.join(' → ')}`)
  console.log(
    `${'page'.padEnd(36)} ${'req/s'.padStart(6)} ${'floor'.padStart(6)} ${'share'.padStart(6)} ${'p95 ms'.padStart(7)}  ${'CPU ms a request: app'.padStart(21)} ${'db'.padStart(5)}  target: p95 < ${P95_MS} ms, ≥ ${SHARE * 100} % of floor`,
  )
  for (const f of figures) {
    const share = f.page.rps / f.floor.rps
    const met = f.status === 200 && f.page.p95 < P95_MS && share >= SHARE && f.page.non2xx === 0
    ok &&= met
    const status = f.status === 200 ? '' : ` HTTP ${f.status}`
    console.log(
      `${f.name.padEnd(36)} ${f.page.rps.toFixed(0).padStart(6)} ${f.floor.rps.toFixed(0).padStart(6)} ${(share * 100).toFixed(0).padStart(5)}% ${f.page.p95.toFixed(0).padStart(7)}  ${cpu(f.cpu.app).padStart(21)} ${cpu(f.cpu.db).padStart(5)}  ${met ? 'met' : 'MISSED'}${f.page.non2xx ? ` (${f.page.non2xx} failed)` : ''}${status}`,
    )
  }
  return ok
}

async function logIn(client: pg.Client, base: string, admin: Admin): Promise<string> {
  await client.query(`update users set totp_last_step = null where email_key = $1`, [admin.email])
  return logInForBench(base, admin)
}

export async function runScaleBench(database: ScaleDatabase): Promise<number> {
  const client = new pg.Client(poolConfigFromUrl(database.url))
  client.on('error', () => {}) // the server stopping at the end
  await client.connect()
  const app = await startApp(database.url)
  let ok = true
  const plans: string[] = []
  try {
    // BENCH_ADMIN=accountant (or 1M): only the admin whose label holds it, e.g. for a profile of his pages.
    const admins = ADMINS.filter((a) => !process.env.BENCH_ADMIN || a.label.includes(process.env.BENCH_ADMIN))
    for (const admin of process.env.BENCH_SKIP?.includes('pages') ? [] : admins) {
      const pages = (await pagesFor(client, admin)).filter((p) => !only || only.some((o) => p.name.toLowerCase().includes(o)))
      const cookie = await logIn(client, app.base, admin)
      await walkWizard(app.base, cookie, (await adminOrganisations(client, admin.email))[0]!)
      await explainAll(database.url, true)
      plans.push(`######## ${admin.label}\n`, await planPass(app.base, cookie, pages, database.log))
      await explainAll(database.url, false)
      if (process.env.BENCH_SKIP?.includes('load')) continue
      await resetStatementStats(database.url)
      const rss = sampleRss(app.child.pid!)
      const loadBefore = machineLoad()
      const figures = await loadPages(app.base, cookie, pages, {
        duration,
        connections,
        appPid: app.child.pid!,
        localDatabase: !process.env.BENCH_DATABASE_URL,
      })
      const maxRss = rss.stop()
      ok = report(admin, figures, [loadBefore, machineLoad()]) && ok
      const rssMet = maxRss < RSS_MB
      ok &&= rssMet
      console.log(`RSS of the app process during the load: max ${maxRss.toFixed(0)} MB   ${rssMet ? 'met' : 'MISSED'} (target < ${RSS_MB} MB)`)
      console.log(`  memory of the app process right after the load: ${await app.memory()}`)
      console.log(`database time under this load, the costliest statements (pg_stat_statements):\n  ${(await topStatements(database.url)).join('\n  ')}`)
    }
  } finally {
    await app.stop()
  }
  // Only a run that loaded every page writes the plans (an ops-only or BENCH_ONLY run left the file empty or partial).
  if (plans.length > 0 && !only) {
    writeFileSync(PLANS_FILE, plans.join('\n'))
    console.log(`\nplans of every statement each page ran (auto_explain, ANALYZE): ${path.relative(projectRoot, PLANS_FILE)}`)
  }
  console.log(`error log of the app during the run: ${app.errors.length} lines${app.errors.length ? '\n' + app.errors.slice(0, 20).join('\n') : ''}`)
  ok &&= app.errors.length === 0
  if (!process.env.BENCH_SKIP?.includes('ops')) {
    const bigOrg = (await adminOrganisations(client, BIG_ADMIN.email))[0]!
    const ops: OpFigure[] = await runOps(database.url, BIG_ADMIN.email, bigOrg)
    console.log(`\noperations (${machineLoad()})`)
    for (const op of ops) {
      const met = Number.isNaN(op.target) || op.ms < op.target
      ok &&= met
      const target = Number.isNaN(op.target) ? '' : `${met ? 'met' : 'MISSED'} (target < ${op.target / 1000} s)`
      console.log(`${op.name.padEnd(40)} ${(op.ms / 1000).toFixed(2).padStart(7)} s  ${target}  ${op.detail}`)
    }
  }
  await client.end()
  console.log(`\ndatabase size: ${await databaseSize(database.url)}`)
  return ok ? 0 : 1
}
