// Account activation (rule 22): the link from the activation mail sets the first password; an
// expired link sends a new one to the same person; an admin resends it from Gebruikers.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { hashPassword } from '../../shared/passwords.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { findActionToken, hashToken, useActionToken, type TokenProblem } from '../../shared/workflows/actionTokens.ts'
import { ACTIVATION_PURPOSE, sendActivation } from '../../shared/workflows/activation.ts'

export type ActivationLink = { ok: true; email: string } | { ok: false; problem: TokenProblem }
export type Activated = { ok: true; userId: string; email: string } | { ok: false; problem: TokenProblem }

export class ActivationService {
  constructor(private readonly db: PrismaClient) {}

  /** What the link names, without using it. */
  async open(token: string, now = new Date()): Promise<ActivationLink> {
    const found = await findActionToken(this.db, token, ACTIVATION_PURPOSE, now)
    if (!found.ok) return found
    const user = await this.db.user.findUnique({ where: { id: found.subject.userId }, select: { email: true } })
    return user ? { ok: true, email: user.email } : { ok: false, problem: 'invalid' }
  }

  /** Sets the first password and spends the link, at most once. */
  async activate(token: string, password: string, actor: Actor, now = new Date()): Promise<Activated> {
    const passwordHash = await hashPassword(password)
    return this.db.$transaction(async (tx) => {
      const found = await findActionToken(tx, token, ACTIVATION_PURPOSE, now)
      if (!found.ok) return found
      if (!(await useActionToken(tx, found.id, now))) return { ok: false, problem: 'used' } as const
      const user = await tx.user.update({ where: { id: found.subject.userId }, data: { passwordHash }, select: { id: true, email: true } })
      await recordAudit(tx, { ...actor, label: user.email }, { action: 'user.activated', subjectType: 'user', subjectId: user.id })
      return { ok: true, userId: user.id, email: user.email } as const
    })
  }

  /**
   * "Stuur een nieuwe link": an expired, unused link sends a new one to the person it was for, if
   * they have not activated since. Answers nothing: the page says the same either way.
   */
  async newLink(token: string, actor: Actor, now = new Date()): Promise<void> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return
    const row = await this.db.actionToken.findUnique({ where: { tokenHash: hashToken(token) } })
    if (!row || row.purpose !== ACTIVATION_PURPOSE || row.usedAt || row.supersededAt || row.expiresAt > now) return
    const userId = (row.subject as { userId?: string }).userId
    if (!userId) return
    await this.db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId }, select: { passwordHash: true } })
      if (!user || user.passwordHash) return
      // Only a link that is still the newest one may ask for another (an older one was replaced).
      const newer = await tx.actionToken.count({
        where: { purpose: ACTIVATION_PURPOSE, createdAt: { gt: row.createdAt }, subject: { path: ['userId'], equals: userId } },
      })
      if (newer > 0) return
      await sendActivation(tx, actor, userId, {}, now)
    })
  }

  /** Beheer → Gebruikers: the admin sends a user of his organisations a new activation link. */
  /** `beforeSend` runs once the person is known to be the admin's and not yet active (the resend limit). */
  async resend(principal: Principal, actor: Actor, userId: string, now = new Date(), beforeSend?: () => Promise<void>): Promise<void> {
    const orgIds = adminOrganisationIds(principal)
    if (!/^[0-9a-f-]{36}$/i.test(userId)) throw new NotFoundError()
    const user = await this.db.user.findFirst({
      where: { id: userId, links: { some: { organisationId: { in: orgIds } } } },
      select: { id: true, passwordHash: true, links: { where: { organisationId: { in: orgIds } }, select: { organisation: { select: { name: true } } } } },
    })
    if (!user) throw new NotFoundError()
    if (user.passwordHash) throw new RuleViolation('activation:errors.alreadyActive')
    await beforeSend?.()
    await this.db.$transaction((tx) => sendActivation(tx, actor, user.id, { organisationName: user.links[0]?.organisation.name }, now))
  }

  /** Has this user set a password (for the resend button on the user's page)? */
  async isActivated(userId: string): Promise<boolean> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } })
    return !!user?.passwordHash
  }
}
