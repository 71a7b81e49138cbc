// Mijn gegevens: every user's own means and mandates, contact details, and the e-mail change
// confirmed through a single-use link sent to the new address.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts'
import { ownMeans } from '../../shared/ownMeans.ts'
import { ownMandates } from '../../shared/ownMandates.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { addDays, isoDate } from '../../domain/dates.ts'
import { links } from '../../paths.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit, subjectEntry } from '../../shared/audit.ts'
import type { Principal } from '../../shared/principal.ts'
import { queueMail } from '../../shared/outbox.ts'
import { createActionToken, findActionToken, useActionToken, type TokenProblem } from '../../shared/workflows/actionTokens.ts'
import { personName } from '../../domain/names.ts'
import { EMAIL_PATTERN, normaliseMobile } from '../../domain/contact.ts'

export const EMAIL_CHANGE_DAYS = 2

/** Own mandates a page on Mijn gegevens: an accountant holds one for each of his 500 organisations. */
export const OWN_MANDATES_PAGE = 50

export class SelfService {
  constructor(
    private readonly db: PrismaClient,
    /** For the person's own mandates, read on every visit of Mijn gegevens (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {}

  /**
   * The person, their means, and one page of their own mandates (OWN_MANDATES_PAGE a page, from 1):
   * read on every visit, so through the page reads.
   */
  async profile(principal: Principal, page = 1) {
    const [user, means, mandates] = await Promise.all([
      this.pageReads
        .rows<{ firstName: string; lastNamePrefix: string | null; lastName: string; email: string; mobile: string | null; dateOfBirth: Date; locale: string }>(
          Prisma.sql`
            select u.first_name as "firstName", u.last_name_prefix as "lastNamePrefix", u.last_name as "lastName", u.email, u.mobile,
                   u.date_of_birth as "dateOfBirth", u.locale
            from users u where u.id = ${principal.id}::uuid`,
        )
        .then(([user]) => {
          if (!user) throw new NotFoundError()
          return user
        }),
      ownMeans(this.pageReads, principal.id),
      ownMandates(this.pageReads, principal.id, { limit: OWN_MANDATES_PAGE + 1, offset: (page - 1) * OWN_MANDATES_PAGE }),
    ])
    return { user, means, mandates: mandates.slice(0, OWN_MANDATES_PAGE), mandatesMore: mandates.length > OWN_MANDATES_PAGE }
  }

  async changeMobile(principal: Principal, actor: Actor, mobile: string): Promise<void> {
    const normalised = normaliseMobile(mobile)
    if (!normalised) throw new RuleViolation('self:errors.mobile', 'mobile')
    await this.db.$transaction(async (tx) => {
      const before = await tx.user.findUniqueOrThrow({ where: { id: principal.id }, select: { mobile: true } })
      await tx.user.update({ where: { id: principal.id }, data: { mobile: normalised } })
      await recordAudit(tx, actor, { action: 'user.mobile_changed', subjectType: 'user', subjectId: principal.id, before, after: { mobile: normalised } })
    })
  }

  /** Sends a confirmation link to the new address; nothing changes until it is used. */
  async requestEmailChange(principal: Principal, actor: Actor, email: string, now = new Date()): Promise<void> {
    const address = email.trim()
    if (!EMAIL_PATTERN.test(address) || address.length > 254) throw new RuleViolation('self:errors.email', 'email')
    const taken = await this.db.user.findUnique({ where: { emailKey: address.toLowerCase() }, select: { id: true } })
    if (taken?.id === principal.id) throw new RuleViolation('self:errors.sameEmail', 'email')
    // Someone else's address: the same answer as for a free one (no oracle on who has an account),
    // the same audit entry, but no token and no mail; the owner of that address is not bothered.
    await this.db.$transaction(async (tx) => {
      const user = await tx.user.findUniqueOrThrow({ where: { id: principal.id } })
      const requested = subjectEntry('user.email_change_requested', 'user', user, { before: { email: user.email }, after: { requested: address } })
      if (taken) {
        await recordAudit(tx, actor, requested)
        return
      }
      const expiresAt = addDays(now, EMAIL_CHANGE_DAYS)
      const token = await createActionToken(tx, 'email-change', { userId: user.id, email: address }, expiresAt)
      await recordAudit(tx, actor, requested)
      await queueMail(tx, {
        idempotencyKey: `email-change:${user.id}:${now.getTime()}`,
        to: address,
        template: 'email-change',
        locale: user.locale,
        data: { name: personName(user), oldEmail: user.email, newEmail: address, confirmPath: links.mineEmailConfirm(token), expiresAt: isoDate(expiresAt) },
      })
    })
  }

  async describeEmailToken(raw: string, now = new Date()): Promise<{ ok: true; email: string } | { ok: false; problem: TokenProblem }> {
    const found = await findActionToken(this.db, raw, 'email-change', now)
    if (!found.ok) return found
    return { ok: true, email: found.subject.email ?? '' }
  }

  /** Uses the link: the address changes once; a used, expired or unknown link changes nothing. */
  async confirmEmailChange(raw: string, actor: Actor, now = new Date()): Promise<{ ok: true; email: string } | { ok: false; problem: TokenProblem | 'taken' }> {
    return this.db.$transaction(async (tx) => {
      const found = await findActionToken(tx, raw, 'email-change', now)
      if (!found.ok) return found
      const { userId, email } = found.subject
      if (!userId || !email) return { ok: false, problem: 'invalid' } as const
      const taken = await tx.user.findUnique({ where: { emailKey: email.toLowerCase() }, select: { id: true } })
      if (taken && taken.id !== userId) return { ok: false, problem: 'taken' } as const
      if (!(await useActionToken(tx, found.id, now))) return { ok: false, problem: 'used' } as const
      const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })
      await tx.user.update({ where: { id: userId }, data: { email } })
      await recordAudit(
        tx,
        { ...actor, label: actor.principal?.email ?? before.email },
        { action: 'user.email_changed', subjectType: 'user', subjectId: userId, before, after: { email } },
      )
      return { ok: true, email } as const
    })
  }
}
