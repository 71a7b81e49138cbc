// "Gebruikers toevoegen": a preview that checks every row, then one transaction that stores the
// confirmed rows set-based (users, links, means, applications signed by the admin, audit, mail).
import { randomUUID } from 'node:crypto'
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import type { Config } from '../../config.ts'
import { RuleViolation } from '../../errors.ts'
import { addYears, isoDate, parseIsoDate, todayUtc } from '../../domain/dates.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAuditMany, type AuditEntry } from '../../shared/audit.ts'
import { insertJsonRows } from './bulkInsert.ts'
import type { Principal } from '../../shared/principal.ts'
import { queueMails, type QueuedMail } from '../../shared/outbox.ts'
import { needsIdentityCheck } from '../../domain/levels.ts'
import { checkRows, toValidRow, type CheckedRow, type RawRow, type ValidRow } from './importRows.ts'
import { toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { newActivation } from '../../shared/workflows/activation.ts'

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
    const activationTokens: Prisma.ActionTokenCreateManyInput[] = []
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
      means.push({
        id: meansId,
        userId,
        level: row.level,
        status: immediate ? 'active' : 'requested',
        validFrom: today,
        validUntil,
        issuedAt: immediate ? now : null,
      })
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
      const after = { name: personName(row), email: row.email, level: row.level, termYears: row.termYears }
      audit.push({
        action: 'user.created',
        organisationId: row.organisationId,
        subjectType: 'user',
        subjectId: userId,
        after: { ...after, mobile: row.mobile },
      })
      audit.push({
        action: immediate ? 'application.issued' : 'application.awaiting_identity_check',
        organisationId: row.organisationId,
        subjectType: 'application',
        subjectId: applicationId,
        after: { type: 'new_means', ...after, signedBy: principal.id },
      })
      if (immediate) active++
      // Rule 22: the new person's one mail is the activation link (it also says whether the means is active).
      const activation = newActivation(
        { id: userId, email: row.email, firstName: row.firstName, lastNamePrefix: row.lastNamePrefix, lastName: row.lastName, locale: actor.locale },
        { organisationName: orgs.get(row.organisationId)?.name ?? '', level: row.level, meansActive: immediate },
        now,
      )
      activationTokens.push(activation.token)
      mails.push(activation.mail)
      audit.push({ action: 'user.activation_sent', organisationId: row.organisationId, subjectType: 'user', subjectId: userId })
    }
    await this.db
      .$transaction(
        async (tx) => {
          const user = (u: Prisma.UserCreateManyInput) => ({ ...u, dateOfBirth: isoDate(u.dateOfBirth as Date) })
          await insertJsonRows(
            tx,
            'users',
            [
              { name: 'id', type: 'uuid' },
              { name: 'first_name', type: 'text' },
              { name: 'last_name_prefix', type: 'text' },
              { name: 'last_name', type: 'text' },
              { name: 'date_of_birth', type: 'date' },
              { name: 'email', type: 'text' },
              { name: 'mobile', type: 'text' },
              { name: 'locale', type: 'text' },
            ],
            users.map(user).map((u) => ({
              id: u.id,
              first_name: u.firstName,
              last_name_prefix: u.lastNamePrefix,
              last_name: u.lastName,
              date_of_birth: u.dateOfBirth,
              email: u.email,
              mobile: u.mobile,
              locale: u.locale,
            })),
            { updated_at: 'now()' },
          )
          await insertJsonRows(
            tx,
            'organisation_links',
            [
              { name: 'user_id', type: 'uuid' },
              { name: 'organisation_id', type: 'uuid' },
            ],
            links.map((l) => ({ user_id: l.userId, organisation_id: l.organisationId })),
            { id: 'gen_random_uuid()' },
          )
          await insertJsonRows(
            tx,
            'means',
            [
              { name: 'id', type: 'uuid' },
              { name: 'user_id', type: 'uuid' },
              { name: 'level', type: '"Level"' },
              { name: 'status', type: '"MeansStatus"' },
              { name: 'valid_from', type: 'date' },
              { name: 'valid_until', type: 'date' },
              { name: 'issued_at', type: 'timestamptz' },
            ],
            means.map((m) => ({
              id: m.id,
              user_id: m.userId,
              level: toDbLevel(m.level),
              status: m.status,
              valid_from: m.validFrom,
              valid_until: m.validUntil,
              issued_at: m.issuedAt ?? null,
            })),
            { updated_at: 'now()' },
          )
          await insertJsonRows(
            tx,
            'applications',
            [
              { name: 'id', type: 'uuid' },
              { name: 'organisation_id', type: 'uuid' },
              { name: 'type', type: '"ApplicationType"' },
              { name: 'status', type: '"ApplicationStatus"' },
              { name: 'level', type: '"Level"' },
              { name: 'term_years', type: 'int' },
              { name: 'subject_user_id', type: 'uuid' },
              { name: 'requested_by_id', type: 'uuid' },
              { name: 'decided_at', type: 'timestamptz' },
            ],
            applications.map((a) => ({
              id: a.id,
              organisation_id: a.organisationId,
              type: a.type,
              status: a.status,
              level: a.level ? toDbLevel(a.level) : null,
              term_years: a.termYears,
              subject_user_id: a.subjectUserId,
              requested_by_id: a.requestedById,
              decided_at: a.decidedAt ?? null,
            })),
            { updated_at: 'now()' },
          )
          await insertJsonRows(
            tx,
            'application_items',
            [
              { name: 'application_id', type: 'uuid' },
              { name: 'details', type: 'jsonb' },
            ],
            items.map((i) => ({ application_id: i.applicationId, details: i.details })),
            { id: 'gen_random_uuid()' },
          )
          await insertJsonRows(
            tx,
            'application_signatures',
            [
              { name: 'application_id', type: 'uuid' },
              { name: 'signer_type', type: '"SignerType"' },
              { name: 'admin_user_id', type: 'uuid' },
              { name: 'signed_at', type: 'timestamptz' },
            ],
            signatures.map((g) => ({ application_id: g.applicationId, signer_type: g.signerType, admin_user_id: g.adminUserId, signed_at: g.signedAt })),
            { id: 'gen_random_uuid()' },
          )
          await tx.actionToken.createMany({ data: activationTokens })
          await recordAuditMany(tx, actor, audit)
          await queueMails(tx, mails)
        },
        { timeout: 60_000 },
      )
      .catch((error: unknown) => {
        // Unique e-mail key: someone added the same address between the check and the commit.
        if ((error as { code?: string }).code === 'P2002') throw new RuleViolation('users:import.errors.changedSincePreview', undefined, { count: 1 })
        throw error
      })
    return { created: rows.length, active, awaitingCheck: rows.length - active }
  }
}
