// The load part of `npm run bench:scale`: the app in its own process (RSS sampled from /proc), each
// page in 2-second rounds taking turns with the floor route, and the plan pass (auto_explain).
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../src/db/migrations.ts'
import { FLOOR_PATH, loadRun, summarise, type Run, type Summary } from './harness.ts'
import type { Page } from './scalePages.ts'

export type AppProcess = { base: string; child: ChildProcess; errors: string[]; stop: () => Promise<void>; memory: () => Promise<string> }

export const APP_NODE_OPTIONS = process.env.BENCH_APP_NODE_OPTIONS ?? '--max-old-space-size=256'
/** Node flags NODE_OPTIONS may not carry, for a profile of the app: BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean)

/**
 * The app process's entry and loader flags. With BENCH_APP=dist, scaleServer.ts is compiled to plain
 * JavaScript first, so the process runs as `npm start` does, without tsx: its loader and esbuild's
 * service added 33–53 MB of RSS to a process that served no TypeScript of the app.
 */
async function serverEntry(): Promise<string[]> {
  const source = path.join(projectRoot, 'scripts/bench/scaleServer.ts')
  if (process.env.BENCH_APP !== 'dist') return ['--import', 'tsx', source]
  const { build } = await import('esbuild')
  // Two levels under the project root, as scaleServer.ts is, so it finds dist/ and views/ the same way.
  const outfile = path.join(projectRoot, '.data/bench-app/scaleServer.mjs')
  await build({ entryPoints: [source], outfile, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' })
  return [outfile]
}

/** Starts scripts/bench/scaleServer.ts on the bench database (BENCH_APP=dist: the built app); its stderr lines are the error log. */
export async function startApp(databaseUrl: string): Promise<AppProcess> {
  const child = spawn(process.execPath, [...APP_NODE_ARGS, ...(await serverEntry())], {
    cwd: projectRoot,
    // The heap cap the README recommends for production (BENCH_APP_NODE_OPTIONS overrides it).
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_OPTIONS: APP_NODE_OPTIONS },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const errors: string[] = []
  child.stderr.on('data', (chunk: Buffer) => errors.push(...chunk.toString().split('\n').filter(Boolean)))
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => {
      const started = JSON.parse(chunk.toString().split('\n')[0]!) as { base: string; app: string }
      const app = started.app === 'dist' ? 'the built app (dist/, npm run build)' : 'src/ through tsx'
      console.log(`app process: ${app}, NODE_OPTIONS=${APP_NODE_OPTIONS || '(none)'}, pid ${child.pid}`)
      resolve(started.base)
    })
    child.once('exit', (code) => reject(new Error(`the app exited (${code}): ${errors.join('\n')}`)))
  })
  // After its first line, the app writes a JSON line with its memory on SIGUSR2 (scaleServer.ts).
  const memoryLines: ((line: string) => void)[] = []
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk
      .toString()
      .split('\n')
      .filter((l) => l.startsWith('{"memory"')))
      memoryLines.shift()?.(line)
  })
  const memory = () =>
    new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('(the app did not say)'), 2000)
      memoryLines.push((line) => {
        clearTimeout(timer)
        const m = (JSON.parse(line) as { memory: Record<string, number> }).memory
        resolve(
          `rss ${m.rss} MB: JS heap ${m.heapUsed} used of ${m.heapTotal} MB, external ${m.external} MB (array buffers ${m.arrayBuffers} MB), V8 malloc ${m.malloced} MB (peak ${m.peakMalloced} MB)`,
        )
      })
      child.kill('SIGUSR2')
    })
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  return { base, child, errors, stop, memory }
}

/** The resident set of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : Number.NaN
}

/** Samples the app's RSS every 200 ms until stopped; returns the highest. */
export function sampleRss(pid: number): { stop: () => number } {
  let max = 0
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rssMb(pid))
    } catch {
      /* the process ended */
    }
  }, 200)
  return {
    stop: () => {
      clearInterval(timer)
      return max
    },
  }
}

/** CPU milliseconds one request of the page cost the app process and the local PostgreSQL server (NaN when not local). */
export type RequestCpu = { app: number; db: number }
export type PageFigure = { name: string; page: Summary; floor: Summary; status: number; rows: number; cpu: RequestCpu }

const TICK_MS = 10 // USER_HZ is 100 on Linux

/** CPU time so far (user + system, in ticks) of the app process and of the PostgreSQL server (its processes and those that ended). */
function cpuTicks(appPid: number): { app: number; db: number } {
  const ticks = { app: 0, db: 0 }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const used = Number(fields[11]) + Number(fields[12])
      if (Number(entry) === appPid) ticks.app += used
      // A server process that ended is counted in its parent's (the postmaster's) reaped children's time.
      else if (name.startsWith('postgres')) ticks.db += used + Number(fields[13]) + Number(fields[14])
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks
}

/** Each page once (its status and table rows), then under load against the floor. */
export async function loadPages(
  base: string,
  cookie: string,
  pages: Page[],
  options: { duration: number; connections: number; appPid: number; localDatabase: boolean },
): Promise<PageFigure[]> {
  const rounds = Math.max(1, Math.round(options.duration / 2))
  const run = (p: string, seconds: number) => loadRun(base + p, { seconds, connections: options.connections, cookie })
  const figures: PageFigure[] = []
  await run(FLOOR_PATH, 2)
  for (const page of pages) {
    const response = await fetch(base + page.path, { headers: { cookie }, redirect: 'manual' })
    const html = await response.text()
    const rows = (html.match(/<tr/g) ?? []).length
    if (response.status !== 200) {
      figures.push({
        name: page.name,
        page: { rps: 0, p95: Number.NaN, non2xx: 1 },
        floor: { rps: 0, p95: Number.NaN, non2xx: 0 },
        status: response.status,
        rows,
        cpu: { app: Number.NaN, db: Number.NaN },
      })
      continue
    }
    await run(page.path, 1)
    const floorRuns: Run[] = []
    const pageRuns: Run[] = []
    const used = { app: 0, db: 0 }
    for (let i = 0; i < rounds; i++) {
      floorRuns.push(await run(FLOOR_PATH, options.duration / rounds))
      const before = cpuTicks(options.appPid)
      pageRuns.push(await run(page.path, options.duration / rounds))
      const after = cpuTicks(options.appPid)
      used.app += after.app - before.app
      used.db += after.db - before.db
    }
    const requests = pageRuns.reduce((sum, r) => sum + r.latencies.length, 0)
    const perRequest = (ticks: number) => (requests ? (ticks * TICK_MS) / requests : Number.NaN)
    figures.push({
      name: page.name,
      page: summarise(pageRuns),
      floor: summarise(floorRuns),
      status: 200,
      rows,
      // Where a page's cost is: the app's work (rendering, the driver) or the database's.
      cpu: { app: perRequest(used.app), db: options.localDatabase ? perRequest(used.db) : Number.NaN },
    })
  }
  return figures
}

/** The server's log lines without bound parameters, long lines cut (IN lists of 500 ids). */
function planLines(lines: string[]): string[] {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => !line.includes('Query Parameters:'))
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)} …` : line))
}

/** Each page once with auto_explain logging: the server log lines written during each request. */
export async function planPass(base: string, cookie: string, pages: Page[], log: string[]): Promise<string> {
  const out: string[] = []
  for (const page of pages) {
    await fetch(base + page.path, { headers: { cookie } }) // warm (caches, prepared statements)
    const start = log.length
    const t0 = performance.now()
    const response = await fetch(base + page.path, { headers: { cookie }, redirect: 'manual' })
    const bytes = Buffer.byteLength(await response.text())
    const ms = performance.now() - t0
    await new Promise((resolve) => setTimeout(resolve, 150))
    if (response.status !== 200) console.log(`  ${page.name}: HTTP ${response.status}`)
    out.push(
      `==== ${page.name}   GET ${page.path}   (HTTP ${response.status}, ${ms.toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KB, one request)`,
      ...planLines(log.slice(start)),
      '',
    )
  }
  return out.join('\n')
}
