// Gebruikers → one user → a means: schorsen, opheffen schorsing (rule 18) and opzeggen (rule 17) by
// an admin of an organisation the holder is linked to, or opzeggen by the person of his own means.
// Each in one transaction (the workflows in src/shared/workflows/meansLifecycle.ts hold the rules);
// the means row is locked first, so a second click or another admin's change at the same time gives
// one result and a refusal that says what already happened. Anything outside the actor's reach: 404.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { parseIsoDate } from '../../domain/dates.ts'
import { RuleViolation } from '../../errors.ts'
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
