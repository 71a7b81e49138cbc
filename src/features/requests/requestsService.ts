// Verzoeken: an admin asks an existing user (by e-mail address) to be linked to one of his
// organisations; the user accepts or rejects in the portal; a request lapses after 3 months (rule 8).
import { Prisma, type LinkRequestStatus, type PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { addMonths, isoDate } from '../../domain/dates.ts'
import { links } from '../../paths.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit, recordAuditPerSubject } from '../../shared/audit.ts'
import { endMandatesOfRejectedRequest } from '../../shared/workflows/linkRequests.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { decodeCreatedAtCursor, encodeCreatedAtCursor, olderThan, type CreatedAtCursor } from '../../shared/createdAtCursor.ts'
import { queueMailToPerson, type MailPerson } from '../../shared/outbox.ts'
import type { Tx } from '../../db/tx.ts'
import { levelsAtOrBelow } from '../../domain/levels.ts'
import { namePartsOf, personName } from '../../domain/names.ts'
import { EMAIL_PATTERN } from '../../domain/contact.ts'
import { openLinkRequest, openLinkRequestWhere } from '../../shared/openLinkRequests.ts'

export const REQUEST_MONTHS = 3
/** Requests a page on Verzoeken. */
export const REQUESTS_PAGE = 25

/** What this service needs of the rate limits: one attempt per request sent, true when over the limit. */
export type AttemptLimiter = { consume(kind: 'linkRequest', keys: { account: string }): Promise<boolean> }

/** Too many requests: shown like a rule's message, answered with 429. */
export class TooManyRequests extends RuleViolation {
  override name = 'TooManyRequests'
  override readonly status = 429
}

/** What the screen shows: a pending request past its expiry is "Verlopen" (lapsed). */
export function shownStatus(request: { status: LinkRequestStatus; expiresAt: Date }, now = new Date()): LinkRequestStatus {
  return request.status === 'pending' && request.expiresAt <= now ? 'lapsed' : request.status
}

/** An open request as Mijn gegevens shows it to the person asked. */
export type PendingRequest = {
  id: string
  expiresAt: Date
  organisation: { name: string; kvkNumber: string }
  requestedBy: { firstName: string; lastNamePrefix: string | null; lastName: string } | null
}

/** A request as the admin's Verzoeken list (and the API) shows it. */
export type AdminRequest = {
  id: string
  organisationId: string
  status: LinkRequestStatus
  createdAt: Date
  expiresAt: Date
  decidedAt: Date | null
  organisation: { name: string }
  requestedBy: { firstName: string; lastNamePrefix: string | null; lastName: string } | null
  shownStatus: LinkRequestStatus
  /** The typed address, or the person's own for the wizard's requests. */
  email: string
  /** Only once the person has accepted. */
  name: string | null
}

type AdminRequestRow = Pick<AdminRequest, 'id' | 'organisationId' | 'status' | 'createdAt' | 'expiresAt' | 'decidedAt'> & {
  typed_email: string | null
  organisation_name: string
  user_email: string | null
  user_first_name: string | null
  user_last_name_prefix: string | null
  user_last_name: string | null
  by_first_name: string | null
  by_last_name_prefix: string | null
  by_last_name: string | null
}

type PendingRequestRow = {
  id: string
  expiresAt: Date
  organisation_name: string
  kvk_number: string
  first_name: string | null
  last_name_prefix: string | null
  last_name: string | null
}

export class RequestsService {
  constructor(
    private readonly db: PrismaClient,
    /** The app's rate limits (src/features/security/rateLimits.ts, passed in by src/services.ts). */
    private readonly limiter?: AttemptLimiter,
    /** For the person's open requests on Mijn gegevens (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {}

  /** The admin's organisations' requests, newest first, at most 500 (the API's list). */
  async listForAdmin(principal: Principal, now = new Date()): Promise<AdminRequest[]> {
    return this.adminRequests(principal, 500, null, now)
  }

  /** One page of Verzoeken, newest first (keyset on created_at and id, after `after`), and the next page's cursor. */
  async pageForAdmin(principal: Principal, after?: string, now = new Date()): Promise<{ rows: AdminRequest[]; next: string | null }> {
    const rows = await this.adminRequests(principal, REQUESTS_PAGE + 1, decodeCreatedAtCursor(after), now)
    const page = rows.slice(0, REQUESTS_PAGE)
    const last = page[page.length - 1]
    return { rows: page, next: rows.length > REQUESTS_PAGE && last ? encodeCreatedAtCursor(last) : null }
  }

  /**
   * In one statement through the page-read pool (an accountant's 500 organisations are one array
   * parameter, not 500 of Prisma's): the page's keys first (2,500 requests of his organisations are
   * sorted as keys), then the names of only the rows shown.
   */
  private async adminRequests(principal: Principal, limit: number, cursor: CreatedAtCursor | null, now: Date): Promise<AdminRequest[]> {
    const rows = await this.pageReads.rows<AdminRequestRow>(Prisma.sql`
      with page as (
        select r.id from link_requests r
        where r.organisation_id = any(${adminOrganisationIds(principal)}::uuid[]) ${olderThan('r', cursor)}
        order by r.created_at desc, r.id desc
        limit ${limit}
      )
      select r.id, r.organisation_id as "organisationId", r.status::text as status, r.created_at as "createdAt",
             r.expires_at as "expiresAt", r.decided_at as "decidedAt", r.email as typed_email, o.name as organisation_name,
             u.email as user_email, u.first_name as user_first_name, u.last_name_prefix as user_last_name_prefix, u.last_name as user_last_name,
             b.first_name as by_first_name, b.last_name_prefix as by_last_name_prefix, b.last_name as by_last_name
      from page p
      join link_requests r on r.id = p.id
      join organisations o on o.id = r.organisation_id
      left join users u on u.id = r.user_id
      left join users b on b.id = r.requested_by_id
      order by r.created_at desc, r.id desc`)
    // Until the person accepts, the admin sees only the address he typed: no name, no sign of
    // whether it has an account (the wizard's requests are for people he already manages).
    return rows.map((r) => {
      const person = r.status === 'accepted' ? namePartsOf(r.user_first_name, r.user_last_name_prefix, r.user_last_name) : null
      return {
        id: r.id,
        organisationId: r.organisationId,
        status: r.status,
        createdAt: r.createdAt,
        expiresAt: r.expiresAt,
        decidedAt: r.decidedAt,
        organisation: { name: r.organisation_name },
        requestedBy: namePartsOf(r.by_first_name, r.by_last_name_prefix, r.by_last_name),
        shownStatus: shownStatus(r, now),
        email: r.typed_email ?? r.user_email ?? '',
        name: person ? personName(person) : null,
      }
    })
  }

  /**
   * "Nieuw verzoek" answers the same whether or not the address has an account (no oracle on other
   * customers' people): a request is stored either way, with the typed address; only a person who
   * has an account gets the e-mail. The admin's list shows the address until the person accepts.
   * Refused only for what the admin can see anyway (a user already linked to his organisation, a
   * request of his still open) and when he sends too many (per admin and organisation).
   */
  async create(principal: Principal, actor: Actor, input: { organisationId: string; email: string }, now = new Date()): Promise<string> {
    const organisation = principal.adminOrganisations.find((o) => o.id === input.organisationId)
    if (!organisation) throw new RuleViolation('requests:errors.organisation', 'organisationId')
    const email = input.email.trim()
    if (!EMAIL_PATTERN.test(email)) throw new RuleViolation('requests:errors.email', 'email')
    const emailKey = email.toLowerCase()
    if (this.limiter && (await this.limiter.consume('linkRequest', { account: `${principal.id}:${organisation.id}` }))) {
      throw new TooManyRequests('requests:errors.tooMany', 'email')
    }
    // Linked already: the admin sees this person in Gebruikers anyway, so saying so leaks nothing.
    const linked = await this.db.organisationLink.findFirst({ where: { organisationId: organisation.id, user: { emailKey } }, select: { userId: true } })
    if (linked) throw new RuleViolation('requests:errors.alreadyLinked', 'email')
    // An open request for this address in this organisation is in the admin's own list.
    const open = await this.db.linkRequest.findFirst({
      where: {
        organisationId: organisation.id,
        ...openLinkRequestWhere(now),
        OR: [{ email: { equals: email, mode: 'insensitive' } }, { user: { emailKey } }],
      },
      select: { id: true },
    })
    if (open) throw new RuleViolation('requests:errors.alreadyPending', 'email')
    const user = await this.db.user.findUnique({
      where: { emailKey },
      select: { id: true, email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true },
    })
    return this.db.$transaction(async (tx) => {
      const expiresAt = addMonths(now, REQUEST_MONTHS)
      const request = await tx.linkRequest.create({
        data: { userId: user?.id ?? null, email, organisationId: organisation.id, requestedById: principal.id, expiresAt, createdAt: now },
      })
      // The same audit entry either way: the Logboek must not tell the two apart.
      await recordAudit(tx, actor, {
        action: 'link_request.created',
        organisationId: organisation.id,
        subjectType: 'link_request',
        subjectId: request.id,
        after: { email, organisationId: organisation.id, expiresAt },
      })
      if (user) await queueLinkRequestMail(tx, user, { id: request.id, organisationName: organisation.name, requestedByName: principal.name, expiresAt }, '')
      return request.id
    })
  }

  /**
   * "Opnieuw versturen": the mail of an open request once more; `beforeSend` (the resend limit) runs
   * once the request is known to be the admin's and open. Audited
   * the same whether or not the address has an account, as `create` is: only a person with one gets mail.
   */
  async resend(principal: Principal, actor: Actor, requestId: string, beforeSend?: () => Promise<void>, now = new Date()): Promise<void> {
    const ids = adminOrganisationIds(principal)
    await this.db.$transaction(async (tx) => {
      const request = await tx.linkRequest.findFirst({
        where: { id: requestId, organisationId: { in: ids } },
        include: {
          organisation: { select: { name: true } },
          user: { select: { id: true, email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true } },
        },
      })
      if (!request) throw new NotFoundError()
      if (shownStatus(request, now) !== 'pending') throw new RuleViolation('requests:errors.notPending')
      await beforeSend?.()
      const subject = { subjectType: 'link_request', subjectId: request.id, organisationId: request.organisationId } as const
      await recordAudit(tx, actor, { action: 'link_request.resent', ...subject, after: { email: request.email } })
      if (request.user) {
        const mail = { id: request.id, organisationName: request.organisation.name, requestedByName: principal.name, expiresAt: request.expiresAt }
        await queueLinkRequestMail(tx, request.user, mail, `:resent:${now.getTime()}`)
      }
    })
  }

  async cancel(principal: Principal, actor: Actor, requestId: string, now = new Date()): Promise<void> {
    const ids = adminOrganisationIds(principal)
    await this.db.$transaction(async (tx) => {
      const request = await tx.linkRequest.findFirst({ where: { id: requestId, organisationId: { in: ids } } })
      if (!request) throw new NotFoundError()
      if (shownStatus(request, now) !== 'pending') throw new RuleViolation('requests:errors.notPending')
      await tx.linkRequest.update({ where: { id: request.id }, data: { status: 'cancelled', decidedAt: now } })
      await recordAudit(tx, actor, {
        action: 'link_request.cancelled',
        organisationId: request.organisationId,
        subjectType: 'link_request',
        subjectId: request.id,
        before: { status: 'pending' },
        after: { status: 'cancelled' },
      })
    })
  }

  /** The user's own open requests (Mijn gegevens). */
  /** The person's open requests, newest first, with organisation and requester: one statement (Mijn gegevens runs it on every visit). */
  async pendingForUser(principal: Principal, now = new Date()): Promise<PendingRequest[]> {
    const rows = await this.pageReads.rows<PendingRequestRow>(Prisma.sql`
      select r.id, r.expires_at as "expiresAt", o.name as organisation_name, o.kvk_number, u.first_name, u.last_name_prefix, u.last_name
      from link_requests r
      join organisations o on o.id = r.organisation_id
      left join users u on u.id = r.requested_by_id
      where r.user_id = ${principal.id}::uuid and ${openLinkRequest('r', now)}
      order by r.created_at desc`)
    return rows.map((r) => ({
      id: r.id,
      expiresAt: r.expiresAt,
      organisation: { name: r.organisation_name, kvkNumber: r.kvk_number },
      requestedBy: namePartsOf(r.first_name, r.last_name_prefix, r.last_name),
    }))
  }

  /**
   * The user accepts: the link exists and mandates that waited for it become active, as far as
   * the user's active means allow (rule 1). A lapsed request cannot be accepted (rule 8).
   */
  async decide(principal: Principal, actor: Actor, requestId: string, accept: boolean, now = new Date()): Promise<{ activated: number }> {
    return this.db.$transaction(async (tx) => {
      const request = await tx.linkRequest.findFirst({ where: { id: requestId, userId: principal.id } })
      if (!request) throw new NotFoundError()
      const status = shownStatus(request, now)
      if (status === 'lapsed') {
        throw new RuleViolation('requests:errors.lapsed')
      }
      if (status !== 'pending') throw new RuleViolation('requests:errors.notPending')
      const claimed = await tx.linkRequest.updateMany({
        where: { id: request.id, status: 'pending' },
        data: { status: accept ? 'accepted' : 'rejected', decidedAt: now },
      })
      if (claimed.count !== 1) throw new RuleViolation('requests:errors.notPending')
      let activated = 0
      if (accept) {
        await tx.organisationLink.createMany({ data: [{ userId: principal.id, organisationId: request.organisationId }], skipDuplicates: true })
        const means = await tx.means.findFirst({ where: { userId: principal.id, status: 'active' }, orderBy: { level: 'desc' } })
        if (means) {
          const rows = await tx.mandate.updateManyAndReturn({
            where: {
              userId: principal.id,
              organisationId: request.organisationId,
              status: 'pending',
              level: { in: levelsAtOrBelow(means.level) },
              validUntil: { gt: now },
            },
            data: { status: 'active' },
            select: { id: true, validUntil: true },
          })
          activated = rows.length
          // Rule 14: one entry per mandate activated, as for any other activation.
          const activatedAt = { action: 'mandate.activated', subjectType: 'mandate', organisationId: request.organisationId } as const
          await recordAuditPerSubject(tx, actor, activatedAt, rows, (m) => ({
            before: { status: 'pending' },
            after: { status: 'active', validUntil: m.validUntil, reason: 'link_request_accepted', linkRequestId: request.id },
          }))
        }
      }
      const ended = accept ? 0 : await endMandatesOfRejectedRequest(tx, actor, request.id)
      await recordAudit(tx, actor, {
        action: accept ? 'link_request.accepted' : 'link_request.rejected',
        organisationId: request.organisationId,
        subjectType: 'link_request',
        subjectId: request.id,
        before: { status: 'pending' },
        after: { status: accept ? 'accepted' : 'rejected', activatedMandates: activated, ...(accept ? {} : { endedMandates: ended }) },
      })
      return { activated }
    })
  }
}

/** The link-request mail to the person asked; `keySuffix` tells a resend from the first mail. */
async function queueLinkRequestMail(
  tx: Tx,
  user: MailPerson,
  request: { id: string; organisationName: string; requestedByName: string; expiresAt: Date },
  keySuffix: string,
): Promise<void> {
  await queueMailToPerson(tx, user, {
    idempotencyKey: `link-request:${request.id}${keySuffix}`,
    template: 'link-request',
    data: {
      organisationName: request.organisationName,
      requestedByName: request.requestedByName,
      expiresAt: isoDate(request.expiresAt),
      requestPath: links.mine(),
    },
  })
}
