// Who is logging in, and who is logged in. Password (argon2id) plus TOTP for everyone who
// administers, works in the back office, or has enrolled a second factor.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { verifyPassword } from './passwords.ts'
import type { AdminOrganisation, Principal } from './principal.ts'
import { verifyTotpStep } from './totp.ts'
import { todayUtc } from '../../web/dates.ts'

export type LoginAttempt = { email: string; password: string; code?: string }

/**
 * `failed` covers every failure (unknown user, wrong password, missing or wrong code): the caller
 * shows one message. `enrol`: the password was right, the account must have a second factor and
 * has none yet; the caller sends the person to enrolment (src/features/security/routes.ts).
 */
export type LoginResult =
  | { outcome: 'ok'; principal: Principal; method: 'password' | 'totp' | 'recovery' }
  | { outcome: 'enrol'; userId: string; email: string }
  | { outcome: 'failed'; userId: string | null }

/** Checks a recovery code and spends it (SecurityService.useRecoveryCode). */
export type RecoveryCodeCheck = (userId: string, code: string) => Promise<boolean>

export class AuthService {
  constructor(
    private readonly db: PrismaClient,
    private readonly useRecoveryCode: RecoveryCodeCheck = async () => false,
  ) {}

  async verifyLogin(attempt: LoginAttempt, now = new Date()): Promise<LoginResult> {
    const user = await this.db.user.findUnique({
      where: { emailKey: attempt.email.trim().toLowerCase() },
      select: { id: true, email: true, passwordHash: true, totpSecret: true },
    })
    const passwordOk = await verifyPassword(user?.passwordHash, attempt.password)
    if (!user || !passwordOk) return { outcome: 'failed', userId: user?.id ?? null }
    const principal = await this.loadPrincipal(user.id, now)
    if (!principal) return { outcome: 'failed', userId: user.id }
    if (!this.needsSecondFactor(principal, user.totpSecret)) return { outcome: 'ok', principal, method: 'password' }
    if (!user.totpSecret) return { outcome: 'enrol', userId: user.id, email: user.email }
    const code = attempt.code?.trim() ?? ''
    const step = verifyTotpStep(user.totpSecret, code, now.getTime())
    if (step !== null && (await this.claimTotpStep(user.id, step))) return { outcome: 'ok', principal, method: 'totp' }
    if (code && (await this.useRecoveryCode(user.id, code))) return { outcome: 'ok', principal, method: 'recovery' }
    return { outcome: 'failed', userId: user.id }
  }

  /**
   * A TOTP code logs in once: the step is recorded atomically, and a step at or before the last one
   * is refused (ASVS 2.8.4), also when two logins with the same code race.
   */
  private async claimTotpStep(userId: string, step: number): Promise<boolean> {
    const claimed = await this.db.user.updateMany({
      where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    })
    return claimed.count === 1
  }

  needsSecondFactor(principal: Principal, totpSecret: string | null): boolean {
    return principal.role === 'backoffice' || principal.adminOrganisations.length > 0 || totpSecret !== null
  }

  async loadPrincipal(id: string, now = new Date()): Promise<Principal | null> {
    const today = todayUtc(now)
    const user = await this.db.user.findUnique({
      where: { id },
      select: {
        id: true,
        email: true,
        firstName: true,
        lastNamePrefix: true,
        lastName: true,
        role: true,
        locale: true,
        mandates: {
          where: { kind: 'admin', status: 'active', validFrom: { lte: today }, validUntil: { gte: today } },
          select: { level: true, organisation: { select: { id: true, name: true, kvkNumber: true } } },
          orderBy: { organisation: { name: 'asc' } },
        },
      },
    })
    if (!user) return null
    const adminOrganisations: AdminOrganisation[] = user.mandates.map((m) => ({ ...m.organisation, level: m.level }))
    return {
      id: user.id,
      email: user.email,
      name: [user.firstName, user.lastNamePrefix, user.lastName].filter(Boolean).join(' '),
      role: user.role,
      locale: user.locale,
      adminOrganisations,
    }
  }
}
