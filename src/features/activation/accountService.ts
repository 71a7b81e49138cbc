// Mijn gegevens → Wachtwoord en tweede factor: change the password (the current one first), and set
// up the authenticator app again, which also makes new recovery codes (the enrolment step of
// src/features/security does that part once the old secret is cleared here).
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { hashPassword, verifyPassword } from '../../shared/passwords.ts'

export class AccountService {
  constructor(private readonly db: PrismaClient) {}

  async hasSecondFactor(userId: string): Promise<boolean> {
    const user = await this.db.user.findUnique({ where: { id: userId }, select: { totpSecret: true } })
    return !!user?.totpSecret
  }

  async changePassword(userId: string, current: string, next: string, actor: Actor, sessionId: string): Promise<void> {
    const user = await this.db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } })
    if (!(await verifyPassword(user.passwordHash, current))) throw new RuleViolation('activation:account.errors.current', 'currentPassword')
    const passwordHash = await hashPassword(next)
    await this.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { passwordHash } })
      // Other sessions of this person end; this one stays.
      await tx.$executeRaw`delete from "session" where sess -> 'passport' ->> 'user' = ${userId} and sid <> ${sessionId}`
      await recordAudit(tx, actor, { action: 'password_changed', subjectType: 'user', subjectId: userId })
    })
  }

  /** After the caller checked password and code: the old secret and codes stop working. */
  async clearSecondFactor(userId: string, actor: Actor): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } })
      await tx.recoveryCode.deleteMany({ where: { userId } })
      await recordAudit(tx, actor, { action: 'totp_reset', subjectType: 'user', subjectId: userId })
    })
  }
}
