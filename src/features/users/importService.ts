// "Gebruikers toevoegen": a preview that checks every row, then one transaction that stores the
// confirmed rows set-based (users, links, means, applications signed by the admin, audit, mail).
import { randomUUID } from 'node:crypto'
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import type { Config } from '../../config.ts'
import { RuleViolation } from '../../errors.ts'
import { addYears, parseIsoDate, todayUtc } from '../../web/dates.ts'
import { formatDate } from '../../web/format.ts'
import type { Actor } from '../audit/actor.ts'
import { recordAuditMany, type AuditEntry } from '../audit/audit.ts'
import type { Principal } from '../auth/principal.ts'
import { queueMails, type QueuedMail } from '../mail/outbox.ts'
import { levelLabel, needsIdentityCheck } from '../applications/levels.ts'
import { checkRows, toValidRow, type CheckedRow, type RawRow, type ValidRow } from './importRows.ts'

export type Preview = { rows: CheckedRow[]; valid: ValidRow[]; invalidCount: number }
export type CommitResult = { created: number; active: number; awaitingCheck: number }

export class ImportService {
  constructor(
    private readonly db: PrismaClient,
    private readonly config: Config,
  ) {}

  /** Checks every row (on its own, within the list, against the database); stores nothing. */
  async preview(principal: Principal, rows: { line: number; values: RawRow }[], organisationBy: 'id' | 'kvk', now = new Date()): Promise<Preview> {
    const checked = checkRows(rows, principal.adminOrganisations, organisationBy, now)
    const keys = [...new Set(checked.filter((r) => !r.errors.email).map((r) => r.values.email.toLowerCase()))]
    const taken = new Set<string>()
    for (let i = 0; i < keys.length; i += 1000) {
      const found = await this.db.user.findMany({ where: { emailKey: { in: keys.slice(i, i + 1000) } }, select: { emailKey: true } })
      for (const u of found) taken.add(u.emailKey)
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
    const recheck = await this.preview(
      principal,
      rows.map((r) => ({
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
      })),
      'id',
      now,
    )
    if (recheck.invalidCount > 0) throw new RuleViolation('users:import.errors.changedSincePreview', undefined, { count: recheck.invalidCount })

    const today = todayUtc(now)
    const orgs = new Map(principal.adminOrganisations.map((o) => [o.id, o]))
    const users: Prisma.UserCreateManyInput[] = []
    const links: Prisma.OrganisationLinkCreateManyInput[] = []
    const means: Prisma.MeansCreateManyInput[] = []
    const applications: Prisma.ApplicationCreateManyInput[] = []
    const items: Prisma.ApplicationItemCreateManyInput[] = []
    const signatures: Prisma.ApplicationSignatureCreateManyInput[] = []
    const audit: AuditEntry[] = []
    const mails: QueuedMail[] = []
    let active = 0
    for (const row of rows) {
      const userId = randomUUID()
      const meansId = randomUUID()
      const applicationId = randomUUID()
      const immediate = !needsIdentityCheck(row.level)
      const validUntil = addYears(today, row.termYears)
      users.push({
        id: userId,
        firstName: row.firstName,
        lastNamePrefix: row.lastNamePrefix,
        lastName: row.lastName,
        dateOfBirth: parseIsoDate(row.dateOfBirth)!,
        email: row.email,
        mobile: row.mobile,
        locale: actor.locale,
      })
      links.push({ userId, organisationId: row.organisationId })
      means.push({ id: meansId, userId, level: row.level, status: immediate ? 'active' : 'requested', validFrom: today, validUntil, issuedAt: immediate ? now : null })
      // Rule 10: EH2/EH2+ are issued at once (signed by the admin); EH3/EH4 wait for the identity check.
      applications.push({
        id: applicationId,
        organisationId: row.organisationId,
        type: 'new_means',
        status: immediate ? 'issued' : 'awaiting_identity_check',
        level: row.level,
        termYears: row.termYears,
        subjectUserId: userId,
        requestedById: principal.id,
        decidedAt: immediate ? now : null,
      })
      items.push({ applicationId, details: { meansId, level: row.level, termYears: row.termYears } })
      signatures.push({ applicationId, signerType: 'admin', adminUserId: principal.id, signedAt: now })
      const after = { name: [row.firstName, row.lastNamePrefix, row.lastName].filter(Boolean).join(' '), email: row.email, level: row.level, termYears: row.termYears }
      audit.push({ action: 'user.created', organisationId: row.organisationId, subjectType: 'user', subjectId: userId, after: { ...after, mobile: row.mobile } })
      audit.push({ action: immediate ? 'application.issued' : 'application.awaiting_identity_check', organisationId: row.organisationId, subjectType: 'application', subjectId: applicationId, after: { type: 'new_means', ...after, signedBy: principal.id } })
      if (immediate) {
        active++
        mails.push({
          idempotencyKey: `means-active:${applicationId}`,
          to: row.email,
          template: 'means-active',
          locale: actor.locale,
          data: {
            name: after.name,
            firstName: row.firstName,
            organisationName: orgs.get(row.organisationId)?.name ?? '',
            level: levelLabel(row.level),
            validUntil: formatDate(validUntil, actor.locale),
            upgrade: false,
            loginUrl: `${this.config.baseUrl}/inloggen`,
          },
        })
      }
    }
    await this.db.$transaction(
      async (tx) => {
        await tx.user.createMany({ data: users })
        await tx.organisationLink.createMany({ data: links })
        await tx.means.createMany({ data: means })
        await tx.application.createMany({ data: applications })
        await tx.applicationItem.createMany({ data: items })
        await tx.applicationSignature.createMany({ data: signatures })
        await recordAuditMany(tx, actor, audit)
        await queueMails(tx, mails)
      },
      { timeout: 60_000 },
    ).catch((error: unknown) => {
      // Unique e-mail key: someone added the same address between the check and the commit.
      if ((error as { code?: string }).code === 'P2002') throw new RuleViolation('users:import.errors.changedSincePreview', undefined, { count: 1 })
      throw error
    })
    return { created: rows.length, active, awaitingCheck: rows.length - active }
  }
}
