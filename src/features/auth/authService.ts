// Who is logging in, and who is logged in. Password (argon2id) plus TOTP for everyone who
// administers, works in the back office, or has enrolled a second factor.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { verifyPassword } from '../../shared/passwords.ts'
import type { AdminOrganisation, Principal } from '../../shared/principal.ts'
import { verifyTotpStep } from '../../shared/totp.ts'
import { todayUtc } from '../../domain/dates.ts'
import { fromDbLevel } from '../../domain/levels.ts'
import { PrincipalCache } from './principalCache.ts'
import { withFields } from '../../shared/withFields.ts'

type PrincipalRow = {
  id: string
  version: string
  email: string
  first_name: string
  last_name_prefix: string | null
  last_name: string
  role: Principal['role']
  locale: string
  admin_organisations: { id: string; name: string; kvkNumber: string; level: string }[]
}

export type LoginAttempt = { email: string; password: string; code?: string }

/**
 * `failed` covers every failure (unknown user, wrong password, missing or wrong code): the caller
 * shows one message. `enrol`: the password was right, the account must have a second factor and
 * has none yet; the caller sends the person to enrolment (src/features/security/enrolRoutes.ts).
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
    private readonly useRecoveryCode: RecoveryCodeCheck = () => Promise.resolve(false),
    /** For loadPrincipal, which every request runs (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
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

  /** Principals read before, each for its users.principal_version and day (src/features/auth/principalCache.ts). */
  private readonly principals = new PrincipalCache()

  /**
   * Runs on every request (Passport's deserializeUser). One primary-key read of the person's
   * principal_version; while that and the day are those of the principal kept in memory, that one
   * is the answer. Otherwise one round trip reads the person and their current admin mandates
   * (active, within their term), organisations by name, and it is kept.
   */
  async loadPrincipal(id: string, now = new Date()): Promise<Principal | null> {
    const today = todayUtc(now).toISOString().slice(0, 10)
    const probe = await this.pageReads.rows<{ version: string }>(Prisma.sql`
      select u.principal_version::text as version from users u where u.id = ${id}::uuid`)
    if (!probe[0]) {
      this.principals.delete(id)
      return null
    }
    return this.principals.get(id, probe[0].version, today) ?? (await this.readPrincipal(id, today))
  }

  private async readPrincipal(id: string, today: string): Promise<Principal | null> {
    const rows = await this.pageReads.rows<PrincipalRow>(Prisma.sql`
      select u.id, u.principal_version::text as version, u.email, u.first_name, u.last_name_prefix, u.last_name,
             u.role::text as role, u.locale,
             coalesce((
               select json_agg(json_build_object('id', o.id, 'name', o.name, 'kvkNumber', o.kvk_number, 'level', m.level::text)
                               order by o.name, o.id)
               from mandates m join organisations o on o.id = m.organisation_id
               where m.user_id = u.id and m.kind = 'admin' and m.status = 'active' and o.blocked_at is null
                 and m.valid_from <= ${today}::date and m.valid_until >= ${today}::date
             ), '[]'::json) as admin_organisations
      from users u
      where u.id = ${id}::uuid`)
    const user = rows[0]
    if (!user) return null
    const adminOrganisations: AdminOrganisation[] = user.admin_organisations.map((o) => withFields(o, { level: fromDbLevel(o.level) }))
    return this.principals.set(id, user.version, today, {
      id: user.id,
      email: user.email,
      name: [user.first_name, user.last_name_prefix, user.last_name].filter(Boolean).join(' '),
      role: user.role,
      locale: user.locale,
      adminOrganisations,
    })
  }
}
