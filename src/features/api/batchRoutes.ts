// POST /api/v1/mandates/batch: up to 1,000 grants and revokes in ONE transaction, through the same
// services as the pages (the wizard's checks for each grant, the bulk mechanism's refusals for each
// revoke), with set-based audit entries and queued mails. All or nothing by default: one failing
// operation rolls everything back and the 422 problem names each failing operation (JSON pointer
// /operations/<i>) and why. With "atomic": false what can be done is done, and each result says
// what happened. More than 1,000 operations: 413.
import { Router, type Request } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { isoDate } from '../../domain/dates.ts'
import { RuleViolation } from '../../errors.ts'
import { translator } from '../../i18n/index.ts'
import { apiActor, requireScope } from '../../web/apiAuth.ts'
import { Problem, apiLocale } from '../../web/problem.ts'
import { idempotent } from './idempotency.ts'
import { jsonBody, parseInput } from './parse.ts'
import { BatchRequest, MAX_BATCH } from './schemas.ts'
import { withFields } from '../../shared/withFields.ts'

type Operation = ReturnType<typeof BatchRequest.parse>['operations'][number]
type Result = {
  index: number
  op: 'grant' | 'revoke'
  outcome: 'granted' | 'revoked' | 'failed'
  mandates: { id: string; status: string; validUntil: string }[]
  error: { status: number; detail: string } | null
}

/** Thrown inside the transaction to roll an all-or-nothing batch back. */
class BatchRefused extends Error {
  constructor(readonly results: Result[]) {
    super('batch refused')
  }
}

function failed(index: number, op: Result['op'], status: number, detail: string): Result {
  return { index, op, outcome: 'failed', mandates: [], error: { status, detail } }
}

/** 413 before parsing when the batch is too large (a zod 400 would hide what is wrong). */
function assertSize(body: unknown): void {
  const operations = (body as { operations?: unknown } | null)?.operations
  if (Array.isArray(operations) && operations.length > MAX_BATCH) throw new Problem(413, 'api:errors.batchTooLarge', { max: MAX_BATCH })
}

export function batchApiRoutes({ db, mandateWizardService, mandateBulkService }: Services): Router {
  const router = Router()

  async function run(req: Request, operations: Operation[], atomic: boolean): Promise<Result[]> {
    const t = translator(apiLocale(req))
    const actor = apiActor(req)
    const grants = operations.flatMap((op, index) => (op.op === 'grant' ? [{ index, op }] : []))
    const revokes = operations.flatMap((op, index) => (op.op === 'revoke' ? [{ index, id: op.id }] : []))
    return db.$transaction(
      async (tx) => {
        const results: Result[] = []
        const granted = await mandateWizardService.grantMany(
          tx,
          actor,
          grants.map(({ op }) => withFields(op, { branchId: op.branchId ?? null })),
        )
        granted.forEach((g, i) => {
          const index = grants[i]!.index
          if (g.ok) {
            const mandates = g.mandates.map((m) => ({ id: m.id, status: m.status, validUntil: isoDate(m.validUntil) }))
            results[index] = { index, op: 'grant', outcome: 'granted', mandates, error: null }
          } else {
            const detail = g.error instanceof RuleViolation ? t(g.error.messageKey, g.error.params) : t('common:errors.notFoundText')
            results[index] = failed(index, 'grant', g.error.status, detail)
          }
        })
        const seen = new Set<string>()
        const unique = revokes.filter((r) => !seen.has(r.id) && seen.add(r.id))
        const outcomes = new Map((await mandateBulkService.revokeIds(tx, actor, [...seen])).map((o) => [o.id, o]))
        for (const r of revokes) {
          const o = outcomes.get(r.id)
          if (!unique.includes(r)) results[r.index] = failed(r.index, 'revoke', 409, t('api:errors.batchDuplicate'))
          else if (!o) results[r.index] = failed(r.index, 'revoke', 404, t('common:errors.notFoundText'))
          else if (!o.done) results[r.index] = failed(r.index, 'revoke', 409, t(`mandates:bulkAction.refusals.${o.refusal}`))
          else {
            const mandates = [{ id: o.id, status: 'revoked', validUntil: o.validUntil }]
            results[r.index] = { index: r.index, op: 'revoke', outcome: 'revoked', mandates, error: null }
          }
        }
        if (atomic && results.some((r) => r.outcome === 'failed')) throw new BatchRefused(results)
        return results
      },
      { timeout: 60_000, maxWait: 10_000 },
    )
  }

  router.post(paths.api.mandatesBatch, allow('anonymous'), requireScope('mandates:write'), async (req, res) => {
    const body = jsonBody(req)
    assertSize(body)
    const input = parseInput(BatchRequest, body, req)
    const atomic = input.atomic ?? true
    await idempotent(db, req, res, async () => {
      try {
        const results = await run(req, input.operations, atomic)
        const failedCount = results.filter((r) => r.outcome === 'failed').length
        return { status: 200, body: { atomic, succeeded: results.length - failedCount, failed: failedCount, results } }
      } catch (error) {
        if (!(error instanceof BatchRefused)) throw error
        const refused = error.results.filter((r) => r.error)
        const items = refused.map((r) => ({ pointer: `/operations/${r.index}`, detail: r.error!.detail }))
        throw new Problem(422, 'api:errors.batchFailed', { count: refused.length }, items)
      }
    })
  })

  return router
}
