// The daily expiry scan as a job (src/features/mail/worker.ts runs it on pg-boss): each day is scanned
// once, recorded in job_runs (job 'expiry', day). A run claims its day first and skips a day already
// finished, so the 06:00 schedule, a catch-up at start and any number of instances scan a day once.
// The scan runs in batches (scanBatches.ts); each batch's transaction locks the day's row, reads the
// progress there (where the next batch starts, the totals so far) and writes it back with the batch, and
// the day is marked finished only after the last batch. So a run that crashed after batch k leaves its
// day unfinished with k batches done: the next run (the catch-up at start, or pg-boss's retry) goes on
// with batch k + 1; and two runs of one day at once (pg-boss's stately queue already prevents that)
// would take turns batch by batch, never doing one twice, and only one of them finishes the day.
//   missedDay(now)  the day whose 06:00 (Europe/Amsterdam) run is due and not finished, or null
//   runDay(day)     claims and scans `day` (YYYY-MM-DD); null when it was already done
import { isoDate, todayUtc } from '../../domain/dates.ts'
import type { Db, Tx } from '../../db/tx.ts'
import type { ExpiryScanResult, ExpiryService } from './expiryService.ts'
import { startProgress, type ProgressStore, type ScanProgress } from './scanBatches.ts'

export const EXPIRY_JOB = 'expiry'
/** The hour (Europe/Amsterdam) of the daily run; worker.ts's cron says the same. */
const RUN_HOUR = 6

/** The latest day whose RUN_HOUR in Amsterdam has passed at `now`, as YYYY-MM-DD. */
export function dueDay(now: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  const local = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)))
  if (Number(parts.hour) < RUN_HOUR) local.setUTCDate(local.getUTCDate() - 1)
  return isoDate(local)
}

export class DailyExpiry {
  constructor(
    private readonly db: Db,
    private readonly expiry: ExpiryService,
  ) {}

  async missedDay(now: Date = new Date()): Promise<string | null> {
    const day = dueDay(now)
    const done = await this.db.$queryRaw<{ day: Date }[]>`
      SELECT day FROM job_runs WHERE job = ${EXPIRY_JOB} AND day = ${day}::date AND finished_at IS NOT NULL`
    return done.length ? null : day
  }

  /** The scheduled run scans the current (UTC) day, as the scan always has. */
  async runToday(now: Date = new Date()): Promise<ExpiryScanResult | null> {
    return this.runDay(isoDate(todayUtc(now)))
  }

  async runDay(day: string): Promise<ExpiryScanResult | null> {
    const claimed = await this.db.$queryRaw<{ day: Date }[]>`
      INSERT INTO job_runs (job, day, started_at) VALUES (${EXPIRY_JOB}, ${day}::date, now())
      ON CONFLICT (job, day) DO UPDATE SET started_at = now() WHERE job_runs.finished_at IS NULL
      RETURNING day`
    if (claimed.length === 0) return null
    return this.expiry.scanWith(day, jobRunStore(day))
  }
}

/** The day's progress on its job_runs row, read under a row lock in each batch's transaction. */
function jobRunStore(day: string): ProgressStore {
  return {
    load: async (tx: Tx) => {
      const [row] = await tx.$queryRaw<{ finished: boolean; progress: ScanProgress | null }[]>`
        SELECT finished_at IS NOT NULL AS finished, progress FROM job_runs WHERE job = ${EXPIRY_JOB} AND day = ${day}::date FOR UPDATE`
      if (!row || row.finished) return null
      return row.progress ?? startProgress()
    },
    save: async (tx, progress) => {
      await tx.$executeRaw`
        UPDATE job_runs SET progress = ${JSON.stringify(progress)}::jsonb WHERE job = ${EXPIRY_JOB} AND day = ${day}::date`
    },
    finish: async (tx, totals) => {
      await tx.$executeRaw`
        UPDATE job_runs SET finished_at = now(), result = ${JSON.stringify(totals)}::jsonb WHERE job = ${EXPIRY_JOB} AND day = ${day}::date`
    },
  }
}
