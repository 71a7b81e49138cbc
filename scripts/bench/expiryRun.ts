// The expiry scan as the benchmarks run it (bench:expiry, bench:scale): the app's daily run of one day
// (DailyExpiry.runDay: batches, each its own committed transaction), each batch's transaction timed.
import os from 'node:os'
import type { Db } from '../../src/db/tx.ts'
import { DailyExpiry } from '../../src/features/expiry/dailyRun.ts'
import { ExpiryService } from '../../src/features/expiry/expiryService.ts'
import type { BatchSizes } from '../../src/features/expiry/scanBatches.ts'

export type TimedRun = { ms: number; batches: { step: string; ms: number }[]; load: number[]; result: unknown }

/** Runs (and so records) `day`; the load average (1 min) before and after. */
export async function timedRun(db: Db, day: string, sizes: Partial<BatchSizes> = {}): Promise<TimedRun> {
  const batches: { step: string; ms: number }[] = []
  const load = [os.loadavg()[0]!]
  const service = new ExpiryService(db, { sizes, onBatch: (batch) => void batches.push({ step: batch.step, ms: batch.ms }) })
  const t0 = performance.now()
  const result = await new DailyExpiry(db, service).runDay(day)
  const ms = performance.now() - t0
  load.push(os.loadavg()[0]!)
  return { ms, batches, load, result }
}

/** The first day from today on whose scan has not finished (each run commits, so the next run scans the day after). */
export async function nextUnscannedDay(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<{ day: string }[]>`
    SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series(current_date, current_date + 366, interval '1 day') d
    WHERE NOT EXISTS (SELECT 1 FROM job_runs WHERE job = 'expiry' AND day = d::date AND finished_at IS NOT NULL) ORDER BY d LIMIT 1`
  return row!.day
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/** The longest batch transaction, and per step: batches, their sum and the longest. */
export function summary(run: TimedRun): { longest: number; steps: string[] } {
  const longest = Math.max(0, ...run.batches.map((b) => b.ms))
  const steps = [...new Set(run.batches.map((b) => b.step))].map((step) => {
    const mine = run.batches.filter((b) => b.step === step).map((b) => b.ms)
    return `${step} ${mine.length} batches, sum ${seconds(mine.reduce((a, b) => a + b, 0))}, longest ${seconds(Math.max(...mine))}`
  })
  return { longest, steps }
}
