// Verzoeken: an admin asks an existing user (by e-mail address) to be linked to one of his
// organisations; the user accepts or rejects in the portal; a request lapses after 3 months (rule 8).
import type { LinkRequestStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { addMonths, isoDate } from '../../domain/dates.ts'
import { links } from '../../paths.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { queueMailToPerson } from '../../shared/outbox.ts'
import { levelsAtOrBelow } from '../../domain/levels.ts'
import { EMAIL_PATTERN } from '../../domain/contact.ts'

export const REQUEST_MONTHS = 3

/** What the screen shows: a pending request past its expiry is "Verlopen" (lapsed). */
export function shownStatus(request: { status: LinkRequestStatus; expiresAt: Date }, now = new Date()): LinkRequestStatus {
  return request.status === 'pending' && request.expiresAt <= now ? 'lapsed' : request.status
}

export class RequestsService {
  constructor(private readonly db: PrismaClient) {}

  async listForAdmin(principal: Principal, now = new Date()) {
    const ids = adminOrganisationIds(principal)
    const rows = await this.db.linkRequest.findMany({
      where: { organisationId: { in: ids } },
      include: {
        user: { select: { firstName: true, lastNamePrefix: true, lastName: true, email: true } },
        organisation: { select: { name: true } },
        requestedBy: { select: { firstName: true, lastNamePrefix: true, lastName: true } },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: 500,
    })
    return rows.map((r) => ({ ...r, shownStatus: shownStatus(r, now) }))
  }

  async create(principal: Principal, actor: Actor, input: { organisationId: string; email: string }, now = new Date()): Promise<string> {
    const organisation = principal.adminOrganisations.find((o) => o.id === input.organisationId)
    if (!organisation) throw new RuleViolation('requests:errors.organisation', 'organisationId')
    const email = input.email.trim()
    if (!EMAIL_PATTERN.test(email)) throw new RuleViolation('requests:errors.email', 'email')
    const user = await this.db.user.findUnique({ where: { emailKey: email.toLowerCase() }, include: { links: { where: { organisationId: organisation.id } } } })
    // Someone without an account: say so plainly (the admin adds new people with "Gebruikers toevoegen").
    if (!user) throw new RuleViolation('requests:errors.unknownUser', 'email')
    if (user.links.length > 0) throw new RuleViolation('requests:errors.alreadyLinked', 'email')
    const open = await this.db.linkRequest.findFirst({ where: { userId: user.id, organisationId: organisation.id, status: 'pending', expiresAt: { gt: now } } })
    if (open) throw new RuleViolation('requests:errors.alreadyPending', 'email')
    return this.db.$transaction(async (tx) => {
      const expiresAt = addMonths(now, REQUEST_MONTHS)
      const request = await tx.linkRequest.create({
        data: { userId: user.id, organisationId: organisation.id, requestedById: principal.id, expiresAt, createdAt: now },
      })
      await recordAudit(tx, actor, {
        action: 'link_request.created',
        organisationId: organisation.id,
        subjectType: 'link_request',
        subjectId: request.id,
        after: { userId: user.id, organisationId: organisation.id, expiresAt },
      })
      await queueMailToPerson(tx, user, {
        idempotencyKey: `link-request:${request.id}`,
        template: 'link-request',
        data: {
          organisationName: organisation.name,
          requestedByName: principal.name,
          expiresAt: isoDate(expiresAt),
          requestPath: links.mine(),
        },
      })
      return request.id
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
  async pendingForUser(principal: Principal, now = new Date()) {
    return this.db.linkRequest.findMany({
      where: { userId: principal.id, status: 'pending', expiresAt: { gt: now } },
      include: {
        organisation: { select: { name: true, kvkNumber: true } },
        requestedBy: { select: { firstName: true, lastNamePrefix: true, lastName: true } },
      },
      orderBy: { createdAt: 'desc' },
    })
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
          const result = await tx.mandate.updateMany({
            where: {
              userId: principal.id,
              organisationId: request.organisationId,
              status: 'pending',
              level: { in: levelsAtOrBelow(means.level) },
              validUntil: { gt: now },
            },
            data: { status: 'active' },
          })
          activated = result.count
        }
      }
      await recordAudit(tx, actor, {
        action: accept ? 'link_request.accepted' : 'link_request.rejected',
        organisationId: request.organisationId,
        subjectType: 'link_request',
        subjectId: request.id,
        before: { status: 'pending' },
        after: { status: accept ? 'accepted' : 'rejected', activatedMandates: activated },
      })
      return { activated }
    })
  }
}
