// The set-based operations of `npm run bench:scale`, through the services the pages use: bulk
// renewal, revoke and suspend (preview, then the action) of 10,000 mandates of the 1M-mandate organisation (the changed
// mandates are put back afterwards, so the next run measures the same data), and the daily expiry
// scan over every mandate as the app runs it (batches, committed: each run scans the next day).
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { addDays, isoDate, todayUtc } from '../../src/domain/dates.ts'
import { AuthService } from '../../src/features/auth/authService.ts'
import { createServices } from '../../src/services.ts'
import { nextUnscannedDay, summary, timedRun, type TimedRun } from './expiryRun.ts'
import { benchConfig } from './scaleConfig.ts'

export const BULK = 10_000
export type OpFigure = { name: string; ms: number; target: number; detail: string }

type Services = ReturnType<typeof createServices>

async function bulkOps(services: Services, adminEmail: string, organisationId: string): Promise<OpFigure[]> {
  const db = services.db
  const adminId = (await db.user.findFirstOrThrow({ where: { emailKey: adminEmail } })).id
  const principal = (await new AuthService(db).loadPrincipal(adminId))!
  const actor = { principal, label: principal.email, ipAddress: '127.0.0.1', requestId: 'bench-scale', locale: 'nl' as const }
  const pick = async (n: number) =>
    (
      await db.$queryRaw<{ id: string }[]>`
      select id from mandates where organisation_id = ${organisationId}::uuid and kind = 'use' and status = 'active'
        and valid_until < current_date + interval '3 years' order by random() limit ${n}`
    ).map((r) => r.id)
  const figures: OpFigure[] = []
  // As the page does it (Machtigingen → select → "Verlengen"/"Intrekken"/"Schorsen"): the confirmation
  // page (preview, with its digest) first, then the bound action; the action is timed, the preview noted.
  for (const action of ['renew', 'revoke', 'suspend'] as const) {
    const selection = { ids: await pick(BULK) }
    console.log(`  ${action} ${selection.ids.length} …`)
    const before = await db.$queryRaw<{ id: string; valid_until: Date }[]>`select id, valid_until from mandates where id = any(${selection.ids}::uuid[])`
    const t0 = performance.now()
    const preview = (await services.mandateBulkService.preview(principal, action, selection))!
    const t1 = performance.now()
    const result = await services.mandateBulkService.run(actor, action, selection, preview.digest, action === 'renew' ? 1 : undefined)
    const runMs = performance.now() - t1
    const changed =
      result.status === 'renewed'
        ? result.outcomes.filter((o) => !o.refusal).length
        : result.status === 'done'
          ? result.outcomes.filter((o) => o.done).length
          : 0
    figures.push({
      name: `bulk ${action === 'renew' ? 'renewal' : action} of ${BULK.toLocaleString('en')}`,
      ms: runMs,
      target: 5000,
      detail: `${changed} ${action === 'renew' ? 'renewed' : 'changed'}; preview ${(t1 - t0).toFixed(0)} ms`,
    })
    // Put back, so the next run measures the same data.
    await db.$executeRaw`update mandates m set valid_until = b.valid_until, status = 'active', revoked_at = null
      from unnest(${before.map((b) => b.id)}::uuid[], ${before.map((b) => b.valid_until)}::date[]) as b(id, valid_until) where m.id = b.id`
  }
  return figures
}

/** A timed run as figures: the whole scan, and its longest batch transaction (issue 17: under 5 s). */
function scanFigures(name: string, run: TimedRun, target: number): OpFigure[] {
  const { longest, steps } = summary(run)
  const load = `load average ${run.load.map((l) => l.toFixed(1)).join(' → ')}`
  return [
    { name, ms: run.ms, target, detail: `${run.batches.length} batches, ${load}; ${JSON.stringify(run.result)}` },
    { name: `${name}: longest batch transaction`, ms: longest, target: 5_000, detail: steps.join('; ') },
  ]
}

/** The scan as the app runs it, in committed batches: the catch-up over the fresh seed (yesterday) once,
 * then the next day not scanned yet (today on the first run, the day after on the next, …). */
async function expiryScan(services: Services): Promise<OpFigure[]> {
  const db = services.db
  const figures: OpFigure[] = []
  const [mails] = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from outgoing_mail`
  if (mails!.n === 0) figures.push(...scanFigures('catch-up scan (first run over the seed)', await timedRun(db, isoDate(addDays(todayUtc(), -1))), Number.NaN))
  const day = await nextUnscannedDay(db)
  figures.push(...scanFigures(`daily expiry scan (${day})`, await timedRun(db, day), 60_000))
  return figures
}

/** An operation that failed (a transaction past its timeout on a loaded host) is a figure too. */
async function orFailure(name: string, run: () => Promise<OpFigure[]>): Promise<OpFigure[]> {
  const t0 = performance.now()
  try {
    return await run()
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').filter(Boolean).pop()! : String(error)
    return [{ name: `${name} FAILED`, ms: performance.now() - t0, target: 0, detail: message.slice(0, 200) }]
  }
}

export async function runOps(databaseUrl: string, adminEmail: string, organisationId: string): Promise<OpFigure[]> {
  const services = createServices(benchConfig(), databaseUrl, { logger: pino({ level: 'silent' }) })
  try {
    return [
      ...(await orFailure('bulk operations', () => bulkOps(services, adminEmail, organisationId))),
      ...(await orFailure('expiry scan', () => expiryScan(services))),
    ]
  } finally {
    await services.close()
  }
}
