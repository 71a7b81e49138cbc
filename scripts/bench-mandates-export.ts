// npm run bench:mandates-export — "Exporteren als CSV" on Machtigingen at scale.
//
// Seeds (or reuses: the same database and organisation as npm run bench:mandates) one organisation with
// 10,000 users and 100,000 mandates, starts the app in this process on a free local port, logs in as the
// bench admin, and downloads GET /beheer/machtigingen/export.csv?inactief=1 (every mandate) BENCH_RUNS
// times (3). Each download runs in a child process (scripts/bench/download.mjs), so this process's memory
// and CPU are the app's alone.
//
// Memory, measured honestly: two small exports first (the code, the pools and the prepared statements
// warmed without growing the heap), then two full garbage collections, then the baseline RSS. The
// growth is the peak RSS over that baseline: the kernel's high-water mark (VmHWM, reset at the baseline
// through /proc/self/clear_refs) where Linux offers it, else process.memoryUsage() sampled every 10 ms,
// whichever is higher; the V8 heap's peak and what is left after a full collection are printed beside it.
// Wall-clock times depend on what else the machine runs: the load average is printed at start and end.
// Targets: first byte < 200 ms, whole file < 5 s, RSS growth < 50 MB.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { projectRoot } from '../src/db/migrations.ts'
import { machineLoad, startBenchSession } from './bench/harness.ts'
import { BENCH_ADMIN, startMandatesBench } from './bench/mandatesSeed.ts'

const gc = global.gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:mandates-export does)')
const MB = 1e6
const run = promisify(execFile)

type Download = { status: number; firstByteMs: number; totalMs: number; bytes: number; lines: number }
async function download(url: string, cookie: string): Promise<Download> {
  const { stdout } = await run(process.execPath, [path.join(projectRoot, 'scripts/bench/download.mjs'), url, cookie], { maxBuffer: 1 << 20 })
  return JSON.parse(stdout) as Download
}

/** The kernel's peak RSS of this process since the last reset, in bytes; null off Linux. */
function kernelPeakRss(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    return kb ? Number(kb) * 1024 : null
  } catch {
    return null
  }
}
function resetKernelPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

console.log(`start: ${machineLoad()}`)
const bench = await startMandatesBench()
let exitCode = 0
try {
  const { services, mandates: expected } = bench
  const server = await startBenchSession(services, 'mandates', BENCH_ADMIN)
  const { base, cookie } = server
  const url = `${base}/beheer/machtigingen/export.csv?inactief=1`

  // Warm-up: a small export (one user's mandates), twice; then collect, and take the baseline.
  for (let i = 0; i < 2; i++) await download(`${base}/beheer/machtigingen/export.csv?inactief=1&gebruiker=Bench+0001`, cookie)
  gc()
  await new Promise((resolve) => setTimeout(resolve, 100))
  gc()
  const baseline = process.memoryUsage()
  const kernel = resetKernelPeak() && kernelPeakRss() !== null
  console.log(
    `baseline after warm-up and GC: RSS ${(baseline.rss / MB).toFixed(1)} MB, V8 heap ${(baseline.heapUsed / MB).toFixed(1)} MB used of ${(baseline.heapTotal / MB).toFixed(1)} MB; ` +
      `peak RSS from ${kernel ? "the kernel's high-water mark and 10-ms samples" : '10-ms samples'}`,
  )
  const peak = { rss: baseline.rss, heapTotal: baseline.heapTotal, arrayBuffers: baseline.arrayBuffers }
  const sampler = setInterval(() => {
    const usage = process.memoryUsage()
    peak.rss = Math.max(peak.rss, usage.rss)
    peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal)
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers)
  }, 10)
  const peakRss = () => Math.max(peak.rss, kernelPeakRss() ?? 0)

  const runs = Number(process.env.BENCH_RUNS ?? 3)
  const results: Download[] = []
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage()
    const result = await download(url, cookie)
    const cpuUsed = process.cpuUsage(cpu)
    if (result.status !== 200) throw new Error(`export failed: ${result.status}`)
    results.push(result)
    console.log(
      `run ${i + 1}: first byte ${result.firstByteMs.toFixed(0)} ms, whole file ${(result.totalMs / 1000).toFixed(2)} s, ${result.lines - 1} rows, ` +
        `${(result.bytes / MB).toFixed(1)} MB, CPU of the app ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(2)} s, ` +
        `peak RSS growth so far ${((peakRss() - baseline.rss) / MB).toFixed(1)} MB (peak V8 heap ${(peak.heapTotal / MB).toFixed(0)} MB, buffers ${(peak.arrayBuffers / MB).toFixed(1)} MB)`,
    )
  }
  clearInterval(sampler)
  gc()
  const after = process.memoryUsage()
  console.log(`after a full GC: V8 heap used ${(after.heapUsed / MB).toFixed(1)} MB, RSS ${((after.rss - baseline.rss) / MB).toFixed(1)} MB over the baseline`)

  const worst = { firstByteMs: Math.max(...results.map((r) => r.firstByteMs)), totalMs: Math.max(...results.map((r) => r.totalMs)) }
  const growthMb = (peakRss() - baseline.rss) / MB
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED')
  console.log(
    `export of ${expected} mandates, worst of ${runs}: first byte ${worst.firstByteMs.toFixed(0)} ms (< 200: ${verdict(worst.firstByteMs < 200)}), ` +
      `whole file ${(worst.totalMs / 1000).toFixed(2)} s (< 5: ${verdict(worst.totalMs < 5000)}), RSS growth ${growthMb.toFixed(1)} MB (< 50: ${verdict(growthMb < 50)})`,
  )
  if (results.some((r) => r.lines - 1 !== expected)) {
    console.error(`row count differs from ${expected}: ${results.map((r) => r.lines - 1).join(', ')}`)
    exitCode = 1
  }

  // The reads and the CSV alone (the export's cursor and formatting, no HTTP), for comparison.
  {
    const principal = (await services.authService.loadPrincipal((await services.db.user.findFirstOrThrow({ where: { emailKey: BENCH_ADMIN.email } })).id))!
    const started = performance.now()
    let rows = 0
    let batches = 0
    await services.mandateExportService.export(principal, { inactive: true }, (key) => key, {
      record: () => rows++,
      flush: () => Promise.resolve((batches++, true)),
    })
    console.log(`reads and CSV cells only: ${rows} rows in ${batches} batches, ${((performance.now() - started) / 1000).toFixed(2)} s`)
  }
  server.close()
  await services.close()
} finally {
  await bench.embedded.stop()
}
console.log(`end: ${machineLoad()}`)
process.exit(exitCode)
