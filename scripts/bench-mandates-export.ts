// npm run bench:mandates-export — "Exporteren als CSV" on Machtigingen at scale.
//
// Seeds (or reuses: the same database and organisation as npm run bench:mandates) one organisation with
// 10,000 users and 100,000 mandates, starts the app in this process on a free local port, logs in as the bench admin,
// and downloads GET /beheer/machtigingen/export.csv?inactief=1 (every mandate) BENCH_RUNS times (3).
// Prints per run: time to the first byte, time to the whole file, rows, bytes, and the growth of the
// process's RSS over the RSS before the first run (sampled every 10 ms while the file streams). The
// first run is cold (nothing of the list read before it); the reads alone are timed after the runs.
// Wall-clock times depend on what else the machine runs; the CPU time of this process is printed too.
// Targets: first byte < 200 ms, whole file < 5 s, RSS growth < 50 MB.
import { performance } from 'node:perf_hooks'
import { startBenchSession } from './bench/harness.ts'
import { BENCH_ADMIN, startMandatesBench } from './bench/mandatesSeed.ts'

const bench = await startMandatesBench()
let exitCode = 0
try {
  const { services, mandates: expected } = bench
  const db = services.db
  const server = await startBenchSession(services, 'mandates', BENCH_ADMIN)
  const { base, cookie } = server

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
    const principal = (await services.authService.loadPrincipal((await db.user.findFirstOrThrow({ where: { emailKey: BENCH_ADMIN.email } })).id))!
    const started = performance.now()
    let rows = 0
    let pages = 0
    for await (const page of services.mandateListService.allPages(principal, { inactive: true })) {
      rows += page.length
      pages++
    }
    console.log(`reads only: ${rows} rows in ${pages} pages, ${((performance.now() - started) / 1000).toFixed(2)} s`)
  }
  server.close()
  await services.close()
} finally {
  await bench.embedded.stop()
}
process.exit(exitCode)
