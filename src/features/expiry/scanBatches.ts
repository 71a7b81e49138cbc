// The expiry scan in batches (issue 17): each batch is one transaction holding its changes, their audit
// entries, their notices and the marks that make a rerun skip them, so no transaction grows with the
// database and a scan that stopped anywhere goes on where it was. The steps, in order:
//   expire          ended mandates, `sizes.expire` a batch, until none are left;
//   expire-means    then ended means, `sizes.means` a batch, each batch with rules 1 and 3 for their
//                   holders (workflows/meansEnded.ts: their mandates above the means left end too);
//                   mandates first, so one that ended by date is expired as such, as in one large run;
//   others          one batch: means opgezegd for today (rule 17), lapsed verzoeken (rule 8) and the
//                   ketenmachtigingen (chainExpiry.ts) — each a small set a day;
//   notices         the notices of mandates, then of means, `sizes.notices` candidates a batch in
//                   (valid_until, id) order; each notice also stages a digest item per organisation;
//   digests         the staged items, `sizes.digests` organisations a batch: one digest per admin of each
//                   organisation, however many batches its items came from;
//   done.
// Where the next batch starts (the cursor) and the totals so far are the scan's progress. `runBatches`
// reads and writes it through a store inside each batch's transaction: the daily run keeps it on its
// job_runs row (dailyRun.ts), a one-off scan in memory (ExpiryService.scan).
import type { Db, Tx } from '../../db/tx.ts'
import { systemActor } from '../../shared/actor.ts'
import { wakeMailWorker } from '../../shared/outbox.ts'
import { lapseLinkRequests } from '../../shared/workflows/linkRequests.ts'
import { applyMeansEnded } from '../../shared/workflows/meansEnded.ts'
import { endScheduledMeans } from '../../shared/workflows/meansLifecycle.ts'
import { runChainExpiry, type ChainExpiryResult } from './chainExpiry.ts'
import { DIGEST_BATCH_SQL, EXPIRE_MANDATES_SQL, EXPIRE_MEANS_SQL, noticeBatchSql, type NoticeKind } from './scanSql.ts'

export type ExpiryScanResult = {
  expiredMandates: number
  expiredMeans: number
  /** Admin mandates ended because their holder's means at that level ended (rule 3). */
  endedAdminMandates: number
  /** Use-mandates ended because their holder has no active means at their level left (rule 1). */
  endedUseMandates: number
  /** Means opgezegd for today or before, ended now (rule 17). */
  cancelledMeans: number
  /** Pending mandates ended because their verzoek lapsed (rule 8). */
  endedPendingMandates: number
  notices: number
  digests: number
  /** The transactions the scan took. */
  batches: number
} & ChainExpiryResult

export type ScanCursor =
  | { step: 'expire' }
  | { step: 'expire-means' }
  | { step: 'others' }
  | { step: 'notices'; kind: NoticeKind; after?: { validUntil: string; id: string } }
  | { step: 'digests' }
  | { step: 'done' }

export type ScanProgress = { cursor: ScanCursor; totals: ExpiryScanResult }

/**
 * Mandates (expire), means (means), candidates (notices) and organisations (digests) a batch. Sized so a
 * batch's transaction stays far under 5 s on a loaded host (README, bench:expiry: at load average 8–9 on
 * 2 cores an expired mandate cost ~0.6 ms, an ended means with rule 1 for its holder's mandates ~10 ms,
 * a notice candidate ~0.1–0.5 ms): about 1 s each, leaving room for a host three to four times slower.
 */
export type BatchSizes = { expire: number; means: number; notices: number; digests: number }
export const DEFAULT_BATCH_SIZES: BatchSizes = { expire: 1_000, means: 100, notices: 2_000, digests: 200 }

export const RENEWAL_LINK_GRACE_DAYS = 30
const ACTOR_LABEL = 'systeem (verloopcontrole)'
/** A batch is sized to take well under 5 s; this is only the safety net of a very slow host. */
const BATCH_TRANSACTION = { timeout: 60_000, maxWait: 10_000 } as const

const ZERO: ExpiryScanResult = {
  expiredMandates: 0,
  expiredMeans: 0,
  endedAdminMandates: 0,
  endedUseMandates: 0,
  cancelledMeans: 0,
  endedPendingMandates: 0,
  notices: 0,
  digests: 0,
  batches: 0,
  expiredChains: 0,
  expiredChainAssignments: 0,
  chainNotices: 0,
}

export const startProgress = (): ScanProgress => ({ cursor: { step: 'expire' }, totals: { ...ZERO } })

function add(totals: ExpiryScanResult, part: Partial<ExpiryScanResult>): ExpiryScanResult {
  const sum = { ...totals }
  for (const [key, value] of Object.entries(part) as [keyof ExpiryScanResult, number][]) sum[key] += value
  return sum
}

type BatchOutcome = { next: ScanCursor; result: Partial<ExpiryScanResult> }

async function expireBatch(tx: Tx, today: string, sizes: BatchSizes): Promise<BatchOutcome> {
  const [row] = await tx.$queryRawUnsafe<{ picked: number; expired: number }[]>(EXPIRE_MANDATES_SQL, today, ACTOR_LABEL, sizes.expire)
  const more = Number(row?.picked ?? 0) >= sizes.expire
  return { next: more ? { step: 'expire' } : { step: 'expire-means' }, result: { expiredMandates: Number(row?.expired ?? 0) } }
}

async function expireMeansBatch(tx: Tx, today: string, sizes: BatchSizes): Promise<BatchOutcome> {
  const [row] = await tx.$queryRawUnsafe<{ picked: number; expired: number; holders: string[] }[]>(EXPIRE_MEANS_SQL, today, ACTOR_LABEL, sizes.means)
  // Rules 1 and 3 for the holders of the means just expired: a later statement, so it sees their new status.
  const ended = await applyMeansEnded(tx, systemActor(ACTOR_LABEL), row?.holders ?? [])
  const more = Number(row?.picked ?? 0) >= sizes.means
  return {
    next: more ? { step: 'expire-means' } : { step: 'others' },
    result: { expiredMeans: Number(row?.expired ?? 0), endedAdminMandates: ended.adminMandates, endedUseMandates: ended.useMandates },
  }
}

async function othersBatch(tx: Tx, today: string): Promise<BatchOutcome> {
  const actor = systemActor(ACTOR_LABEL)
  // Rule 17: means opgezegd for today end now, and rules 1 and 3 follow.
  const cancelled = await endScheduledMeans(tx, actor, today)
  const endedPendingMandates = await lapseLinkRequests(tx, actor, new Date(`${today}T00:00:00Z`))
  const chains = await runChainExpiry(tx, today, ACTOR_LABEL)
  return {
    next: { step: 'notices', kind: 'mandate' },
    result: {
      endedAdminMandates: cancelled.adminMandates,
      endedUseMandates: cancelled.useMandates,
      cancelledMeans: cancelled.means,
      endedPendingMandates,
      ...chains,
    },
  }
}

async function noticeBatch(tx: Tx, today: string, cursor: Extract<ScanCursor, { step: 'notices' }>, sizes: BatchSizes): Promise<BatchOutcome> {
  type Row = { candidates: number; notices: number; last_valid_until: string | null; last_id: string | null }
  const after = cursor.after
  const [row] = await tx.$queryRawUnsafe<Row[]>(
    noticeBatchSql(cursor.kind),
    today,
    RENEWAL_LINK_GRACE_DAYS,
    sizes.notices,
    after?.validUntil ?? null,
    after?.id ?? null,
  )
  const result = { notices: Number(row?.notices ?? 0) }
  if (Number(row?.candidates ?? 0) >= sizes.notices && row?.last_valid_until && row.last_id) {
    return { next: { step: 'notices', kind: cursor.kind, after: { validUntil: row.last_valid_until, id: row.last_id } }, result }
  }
  return { next: cursor.kind === 'mandate' ? { step: 'notices', kind: 'means' } : { step: 'digests' }, result }
}

async function digestBatch(tx: Tx, today: string, sizes: BatchSizes): Promise<BatchOutcome> {
  const [row] = await tx.$queryRawUnsafe<{ organisations: number; digests: number }[]>(DIGEST_BATCH_SQL, today, sizes.digests)
  const more = Number(row?.organisations ?? 0) >= sizes.digests
  return { next: more ? { step: 'digests' } : { step: 'done' }, result: { digests: Number(row?.digests ?? 0) } }
}

/** One batch from `progress` in the caller's transaction; returns the progress after it. `today` is YYYY-MM-DD. */
export async function runBatch(tx: Tx, today: string, progress: ScanProgress, sizes: BatchSizes): Promise<ScanProgress> {
  const cursor = progress.cursor
  let outcome: BatchOutcome
  if (cursor.step === 'expire') outcome = await expireBatch(tx, today, sizes)
  else if (cursor.step === 'expire-means') outcome = await expireMeansBatch(tx, today, sizes)
  else if (cursor.step === 'others') outcome = await othersBatch(tx, today)
  else if (cursor.step === 'notices') outcome = await noticeBatch(tx, today, cursor, sizes)
  else if (cursor.step === 'digests') outcome = await digestBatch(tx, today, sizes)
  else return progress
  const totals = add(progress.totals, { ...outcome.result, batches: 1 })
  if ((outcome.result.notices ?? 0) + (outcome.result.digests ?? 0) + (outcome.result.chainNotices ?? 0) > 0) await wakeMailWorker(tx)
  return { cursor: outcome.next, totals }
}

/** Where a scan keeps its progress; each call runs inside the batch's transaction. */
export type ProgressStore = {
  /** The progress to go on from; null when the scan is finished already (by another run). */
  load: (tx: Tx) => Promise<ScanProgress | null>
  save: (tx: Tx, progress: ScanProgress) => Promise<void>
  /** Records the finished scan (after the last batch, in a transaction of its own). */
  finish: (tx: Tx, totals: ExpiryScanResult) => Promise<void>
}

/** Reported after each committed batch: its step, how long its transaction took, the progress after it. */
export type BatchReport = { step: ScanCursor['step']; ms: number; progress: ScanProgress }
export type ScanOptions = { sizes?: Partial<BatchSizes>; onBatch?: (report: BatchReport) => void | Promise<void> }

/**
 * Runs batches until the scan is done, each in a transaction of its own, and returns the totals; null
 * when the store says another run finished it. A failure leaves the committed batches and their
 * progress in place: the next run goes on after them.
 */
export async function runBatches(db: Db, today: string, store: ProgressStore, options: ScanOptions = {}): Promise<ExpiryScanResult | null> {
  const sizes = { ...DEFAULT_BATCH_SIZES, ...options.sizes }
  for (;;) {
    const started = performance.now()
    type Outcome = { finished: ExpiryScanResult | null } | { ran: ScanCursor['step']; progress: ScanProgress }
    const outcome = await db.$transaction(async (tx): Promise<Outcome> => {
      const progress = await store.load(tx)
      if (!progress) return { finished: null }
      if (progress.cursor.step === 'done') {
        await store.finish(tx, progress.totals)
        return { finished: progress.totals }
      }
      const next = await runBatch(tx, today, progress, sizes)
      await store.save(tx, next)
      return { ran: progress.cursor.step, progress: next }
    }, BATCH_TRANSACTION)
    if ('finished' in outcome) return outcome.finished
    await options.onBatch?.({ step: outcome.ran, ms: performance.now() - started, progress: outcome.progress })
  }
}

/** Progress kept in memory: a one-off scan (not recorded per day). */
export function memoryStore(): ProgressStore {
  let current: ScanProgress | null = startProgress()
  return {
    load: () => Promise.resolve(current),
    save: (_tx, progress) => {
      current = progress
      return Promise.resolve()
    },
    finish: () => {
      current = null
      return Promise.resolve()
    },
  }
}
