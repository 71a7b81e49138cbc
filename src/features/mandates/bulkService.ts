// Machtigingen, bulk: one mechanism for "Machtigingen Verlengen", intrekken and schorsen, on the
// selected mandates or all matching the filter. `preview` gives the confirmation page: the count,
// what the admin may not change (marked and left out) and a page of the set, with a digest of every
// candidate's id and version. `run` locks the candidates, recomputes the digest and acts only when it
// is the one the page showed; otherwise nothing changes and the caller shows the new state. The
// change is set-based in one transaction, one statement writing one audit entry per changed mandate
// and one mail per holder; the outcome per mandate goes to the result page.
import { randomUUID } from 'node:crypto'
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import { BULK_TRANSACTION, type Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { fromDbLevel } from '../../domain/levels.ts'
import { isTerm } from '../../domain/terms.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { confirmationDigest } from '../../shared/confirmation.ts'
import { wakeMailWorker } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import {
  applySql,
  BULK_PAGE_SIZE,
  lockSetSql,
  pageSql,
  summarySql,
  type AppliedRow,
  type BulkAction,
  type LockedSetRow,
  type PageRow,
  type SummaryRow,
} from './bulkSql.ts'
import { holderName, mandateLine, type MandateLine, type RenewOutcome, type RenewSelection } from './model.ts'
import { renewMandates } from './renewMandates.ts'
import { actingPrincipal } from './scoping.ts'
import { selectionTarget } from './selection.ts'

export type BulkSummary = { total: number; allowed: number; refusals: Record<string, number>; digest: string }

export type BulkRow = MandateLine & {
  level: string
  status: string
  validUntil: Date
  refusal: string | null
}

export type BulkOutcome = Omit<BulkRow, 'status' | 'validUntil'> & { oldStatus: string; validUntil: string; done: boolean }

export type BulkRunResult =
  { status: 'done'; action: 'revoke' | 'suspend'; outcomes: BulkOutcome[] } | { status: 'renewed'; outcomes: RenewOutcome[] } | { status: 'changed' }

export class MandateBulkService {
  constructor(private readonly db: PrismaClient) {}

  private async summary(principal: Principal, action: BulkAction, target: Prisma.Sql, today: string): Promise<BulkSummary> {
    const [row] = await this.db.$queryRaw<SummaryRow[]>(summarySql(principal, action, target, today))
    return { total: row?.total ?? 0, allowed: row?.allowed ?? 0, refusals: row?.refusals ?? {}, digest: setDigest(principal, action, row?.digest) }
  }

  /** The confirmation page's numbers for a selection (null: nothing of the admin's is selected). */
  async preview(principal: Principal, action: BulkAction, selection: RenewSelection, now = new Date()): Promise<BulkSummary | null> {
    const target = selectionTarget(principal, selection)
    if (!target) return null
    return this.summary(principal, action, target, isoDate(todayUtc(now)))
  }

  /** One page (1-based) of the candidates with what would happen to each. */
  async page(principal: Principal, action: BulkAction, selection: RenewSelection, page: number, now = new Date()): Promise<BulkRow[]> {
    const target = selectionTarget(principal, selection)
    if (!target) return []
    const names = new Map(principal.adminOrganisations.map((o) => [o.id, o.name]))
    const rows = await this.db.$queryRaw<PageRow[]>(pageSql(principal, action, target, isoDate(todayUtc(now)), Math.max(1, Math.min(page, 10_000))))
    return rows.map((r) => ({
      id: r.id,
      userName: holderName(r),
      organisationName: names.get(r.organisation_id) ?? '',
      scope: r.scope,
      serviceName: r.service_name,
      providerName: r.provider_name,
      level: fromDbLevel(r.level),
      status: r.status,
      validUntil: r.valid_until,
      refusal: r.refusal,
    }))
  }

  /**
   * The action as confirmed with `digest`. 'changed': the set is not what the page showed (another
   * admin, a second click, a forged or replayed form): nothing was changed. Renew needs `termYears`.
   */
  async run(actor: Actor, action: BulkAction, selection: RenewSelection, digest: string, termYears?: number, now = new Date()): Promise<BulkRunResult> {
    const principal = actingPrincipal(actor)
    if (action === 'renew' && !isTerm(termYears ?? 0)) throw new RuleViolation('mandates:errors.term', 'termYears')
    const target = selectionTarget(principal, selection)
    if (!target) throw new NotFoundError()
    const today = isoDate(todayUtc(now))
    return this.db.$transaction(async (tx) => {
      // Lock the set and compare its digest with the page's (the refusals are tested again by the change itself).
      const [current] = await tx.$queryRaw<LockedSetRow[]>(lockSetSql(principal, target))
      if (!current?.total && 'ids' in selection) throw new NotFoundError()
      if (setDigest(principal, action, current?.digest) !== digest) return { status: 'changed' as const }
      if (action === 'renew') return { status: 'renewed' as const, outcomes: await renewMandates(tx, actor, principal, target, termYears!, today) }
      const rows = await this.apply(tx, actor, principal, action, target, today, now)
      return { status: 'done' as const, action, outcomes: rows.map(toOutcome) }
    }, BULK_TRANSACTION)
  }

  /** Revoke or suspend the target in the caller's transaction: one audit entry per change, one mail per holder. */
  private async apply(tx: Tx, actor: Actor, principal: Principal, action: 'revoke' | 'suspend', target: Prisma.Sql, today: string, now: Date) {
    const rows = await tx.$queryRaw<AppliedRow[]>(applySql(principal, action, target, today, { actor, batch: randomUUID() }, now))
    if (rows[0]?.mailed) await wakeMailWorker(tx)
    return rows
  }

  /**
   * Revokes these mandates in the caller's transaction (the API's batch), with the refusals of the
   * bulk mechanism; the outcome per mandate of the admin's organisations (missing ids: not found).
   */
  async revokeIds(tx: Tx, actor: Actor, ids: string[], now = new Date()): Promise<BulkOutcome[]> {
    const principal = actingPrincipal(actor)
    const target = selectionTarget(principal, { ids })
    if (!target) return []
    return (await this.apply(tx, actor, principal, 'revoke', target, isoDate(todayUtc(now)), now)).map(toOutcome)
  }
}

/** The digest a confirmation page carries: the action, the admin and the set's digest of (id, updated_at). */
function setDigest(principal: Principal, action: BulkAction, set: string | undefined): string {
  return confirmationDigest(`bulk-${action}`, principal.id, [{ id: 'set', version: set ?? '' }])
}

function toOutcome(r: AppliedRow): BulkOutcome {
  return {
    ...mandateLine(r),
    level: fromDbLevel(r.level),
    oldStatus: r.old_status,
    validUntil: isoDate(r.valid_until),
    refusal: r.refusal,
    done: r.done,
  }
}

export { BULK_PAGE_SIZE }
