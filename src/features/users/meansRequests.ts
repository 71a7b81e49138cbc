// Gebruikers: means for users the admin manages, each signed by the admin as an application (so the
// identity check, rule 10, applies where the level needs it, and the usual workflow issues it):
// - renew a means from the user page (not only through the mail link): a renewal application,
//   carried out at once (rule 4 from the current end or today, never past five years; rule 3 follows);
// - "Nieuw Middel Aanvragen" for a known person whose means ended (or who never had one);
// - upgrade the means of several users at once to a level (their mandates survive: the level rises
//   in place), bound to the set the confirmation page showed (digest of each means' id and version).
// Everything is scoped to the admin's organisations (404 otherwise) and runs in one transaction.
import type { Level, Prisma, PrismaClient } from '../../generated/prisma/client.ts'
import type { Config } from '../../config.ts'
import type { Tx } from '../../db/tx.ts'
import { addYears, isoDate, todayUtc } from '../../domain/dates.ts'
import { levelAtLeast } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertWithinAdminLevel } from '../../domain/rules.ts'
import { isOpenApplication } from '../../domain/statuses.ts'
import { isTerm } from '../../domain/terms.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { adminOrganisationIds, administeredOrganisation } from '../../policy/access.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { confirmationDigest } from '../../shared/confirmation.ts'
import type { Principal } from '../../shared/principal.ts'
import { proceed } from '../../shared/workflows/applications.ts'
import { applicationEntry } from '../../shared/workflows/applicationStatus.ts'

export type UpgradeCandidate = {
  userId: string
  name: string
  meansId: string | null
  level: Level | null
  refusal: null | 'noActiveMeans' | 'notHigher' | 'alreadyOpen' | 'notLinked'
}

export type UpgradePreview = { candidates: UpgradeCandidate[]; allowed: number; digest: string }

type Input = { userId: string; organisationId: string }

export class MeansRequestService {
  constructor(
    private readonly db: PrismaClient,
    private readonly config: Config,
  ) {}

  /** Locks the user (one request at a time per person) and checks the link to the organisation; else 404. */
  private async lockLinkedUser(tx: Tx, userId: string, organisationId: string) {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      select u.id from users u where u.id = ${userId}::uuid
        and exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id = ${organisationId}::uuid)
      for update of u`
    if (!rows[0]) throw new NotFoundError()
  }

  /**
   * Renews the user's means by `termYears` (a signed renewal application, carried out at once).
   * `seenUntil`: the end date the page showed; a different one means it was renewed meanwhile.
   */
  async renew(principal: Principal, actor: Actor, input: Input & { meansId: string; termYears: number; seenUntil: string }): Promise<{ validUntil: Date }> {
    const organisation = administeredOrganisation(principal, input.organisationId)
    if (!isTerm(input.termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    return this.db.$transaction(async (tx) => {
      await this.lockLinkedUser(tx, input.userId, organisation.id)
      const means = await tx.means.findFirst({ where: { id: input.meansId, userId: input.userId } })
      if (!means) throw new NotFoundError()
      if (isoDate(means.validUntil) !== input.seenUntil)
        throw new RuleViolation('users:meansRequest.errors.changed', undefined, { date: isoDate(means.validUntil) })
      if (means.status !== 'active' && means.status !== 'expired') throw new RuleViolation('users:meansRequest.errors.notRenewable', 'termYears')
      assertWithinAdminLevel(organisation.level, means.level, { key: 'users:upgrade.errors.aboveAdmin', field: 'termYears' })
      const app = await this.signedApplication(tx, principal, actor, {
        organisationId: organisation.id,
        type: 'renewal',
        level: means.level,
        termYears: input.termYears,
        userId: input.userId,
        details: { target: 'means', meansId: means.id },
      })
      await proceed(tx, app, actor, this.config.baseUrl)
      const after = await tx.means.findUniqueOrThrow({ where: { id: means.id } })
      return { validUntil: after.validUntil }
    })
  }

  /** "Nieuw Middel Aanvragen" for a known person without a live means: EH2/EH2+ at once, EH3/EH4 after the identity check. */
  async requestNew(principal: Principal, actor: Actor, input: Input & { level: Level; termYears: number }): Promise<string> {
    const organisation = administeredOrganisation(principal, input.organisationId)
    if (!isTerm(input.termYears)) throw new RuleViolation('mandates:errors.term', 'termYears')
    assertWithinAdminLevel(organisation.level, input.level, { key: 'users:upgrade.errors.aboveAdmin', field: 'level' })
    return this.db.$transaction(async (tx) => {
      await this.lockLinkedUser(tx, input.userId, organisation.id)
      const live = await tx.means.count({ where: { userId: input.userId, status: { in: ['active', 'requested', 'suspended'] } } })
      if (live > 0) throw new RuleViolation('users:meansRequest.errors.hasMeans', 'level')
      const today = todayUtc()
      const means = await tx.means.create({
        data: { userId: input.userId, level: input.level, status: 'requested', validFrom: today, validUntil: addYears(today, input.termYears) },
      })
      const app = await this.signedApplication(tx, principal, actor, {
        organisationId: organisation.id,
        type: 'new_means',
        level: input.level,
        termYears: input.termYears,
        userId: input.userId,
        details: { meansId: means.id, level: input.level, termYears: input.termYears },
      })
      return proceed(tx, app, actor, this.config.baseUrl)
    })
  }

  /** The upgrade page for several users: who can be upgraded to `level` from this organisation, and why not. */
  async upgradePreview(
    principal: Principal,
    organisationId: string,
    userIds: string[],
    level: Level,
    db: PrismaClient | Tx = this.db,
  ): Promise<UpgradePreview> {
    administeredOrganisation(principal, organisationId)
    const users = await db.user.findMany({
      where: { id: { in: userIds }, links: { some: { organisationId: { in: adminOrganisationIds(principal) } } } },
      select: {
        id: true,
        firstName: true,
        lastNamePrefix: true,
        lastName: true,
        links: { where: { organisationId }, select: { id: true } },
        means: { where: { status: 'active' }, orderBy: { validUntil: 'desc' }, take: 1 },
        applications: { where: { type: 'upgrade' }, select: { status: true } },
      },
      orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    })
    if (users.length === 0) throw new NotFoundError()
    const candidates = users.map((u): UpgradeCandidate => {
      const means = u.means[0] ?? null
      const refusal = !u.links.length
        ? 'notLinked'
        : !means
          ? 'noActiveMeans'
          : levelAtLeast(means.level, level)
            ? 'notHigher'
            : u.applications.some((a) => isOpenApplication(a.status))
              ? 'alreadyOpen'
              : null
      return { userId: u.id, name: personName(u), meansId: means?.id ?? null, level: means?.level ?? null, refusal }
    })
    const versions = users.map((u) => ({ id: u.id, version: u.means[0] ? `${u.means[0].id}@${u.means[0].updatedAt.toISOString()}` : 'none' }))
    const digest = confirmationDigest(`upgrade-${level}-${organisationId}`, principal.id, versions)
    return { candidates, allowed: candidates.filter((c) => !c.refusal).length, digest }
  }

  /** Upgrades as confirmed: one signed upgrade application per allowed user, in one transaction; 'changed' when the set differs. */
  async upgradeMany(principal: Principal, actor: Actor, organisationId: string, userIds: string[], level: Level, digest: string) {
    const organisation = administeredOrganisation(principal, organisationId)
    assertWithinAdminLevel(organisation.level, level, { key: 'users:upgrade.errors.aboveAdmin', field: 'level' })
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`select id from means where user_id = any(${userIds}::uuid[]) and status = 'active' order by id for update`
      const preview = await this.upgradePreview(principal, organisationId, userIds, level, tx)
      if (preview.digest !== digest || preview.allowed === 0) return { status: 'changed' as const, preview }
      const outcomes: Record<string, number> = {}
      for (const c of preview.candidates.filter((x) => !x.refusal)) {
        const app = await this.signedApplication(tx, principal, actor, {
          organisationId,
          type: 'upgrade',
          level,
          userId: c.userId,
          details: { meansId: c.meansId, fromLevel: c.level, level },
        })
        const status = await proceed(tx, app, actor, this.config.baseUrl)
        outcomes[status] = (outcomes[status] ?? 0) + 1
      }
      return { status: 'done' as const, outcomes, preview }
    })
  }

  /** An application of `type` for the user, signed by the admin, with its audit entry. */
  private async signedApplication(
    tx: Tx,
    principal: Principal,
    actor: Actor,
    a: { organisationId: string; type: 'renewal' | 'new_means' | 'upgrade'; level: Level; termYears?: number; userId: string; details: Prisma.InputJsonObject },
  ): Promise<string> {
    const app = await tx.application.create({
      data: {
        organisationId: a.organisationId,
        type: a.type,
        status: 'awaiting_signature',
        level: a.level,
        termYears: a.termYears ?? null,
        subjectUserId: a.userId,
        requestedById: principal.id,
        items: { create: { details: a.details } },
        signatures: { create: { signerType: 'admin', adminUserId: principal.id } },
      },
    })
    const after = { type: a.type, userId: a.userId, level: a.level, termYears: a.termYears, signedBy: principal.id }
    await recordAudit(tx, actor, applicationEntry(app, 'application.created', { after }))
    return app.id
  }
}
