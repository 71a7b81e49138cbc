// Gebruikers → one user → a means: schorsen, opheffen schorsing (rule 18) and opzeggen (rule 17) by
// an admin of an organisation the holder is linked to, or opzeggen by the person of his own means.
// Each in one transaction (the workflows in src/shared/workflows/meansLifecycle.ts hold the rules);
// the means row is locked first, so a second click or another admin's change at the same time gives
// one result and a refusal that says what already happened. Anything outside the actor's reach: 404.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { parseIsoDate } from '../../domain/dates.ts'
import { highestLevel, levelRank } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Principal } from '../../shared/principal.ts'
import type { Actor } from '../../shared/actor.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { cancelMeans, liftMeansSuspension, lockMeans, suspendMeans } from '../../shared/workflows/meansLifecycle.ts'

export class MeansService {
  constructor(private readonly db: PrismaClient) {}

  private who(actor: Actor, own: boolean) {
    const principal = actor.principal
    if (!principal) throw new RuleViolation('users:means.errors.notAllowed')
    return own ? { ownerId: principal.id } : { adminOrgIds: adminOrganisationIds(principal) }
  }

  /**
   * One means for a confirmation page: the admin's (holder linked to one of his organisations) or the
   * person's own (`own`); else 404. `affected`: the holder's active mandates (in the admin's
   * organisations, or all for the person) that no other active means covers: what a suspension or an
   * opzegging takes with it.
   */
  async view(principal: Principal, meansId: string, own = false) {
    const orgIds = adminOrganisationIds(principal)
    const means = await this.db.means.findFirst({
      where: own ? { id: meansId, userId: principal.id } : { id: meansId, user: { links: { some: { organisationId: { in: orgIds } } } } },
      include: { user: { select: { id: true, firstName: true, lastNamePrefix: true, lastName: true, email: true } } },
    })
    if (!means) throw new NotFoundError()
    const others = await this.db.means.findMany({ where: { userId: means.userId, status: 'active', id: { not: means.id } }, select: { level: true } })
    const remaining = highestLevel(others.map((o) => o.level))
    const mandates = await this.db.mandate.findMany({
      where: { userId: means.userId, status: 'active', ...(own ? {} : { organisationId: { in: orgIds } }) },
      include: { organisation: { select: { name: true } }, service: { select: { name: true } }, provider: { select: { name: true } } },
      orderBy: [{ organisationId: 'asc' }, { validUntil: 'asc' }],
    })
    const affected = mandates.filter((m) => remaining === null || levelRank(m.level) > levelRank(remaining))
    return { means, holderName: personName(means.user), affected }
  }

  async suspend(actor: Actor, meansId: string, now = new Date()) {
    const who = this.who(actor, false)
    return this.db.$transaction(async (tx) => suspendMeans(tx, actor, await lockMeans(tx, meansId, who), now))
  }

  async lift(actor: Actor, meansId: string, now = new Date()) {
    const who = this.who(actor, false)
    return this.db.$transaction(async (tx) => liftMeansSuspension(tx, actor, await lockMeans(tx, meansId, who), now))
  }

  /** Opzeggen on `date` (YYYY-MM-DD): today or within a year. `own`: the person's own means. */
  async cancel(actor: Actor, meansId: string, date: string, options: { own?: boolean; now?: Date } = {}) {
    const who = this.who(actor, options.own ?? false)
    const day = parseIsoDate(date)
    if (!day) throw new RuleViolation('users:means.errors.date', 'date')
    return this.db.$transaction(async (tx) => cancelMeans(tx, actor, await lockMeans(tx, meansId, who), day, options.now ?? new Date()))
  }
}
