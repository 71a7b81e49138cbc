// Background work on pg-boss 10 (its own schema `pgboss` in the same database): the mail worker and
// the daily expiry scan. pg-boss gives one run per schedule across app instances and wakes workers;
// the outbox rows themselves are claimed with row locks (delivery.ts), so any number of instances
// may run this at once.
//   queue 'mail-deliver'  (policy stately: at most one waiting + one running per instance set)
//     - cron every minute (safety net), a job right after start, one when the outbox notifies
//       (queueMail does NOTIFY outgoing_mail inside the transaction, delivered at commit), and one
//       at the next retry time after a temporary failure.
//   queue 'expiry-scan'   (cron daily 06:00 Europe/Amsterdam): marks expired items, queues notices.
//                         Each day once (expiry/dailyRun.ts records it in job_runs); with
//                         `start({ catchUp: true })` (src/server.ts) a day whose 06:00 run was missed
//                         is queued at start. The queue is stately: one job runs at a time across
//                         instances, so instances starting together scan once.
//   queue 'retention'     (cron daily 03:30 Europe/Amsterdam): removes or pseudonymises personal data
//                         past its time (src/features/retention, passed in by src/services.ts).
import pg from 'pg'
import PgBoss from 'pg-boss'
import type { Logger } from 'pino'
import type { Db } from '../../db/tx.ts'
import { poolConfigFromUrl } from '../../db/poolConfig.ts'
import { databaseUnavailableReason, logConnectionError } from '../../db/unavailable.ts'
import type { MailDelivery } from './delivery.ts'

export const MAIL_QUEUE = 'mail-deliver'
export const EXPIRY_QUEUE = 'expiry-scan'
export const OUTBOX_CHANNEL = 'outgoing_mail'
export const EXPIRY_CRON = '0 6 * * *'
export const RETENTION_QUEUE = 'retention'
export const RETENTION_CRON = '30 3 * * *'

export type ExpiryScanner = {
  runToday: () => Promise<unknown>
  runDay: (day: string) => Promise<unknown>
  missedDay: (now?: Date) => Promise<string | null>
}
export type RetentionJob = { run: () => Promise<unknown> }

/** Instances starting together on a fresh database race to create the queues (a deadlock or a
 * duplicate in pg-boss's create_queue): the loser looks again. */
async function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: 'stately', retryLimit: 3, retryDelay: 30 })
      return
    } catch (error) {
      if (attempt >= 5 || !['40P01', '23505'].includes(String((error as { code?: string }).code))) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}

export class MailWorker {
  private boss: PgBoss | null = null
  private listener: pg.Client | null = null
  private stopping = false

  constructor(
    private readonly databaseUrl: string,
    private readonly db: Db,
    private readonly delivery: MailDelivery,
    private readonly logger: Logger,
    private readonly expiry?: ExpiryScanner,
    private readonly options: { pollingIntervalSeconds?: number; schedules?: boolean; retention?: RetentionJob } = {},
  ) {}

  get running(): boolean {
    return this.boss !== null
  }

  async start(options: { catchUp?: boolean } = {}): Promise<void> {
    if (this.boss) return
    this.stopping = false
    const pool = poolConfigFromUrl(this.databaseUrl, { max: 3 })
    const boss = new PgBoss({ ...(pool as PgBoss.DatabaseOptions), schema: 'pgboss', application_name: 'beheermodule-jobs' })
    boss.on('error', logConnectionError(this.logger, 'pg-boss error'))
    await boss.start()
    for (const name of [MAIL_QUEUE, EXPIRY_QUEUE, RETENTION_QUEUE]) await ensureQueue(boss, name)
    if (this.options.schedules !== false) {
      await boss.schedule(MAIL_QUEUE, '* * * * *')
      await boss.schedule(EXPIRY_QUEUE, EXPIRY_CRON, {}, { tz: 'Europe/Amsterdam' })
      if (this.options.retention) await boss.schedule(RETENTION_QUEUE, RETENTION_CRON, {}, { tz: 'Europe/Amsterdam' })
    }
    const polling = { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }
    await boss.work(MAIL_QUEUE, polling, async () => {
      const result = await this.delivery.deliverDue()
      if (result.sent + result.retried + result.failed > 0) this.logger.info(result, 'mail delivered')
      await this.scheduleNextRetry(boss)
    })
    if (this.expiry) {
      const expiry = this.expiry
      await boss.work<{ day?: string }>(EXPIRY_QUEUE, polling, async ([job]) => {
        const day = job?.data?.day
        const result = day ? await expiry.runDay(day) : await expiry.runToday()
        if (result === null) this.logger.info({ day }, 'expiry scan already done for the day')
        else this.logger.info({ day, result }, 'expiry scan done')
        await boss.send(MAIL_QUEUE, {})
      })
      if (options.catchUp) {
        const day = await expiry.missedDay()
        if (day && (await boss.send(EXPIRY_QUEUE, { day }))) this.logger.info({ day }, 'expiry scan queued: the run for the day was missed')
      }
    }
    if (this.options.retention) {
      const retention = this.options.retention
      await boss.work(RETENTION_QUEUE, polling, async () => {
        const result = await retention.run()
        this.logger.info({ result }, 'retention done')
      })
    }
    this.boss = boss
    await this.listen()
    await this.wake()
  }

  /** Asks for a delivery run now (no-op when the worker is not running). */
  async wake(): Promise<void> {
    if (!this.boss || this.stopping) return
    await this.boss.send(MAIL_QUEUE, {}).catch((error) => this.logger.warn({ err: error }, 'could not wake the mail worker'))
  }

  async stop(): Promise<void> {
    this.stopping = true
    const boss = this.boss
    this.boss = null
    const listener = this.listener
    this.listener = null
    await listener?.end().catch(() => {})
    await boss?.stop({ graceful: true, wait: true, timeout: 15_000 }).catch((error) => this.logger.warn({ err: error }, 'pg-boss stop'))
  }

  /** After a temporary failure: a run at the earliest retry time (the minute cron also covers it). */
  private async scheduleNextRetry(boss: PgBoss): Promise<void> {
    const [next] = await this.db.$queryRaw<{ at: Date | null }[]>`
      SELECT min(next_attempt_at) AS at FROM outgoing_mail WHERE status = 'pending' AND next_attempt_at > now()`
    if (next?.at) await boss.sendAfter(MAIL_QUEUE, {}, {}, next.at)
  }

  /** LISTEN for the outbox's NOTIFY; reconnects after a lost connection while running. */
  private async listen(): Promise<void> {
    if (this.stopping) return
    const client = new pg.Client(poolConfigFromUrl(this.databaseUrl))
    client.on('error', (error) => {
      this.logger.warn({ reason: databaseUnavailableReason(error) ?? String(error) }, 'outbox listener lost its connection')
      if (this.listener === client) {
        this.listener = null
        setTimeout(() => void this.listen().catch(() => {}), 5_000).unref()
      }
    })
    client.on('notification', () => void this.wake())
    try {
      await client.connect()
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`)
      this.listener = client
      if (this.stopping) await client.end()
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox listener could not connect; the minute schedule still delivers')
      await client.end().catch(() => {})
    }
  }
}
