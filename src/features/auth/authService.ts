// Who is logging in, and who is logged in. Password (argon2id) plus TOTP for everyone who
// administers, works in the back office, or has enrolled a second factor.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { verifyPassword } from './passwords.ts'
import type { AdminOrganisation, Principal } from './principal.ts'
import { verifyTotp } from './totp.ts'
import { todayUtc } from '../../web/dates.ts'

export type LoginAttempt = { email: string; password: string; code?: string }

export class AuthService {
  constructor(private readonly db: PrismaClient) {}

  /** Null for any failure (unknown user, wrong password, missing or wrong code): the caller shows one message. */
  async verifyLogin(attempt: LoginAttempt, now = new Date()): Promise<Principal | null> {
    const user = await this.db.user.findUnique({
      where: { emailKey: attempt.email.trim().toLowerCase() },
      select: { id: true, passwordHash: true, totpSecret: true },
    })
    const passwordOk = await verifyPassword(user?.passwordHash, attempt.password)
    if (!user || !passwordOk) return null
    const principal = await this.loadPrincipal(user.id, now)
    if (!principal) return null
    if (this.needsSecondFactor(principal, user.totpSecret)) {
      if (!user.totpSecret || !attempt.code || !verifyTotp(user.totpSecret, attempt.code, now.getTime())) return null
    }
    return principal
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
