// The daily expiry scan (rule 15), set-based in SQL, in batches of one transaction each (scanBatches.ts,
// statements in scanSql.ts; issue 17: no transaction grows with the database, a stopped scan goes on
// where it was):
//   1. means and mandates whose end has passed (valid_until < today) become 'expired', each with an
//      audit entry; then the active admin mandates of those means' holders who have no active means at
//      (at least) the mandate's level left become 'expired' too, with an audit entry (rule 3,
//      mandates/adminMandateRule.ts);
//   2. an 'expiry-notice' to the holder of every active means and mandate that ends within two
//      months, at the most urgent threshold reached: '2m' (≤ 2 months), '1m' (≤ 1 month), '1w'
//      (≤ 7 days). Key `expiry:<mandate|means>:<id>:<threshold>:<validUntil>`, so each item gets each
//      notice once (ON CONFLICT DO NOTHING), and a renewed item (new end) starts afresh. Each new
//      notice carries a renewal link: a random token whose SHA-256 is stored in action_tokens
//      (purpose 'renewal', subject {type, id, validUntil}, valid until 30 days after the end);
//   3. one 'expiry-digest' per organisation to each of its admins (active admin mandate), listing
//      the items newly noticed in this scan: the organisation's mandates, and the means of users
//      linked to it. Key `expiry-digest:<organisationId>:<adminUserId>:<today>`. Each notice stages its
//      item (expiry_digest_items) in its batch; the digests are built from them after the last notice
//      batch, so an organisation's items from several batches are still one mail per admin.
//   Also (issue 13): suspended means and mandates expire too (rule 18: suspension does not stop the
//   clock); rule 1 follows rule 3 for the holders of the means that ended (workflows/meansEnded.ts);
//   means opgezegd for today end (rule 17, workflows/meansLifecycle.ts); pending verzoeken past their
//   end become 'lapsed' and their pending mandates end (workflows/linkRequests.ts).
//   4. ketenmachtigingen (chainExpiry.ts): ended chains and their assignments expire, audited on both
//      organisations, and the admins of both sides get a 'chain-expiry-notice' at each threshold.
// Running it twice for the same day changes nothing the second time.
import type { Db, Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import {
  DEFAULT_BATCH_SIZES,
  memoryStore,
  runBatch,
  runBatches,
  startProgress,
  type ExpiryScanResult,
  type ProgressStore,
  type ScanOptions,
} from './scanBatches.ts'

export type { ExpiryScanResult } from './scanBatches.ts'
export { RENEWAL_LINK_GRACE_DAYS } from './scanBatches.ts'
export { LIST_PATH_PREFIX, RENEW_PATH_PREFIX } from './scanSql.ts'

export class ExpiryService {
  /** `options`: batch sizes, and a report after each batch (the benchmark times them; tests stop there). */
  constructor(
    private readonly db: Db,
    private readonly options: ScanOptions = {},
  ) {}

  /** One scan for `today` (default: the real today, UTC date), its progress in memory. */
  async scan(options: { today?: Date } = {}): Promise<ExpiryScanResult> {
    const today = isoDate(todayUtc(options.today ?? new Date()))
    return (await runBatches(this.db, today, memoryStore(), this.options))!
  }

  /** The scan for `today` (YYYY-MM-DD) with its progress in `store` (the daily run's job_runs row). */
  async scanWith(today: string, store: ProgressStore): Promise<ExpiryScanResult | null> {
    return runBatches(this.db, today, store, this.options)
  }
}

/** The whole scan inside the caller's transaction, batch after batch (the benchmarks roll it back). `today` is YYYY-MM-DD. */
export async function runExpiryScan(tx: Tx, today: string, options: ScanOptions = {}): Promise<ExpiryScanResult> {
  const sizes = { ...DEFAULT_BATCH_SIZES, ...options.sizes }
  let progress = startProgress()
  while (progress.cursor.step !== 'done') progress = await runBatch(tx, today, progress, sizes)
  return progress.totals
}
