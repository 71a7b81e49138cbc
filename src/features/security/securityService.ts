// Second factor enrolment, recovery codes, password reset and the login trail.
// Recovery codes and reset tokens are random with ≥ 50 bits of entropy and stored as SHA-256
// hashes (a slow hash adds nothing for random secrets of that size); each is usable once.
import { createHash, randomBytes, randomInt } from 'node:crypto'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { queueMailToPerson } from '../../shared/outbox.ts'
import { hashPassword } from '../../shared/passwords.ts'
import { links } from '../../paths.ts'
import { sendActivation } from '../../shared/workflows/activation.ts'

export const RECOVERY_CODE_COUNT = 10
export const RESET_TOKEN_MINUTES = 30
export const RESET_PURPOSE = 'password-reset'
/** xxxxx-xxxxx in lower-case letters and digits without look-alikes (0/o, 1/l/i). */
export const RECOVERY_CODE_PATTERN = /^[a-hjkmnp-z2-9]{5}-?[a-hjkmnp-z2-9]{5}$/
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

export function newRecoveryCode(): string {
  let code = ''
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

function normaliseRecoveryCode(code: string): string {
  const clean = code.trim().toLowerCase().replace(/[\s-]/g, '')
  return `${clean.slice(0, 5)}-${clean.slice(5)}`
}

export class SecurityService {
  constructor(private readonly db: PrismaClient) {}

  /** Saves the confirmed secret and makes fresh recovery codes; returns them (shown once). */
  async completeEnrolment(userId: string, secret: string, actor: Actor, usedStep: number | null = null): Promise<string[] | null> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
    return this.db.$transaction(async (tx) => {
      const updated = await tx.user.updateMany({
        where: { id: userId, totpSecret: null },
        data: { totpSecret: secret, totpEnabledAt: new Date(), totpLastStep: usedStep },
      })
      if (updated.count !== 1) return null
      await tx.recoveryCode.deleteMany({ where: { userId } })
      await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: sha256(code) })) })
      await recordAudit(tx, actor, { action: 'totp_enrolled', subjectType: 'user', subjectId: userId, after: { recoveryCodes: codes.length } })
      return codes
    })
  }

  /** Uses a recovery code (once): true when it was one of the user's unused codes. */
  async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    if (!RECOVERY_CODE_PATTERN.test(code.trim().toLowerCase())) return false
    const used = await this.db.recoveryCode.updateMany({
      where: { userId, codeHash: sha256(normaliseRecoveryCode(code)), usedAt: null },
      data: { usedAt: new Date() },
    })
    return used.count === 1
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    return this.db.recoveryCode.count({ where: { userId, usedAt: null } })
  }

  /** Login, failed login and logout are audit events without an organisation. */
  async recordLoginEvent(actor: Actor, action: 'login' | 'login_failed' | 'logout', detail: { userId?: string | null; email?: string; method?: string } = {}) {
    const label = actor.principal ? actor.label : (detail.email ?? actor.label).slice(0, 254)
    await this.db.$transaction((tx) =>
      recordAudit(
        tx,
        { ...actor, label },
        {
          action,
          subjectType: 'user',
          subjectId: detail.userId ?? actor.principal?.id ?? null,
          after: detail.method ? { method: detail.method } : undefined,
        },
      ),
    )
  }

  /**
   * Forgot password: when the address belongs to an account, a single-use link valid for 30
   * minutes is mailed. The caller answers the same either way.
   */
  async requestPasswordReset(email: string, actor: Actor, now = new Date()): Promise<void> {
    const user = await this.db.user.findUnique({
      where: { emailKey: email.trim().toLowerCase() },
      select: { id: true, email: true, firstName: true, lastNamePrefix: true, lastName: true, locale: true, passwordHash: true },
    })
    if (!user) return
    // Never activated: there is no password to reset, so the person gets a new activation link (rule 22).
    if (!user.passwordHash) {
      await this.db.$transaction((tx) => sendActivation(tx, actor, user.id, {}, now))
      return
    }
    const token = randomBytes(32).toString('base64url')
    const expiresAt = new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000)
    await this.db.$transaction(async (tx) => {
      // A new link replaces the earlier ones.
      await tx.actionToken.updateMany({
        where: { purpose: RESET_PURPOSE, usedAt: null, subject: { path: ['userId'], equals: user.id } },
        data: { usedAt: now },
      })
      const row = await tx.actionToken.create({
        data: { purpose: RESET_PURPOSE, tokenHash: sha256(token), subject: { userId: user.id }, expiresAt },
      })
      await recordAudit(tx, actor, { action: 'password_reset_requested', subjectType: 'user', subjectId: user.id })
      await queueMailToPerson(tx, user, {
        idempotencyKey: `password-reset:${row.id}`,
        template: 'password-reset',
        data: {
          resetPath: links.resetPassword(token),
          expiresInMinutes: RESET_TOKEN_MINUTES,
        },
      })
    })
  }

  /** Is this reset token unused and not expired? */
  async resetTokenValid(token: string, now = new Date()): Promise<boolean> {
    const row = await this.db.actionToken.findUnique({ where: { tokenHash: sha256(token) }, select: { purpose: true, usedAt: true, expiresAt: true } })
    return !!row && row.purpose === RESET_PURPOSE && !row.usedAt && row.expiresAt > now
  }

  /** Sets the new password and spends the token, at most once; false when the link is not valid. */
  async completePasswordReset(token: string, password: string, actor: Actor, now = new Date()): Promise<boolean> {
    const passwordHash = await hashPassword(password)
    return this.db.$transaction(async (tx) => {
      const row = await tx.actionToken.findUnique({ where: { tokenHash: sha256(token) } })
      if (!row || row.purpose !== RESET_PURPOSE) return false
      const spent = await tx.actionToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } })
      if (spent.count !== 1) return false
      const userId = (row.subject as { userId?: string }).userId
      if (!userId) return false
      await tx.user.update({ where: { id: userId }, data: { passwordHash } })
      // Every session of this person ends: whoever knew the old password is out.
      await tx.$executeRaw`delete from "session" where sess -> 'passport' ->> 'user' = ${userId}`
      await recordAudit(tx, actor, { action: 'password_reset', subjectType: 'user', subjectId: userId })
      return true
    })
  }
}
