// "Gebruikers toevoegen": a preview that checks every row, then one transaction that stores the
// confirmed rows set-based (users, links, means, applications signed by the admin, audit, mail).
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { AppError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import type { Principal } from '../../shared/principal.ts'
import { checkRows, toValidRow, type CheckedRow, type RawRow, type ValidRow } from './importRows.ts'
import { insertImportPlan } from './importInsert.ts'
import { planImport } from './importPlan.ts'

export type Preview = { rows: CheckedRow[]; valid: ValidRow[]; invalidCount: number }
export type CommitResult = { created: number; active: number; awaitingCheck: number }

/** What the preview needs of the rate limits (src/features/security/rateLimits.ts, via src/services.ts). */
export type AddressInUseLimiter = {
  isBlocked(kind: 'addressInUse', keys: { account: string }): Promise<boolean>
  consume(kind: 'addressInUse', keys: { account: string }): Promise<boolean>
}

export class ImportService {
  constructor(
    private readonly db: PrismaClient,
    /** Bounds how many "already in use" answers an admin gets per hour (docs/SECURITY.md, "No oracles"). */
    private readonly limiter?: AddressInUseLimiter,
  ) {}

  /** Checks every row (on its own, within the list, against the database); stores nothing. */
  async preview(
    principal: Principal,
    rows: { line: number; values: RawRow }[],
    organisationBy: 'id' | 'kvk',
    now = new Date(),
    options: { countInUse?: boolean } = {},
  ): Promise<Preview> {
    const limiter = options.countInUse !== false ? this.limiter : undefined
    // Over the limit: every preview is refused for the hour, whatever it holds (no 1-bit oracle).
    if (limiter && (await limiter.isBlocked('addressInUse', { account: principal.id }))) throw new AppError('too many addresses in use', 429)
    const checked = checkRows(rows, principal.adminOrganisations, organisationBy, now)
    const keys = [...new Set(checked.filter((r) => !r.errors.email).map((r) => r.values.email.toLowerCase()))]
    const taken = new Set<string>()
    for (let i = 0; i < keys.length; i += 1000) {
      const found = await this.db.user.findMany({ where: { emailKey: { in: keys.slice(i, i + 1000) } }, select: { emailKey: true } })
      for (const u of found) taken.add(u.emailKey)
    }
    if (limiter) {
      for (let i = 0; i < taken.size; i++) {
        if (await limiter.consume('addressInUse', { account: principal.id })) throw new AppError('too many addresses in use', 429)
      }
    }
    for (const row of checked) {
      if (!row.errors.email && taken.has(row.values.email.toLowerCase())) {
        row.errors.email = { key: 'users:import.errors.emailInUse' }
        row.valid = false
      }
    }
    const valid = checked.filter((r) => r.valid).map((r) => toValidRow(r, principal.adminOrganisations, organisationBy))
    return { rows: checked, valid, invalidCount: checked.length - valid.length }
  }

  /** Stores the confirmed rows in one transaction; if any row no longer holds, nothing is stored. */
  async commit(principal: Principal, actor: Actor, rows: ValidRow[], now = new Date()): Promise<CommitResult> {
    if (rows.length === 0) throw new RuleViolation('users:import.errors.nothingToCommit')
    // Check again: the preview may be old, another admin may have added an address since.
    const recheck = await this.preview(principal, rows.map(asRawRow), 'id', now, { countInUse: false })
    if (recheck.invalidCount > 0) throw new RuleViolation('users:import.errors.changedSincePreview', undefined, { count: recheck.invalidCount })
    const plan = planImport(principal, actor, rows, now)
    await this.db
      .$transaction((tx) => insertImportPlan(tx, actor, plan), { timeout: 60_000 })
      .catch((error: unknown) => {
        // Unique e-mail key: someone added the same address between the check and the commit.
        if ((error as { code?: string }).code === 'P2002') throw new RuleViolation('users:import.errors.changedSincePreview', undefined, { count: 1 })
        throw error
      })
    return { created: rows.length, active: plan.active, awaitingCheck: rows.length - plan.active }
  }

  /**
   * One person, for the API and SCIM: the preview's checks and the commit of "Gebruikers toevoegen"
   * for a single row (organisation given by id), with the provisioning system's id on the link.
   */
  async addOne(principal: Principal, actor: Actor, values: RawRow, options: { externalId?: string | null } = {}, now = new Date()): Promise<AddOneResult> {
    const preview = await this.preview(principal, [{ line: 1, values }], 'id', now)
    const row = preview.valid[0]
    if (!row) return { errors: preview.rows[0]?.errors ?? {} }
    const result = await this.commit(principal, actor, [{ ...row, externalId: options.externalId ?? null }], now)
    const user = await this.db.user.findUniqueOrThrow({ where: { emailKey: row.email.toLowerCase() }, select: { id: true } })
    return { userId: user.id, active: result.active === 1 }
  }
}

export type AddOneResult = { userId: string; active: boolean } | { errors: CheckedRow['errors'] }

/** A confirmed row as the form or file gave it, to check it again. */
function asRawRow(r: ValidRow): { line: number; values: RawRow } {
  return {
    line: r.line,
    values: {
      firstName: r.firstName,
      lastNamePrefix: r.lastNamePrefix ?? '',
      lastName: r.lastName,
      dateOfBirth: r.dateOfBirth,
      email: r.email,
      mobile: r.mobile,
      level: r.level,
      termYears: String(r.termYears),
      organisation: r.organisationId,
    },
  }
}
