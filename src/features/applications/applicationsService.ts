// Aanvragen: the applications of the admin's organisations; signing by an admin, cancelling, sending
// them to the legal representatives, who sign through a single-use e-mail link (rules 11, 12), and
// the admin appointment (beheerdersformulier, rule 3).
import { namePartsOf } from '../../domain/names.ts'
import { APPLICATION_STATUSES } from '../../domain/statuses.ts'
import { decodeCreatedAtCursor, encodeCreatedAtCursor, olderThan } from '../../shared/createdAtCursor.ts'
import { Prisma, type ApplicationStatus, type ApplicationType, type Level, type PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import type { Config } from '../../config.ts'
import { ConflictError, NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { applicationEntry } from '../../shared/workflows/applicationStatus.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { findActionToken, useActionToken } from '../../shared/workflows/actionTokens.ts'
import { adminMeansFits, assertWithinAdminLevel } from '../../domain/rules.ts'
import { afterSignature, notifyRepresentatives, requestRepresentativeSignatures } from '../../shared/workflows/applications.ts'
import { applicationVersion, loadApplicationDetail } from './applicationDetail.ts'
import { withFields } from '../../shared/withFields.ts'

/** Applications a page on Aanvragen (keyset pages, newest first). */
export const LIST_PAGE = 25

type PersonName = { firstName: string; lastNamePrefix: string | null; lastName: string }

/** One row of Aanvragen. */
export type ApplicationListRow = {
  id: string
  type: ApplicationType
  status: ApplicationStatus
  level: Level | null
  createdAt: Date
  rejectionReason: string | null
  organisation: { name: string }
  subjectUser: (PersonName & { id: string }) | null
  signatures: { adminUser: PersonName | null; legalRepresentative: { name: string } | null }[]
  signingSent: boolean
}

type ApplicationListSqlRow = Omit<ApplicationListRow, 'organisation' | 'subjectUser'> & {
  organisation_name: string
  subject_id: string | null
  first_name: string | null
  last_name_prefix: string | null
  last_name: string | null
}
export const OPEN_STATUSES: ApplicationStatus[] = ['awaiting_signature', 'signed']

export type SigningProblem = 'invalid' | 'used' | 'expired' | 'superseded' | 'closed' | 'alreadySigned'

export class ApplicationsService {
  constructor(
    private readonly db: PrismaClient,
    private readonly config: Config,
    /** For Aanvragen's list (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {}

  /**
   * Aanvragen: one page of the admin's organisations' applications, newest first (keyset on
   * created_at and id, after the cursor `after`), each with its organisation, subject, signatures and
   * whether signing links went out, in one statement through the page-read pool (Prisma's includes
   * and the signing check made it seven); `next` is the cursor of the following page.
   */
  async list(principal: Principal, status?: string, after?: string): Promise<{ rows: ApplicationListRow[]; next: string | null }> {
    const afterCursor = olderThan('a', decodeCreatedAtCursor(after))
    const ids = adminOrganisationIds(principal)
    const statusFilter = (APPLICATION_STATUSES as readonly string[]).includes(status ?? '') ? (status as ApplicationStatus) : undefined
    const byStatus = statusFilter ? Prisma.sql`and a.status = ${statusFilter}::"ApplicationStatus"` : Prisma.empty
    // The page's ids first, then its rows' names and signatures: joined before the sort, an
    // accountant's 1,500 applications each looked up their organisation and subject (12,000 buffer
    // reads and 7 ms a page, where 26 rows are shown).
    const rows = await this.pageReads.rows<ApplicationListSqlRow>(Prisma.sql`
      with page as (
        select a.id from applications a
        where a.organisation_id = any(${ids}::uuid[]) ${byStatus} ${afterCursor}
        order by a.created_at desc, a.id desc
        limit ${LIST_PAGE + 1}
      )
      select a.id, a.type::text as type, a.status::text as status, a.level::text as level, a.created_at as "createdAt",
             a.rejection_reason as "rejectionReason", o.name as organisation_name,
             u.id as subject_id, u.first_name, u.last_name_prefix, u.last_name,
             coalesce((
               select json_agg(json_build_object(
                        'adminUser', case when au.id is not null then json_build_object('firstName', au.first_name, 'lastNamePrefix', au.last_name_prefix, 'lastName', au.last_name) end,
                        'legalRepresentative', case when lr.id is not null then json_build_object('name', lr.name) end)
                      order by sg.signed_at, sg.id)
               from application_signatures sg
               left join users au on au.id = sg.admin_user_id
               left join legal_representatives lr on lr.id = sg.legal_representative_id
               where sg.application_id = a.id), '[]'::json) as signatures,
             exists (select 1 from audit_events e where e.subject_type = 'application' and e.subject_id = a.id::text
                       and e.action = 'application.signing_requested') as "signingSent"
      from page p
      join applications a on a.id = p.id
      join organisations o on o.id = a.organisation_id
      left join users u on u.id = a.subject_user_id
      order by a.created_at desc, a.id desc`)
    const page = rows.slice(0, LIST_PAGE).map(({ organisation_name, subject_id, first_name, last_name_prefix, last_name, ...row }) => {
      const subject = namePartsOf(first_name, last_name_prefix, last_name)
      return withFields(row, { organisation: { name: organisation_name }, subjectUser: subject_id && subject ? { id: subject_id, ...subject } : null })
    })
    const last = page[page.length - 1]
    return { rows: page, next: rows.length > LIST_PAGE && last ? encodeCreatedAtCursor(last) : null }
  }

  /** Which of these applications have had signing links sent (their button then reads "Opnieuw versturen"). */
  async signingSent(applicationIds: string[]): Promise<Set<string>> {
    if (applicationIds.length === 0) return new Set()
    const events = await this.db.auditEvent.findMany({
      where: { subjectType: 'application', subjectId: { in: applicationIds }, action: 'application.signing_requested' },
      select: { subjectId: true },
      distinct: ['subjectId'],
    })
    return new Set(events.map((e) => e.subjectId ?? ''))
  }

  private async openApplication(principal: Principal, applicationId: string) {
    const ids = adminOrganisationIds(principal)
    if (!/^[0-9a-f-]{36}$/i.test(applicationId)) throw new NotFoundError()
    const app = await this.db.application.findFirst({ where: { id: applicationId, organisationId: { in: ids } }, include: { signatures: true } })
    if (!app) throw new NotFoundError()
    return app
  }

  /** One application with everything its detail page shows (404 outside the admin's organisations). */
  detail(principal: Principal, applicationId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(applicationId)) throw new NotFoundError()
    return loadApplicationDetail(this.db, principal, applicationId)
  }

  /**
   * An admin of the organisation signs (rule 11: one admin is enough), at or below his own level (rule 2),
   * exactly the version of the application his detail page showed (ConflictError otherwise).
   */
  async sign(principal: Principal, actor: Actor, applicationId: string, version: string): Promise<string> {
    const app = await this.openApplication(principal, applicationId)
    if (applicationVersion(app) !== version) throw new ConflictError()
    if (app.status !== 'awaiting_signature') throw new RuleViolation('applications:errors.notOpen')
    if (app.type === 'admin_appointment') throw new RuleViolation('applications:errors.representativesOnly')
    const admin = principal.adminOrganisations.find((o) => o.id === app.organisationId)!
    if (app.level) assertWithinAdminLevel(admin.level, app.level, { key: 'applications:errors.aboveAdminLevel' })
    return this.db.$transaction(async (tx) => {
      const claimed = await tx.application.updateMany({
        where: { id: app.id, status: 'awaiting_signature', updatedAt: app.updatedAt },
        data: { updatedAt: new Date() },
      })
      if (claimed.count !== 1) throw new ConflictError()
      if ((await tx.applicationSignature.count({ where: { applicationId: app.id } })) !== app.signatures.length) throw new ConflictError()
      await tx.applicationSignature.create({ data: { applicationId: app.id, signerType: 'admin', adminUserId: principal.id } })
      await recordAudit(tx, actor, applicationEntry(app, 'application.signed_by_admin', { after: { adminUserId: principal.id } }))
      return afterSignature(tx, app.id, actor, this.config.baseUrl)
    })
  }

  async cancel(principal: Principal, actor: Actor, applicationId: string, now = new Date()): Promise<void> {
    const app = await this.openApplication(principal, applicationId)
    if (!OPEN_STATUSES.includes(app.status)) throw new RuleViolation('applications:errors.notOpen')
    await this.db.$transaction(async (tx) => {
      const claimed = await tx.application.updateMany({ where: { id: app.id, status: { in: OPEN_STATUSES } }, data: { status: 'cancelled', decidedAt: now } })
      if (claimed.count !== 1) throw new RuleViolation('applications:errors.notOpen')
      // Unused signing links for it stop working.
      await tx.actionToken.updateMany({
        where: { purpose: 'sign-application', usedAt: null, subject: { path: ['applicationId'], equals: app.id } },
        data: { expiresAt: now },
      })
      if (app.type === 'new_means' && app.subjectUserId) {
        await tx.means.updateMany({ where: { userId: app.subjectUserId, status: 'requested' }, data: { status: 'revoked' } })
      }
      await recordAudit(tx, actor, applicationEntry(app, 'application.cancelled', { before: { status: app.status }, after: { status: 'cancelled' } }))
    })
  }

  /**
   * Nobody signs it as admin: the legal representatives get a signing link each (again, when sent
   * before). `beforeSend` runs once the application is known to be the admin's and open (the resend limit).
   */
  async sendToRepresentatives(principal: Principal, actor: Actor, applicationId: string, beforeSend?: () => Promise<void>): Promise<number> {
    const app = await this.openApplication(principal, applicationId)
    if (app.status !== 'awaiting_signature') throw new RuleViolation('applications:errors.notOpen')
    await beforeSend?.()
    return this.db.$transaction(async (tx) => {
      const count = await requestRepresentativeSignatures(tx, app.id, actor, this.config.baseUrl)
      if (count === 0) throw new RuleViolation('applications:errors.noRepresentatives')
      return count
    })
  }

  /** Beheerdersformulier: request that a linked user becomes admin at a level equal to his means (rule 3). */
  async appointAdmin(principal: Principal, actor: Actor, input: { organisationId: string; email: string; level: Level }): Promise<string> {
    const organisation = principal.adminOrganisations.find((o) => o.id === input.organisationId)
    if (!organisation) throw new RuleViolation('applications:errors.organisation', 'organisationId')
    assertWithinAdminLevel(organisation.level, input.level, { key: 'applications:errors.aboveAdminLevel', field: 'level' })
    const user = await this.db.user.findFirst({
      where: { emailKey: input.email.trim().toLowerCase(), links: { some: { organisationId: organisation.id } } },
      include: { means: { where: { status: 'active' } } },
    })
    if (!user) throw new RuleViolation('applications:errors.userNotLinked', 'email')
    if (!user.means.some((m) => adminMeansFits(m.level, input.level))) throw new RuleViolation('applications:errors.adminLevelMismatch', 'level')
    const reps = await this.db.legalRepresentative.count({ where: { organisationId: organisation.id } })
    if (reps === 0) throw new RuleViolation('applications:errors.noRepresentatives')
    return this.db.$transaction(async (tx) => {
      const app = await tx.application.create({
        data: {
          organisationId: organisation.id,
          type: 'admin_appointment',
          level: input.level,
          subjectUserId: user.id,
          requestedById: principal.id,
          items: { create: { details: { kind: 'admin', scope: 'all', level: input.level } } },
        },
      })
      await recordAudit(tx, actor, applicationEntry(app, 'application.created', { after: { type: 'admin_appointment', userId: user.id, level: input.level } }))
      // Rule 12: nobody signed it as admin, so the legal representatives get it, each with a signing link.
      await notifyRepresentatives(tx, app.id, actor, this.config.baseUrl)
      return app.id
    })
  }

  /** What a signing link names, for the page behind it (no login). */
  async describeSigningLink(raw: string, now = new Date()) {
    const found = await findActionToken(this.db, raw, 'sign-application', now)
    if (!found.ok) return { ok: false as const, problem: found.problem as SigningProblem }
    const app = await this.db.application.findUnique({
      where: { id: found.subject.applicationId ?? '' },
      include: {
        organisation: { select: { name: true, kvkNumber: true } },
        subjectUser: { select: { firstName: true, lastNamePrefix: true, lastName: true } },
        signatures: true,
      },
    })
    const rep = await this.db.legalRepresentative.findUnique({ where: { id: found.subject.legalRepresentativeId ?? '' } })
    if (!app || !rep || rep.organisationId !== app.organisationId) return { ok: false as const, problem: 'invalid' as SigningProblem }
    if (app.status !== 'awaiting_signature') return { ok: false as const, problem: 'closed' as SigningProblem }
    if (app.signatures.some((s) => s.legalRepresentativeId === rep.id)) return { ok: false as const, problem: 'alreadySigned' as SigningProblem }
    return { ok: true as const, application: app, representative: rep }
  }

  /** The legal representative signs through his link: once, only what it names. */
  async signByLink(raw: string, actor: Actor, now = new Date()): Promise<{ ok: true; status: string } | { ok: false; problem: SigningProblem }> {
    return this.db.$transaction(async (tx) => {
      const found = await findActionToken(tx, raw, 'sign-application', now)
      if (!found.ok) return { ok: false, problem: found.problem }
      const { applicationId, legalRepresentativeId } = found.subject
      const app = await tx.application.findUnique({ where: { id: applicationId ?? '' }, include: { signatures: true } })
      const rep = await tx.legalRepresentative.findUnique({ where: { id: legalRepresentativeId ?? '' } })
      if (!app || !rep || rep.organisationId !== app.organisationId) return { ok: false, problem: 'invalid' }
      if (app.status !== 'awaiting_signature') return { ok: false, problem: 'closed' }
      if (app.signatures.some((s) => s.legalRepresentativeId === rep.id)) return { ok: false, problem: 'alreadySigned' }
      if (!(await useActionToken(tx, found.id, now))) return { ok: false, problem: 'used' }
      await tx.applicationSignature.create({
        data: { applicationId: app.id, signerType: 'legal_representative', legalRepresentativeId: rep.id, signedAt: now },
      })
      const repActor = { ...actor, principal: null, label: `${rep.name} <${rep.email}>` }
      const after = { legalRepresentativeId: rep.id, authority: rep.authority }
      await recordAudit(tx, repActor, applicationEntry(app, 'application.signed_by_representative', { after }))
      const status = await afterSignature(tx, app.id, repActor, this.config.baseUrl)
      return { ok: true, status }
    })
  }
}
