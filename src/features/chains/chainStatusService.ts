// A ketenmachtiging on the client's side after it was given: revoke (rule 9: at once; every live
// assignment under it ends with it), schorsen and opheffen (rule 18 and 20: while the chain is
// suspended, no assignment under it authorises anything; the assignments themselves stay as they
// are, so lifting restores exactly them; the end date stays). Each goes through a confirmation page
// bound to what it showed (src/shared/confirmation.ts): the chain and its live assignments, each with
// its version; the action locks them, recomputes the digest and changes nothing when it differs.
import type { Level, PrismaClient } from '../../generated/prisma/client.ts'
import { ConflictError, RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { assertWithinAdminLevel } from '../../domain/rules.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAuditForEach, recordAuditMany, subjectEntry } from '../../shared/audit.ts'
import { confirmationDigest } from '../../shared/confirmation.ts'
import type { Principal } from '../../shared/principal.ts'
import { CHAIN_VIEW, lockGiven, type LockedChain } from './chainService.ts'
import { isUniqueViolation, mailBothSides, principalOf } from './common.ts'
import { withFields } from '../../shared/withFields.ts'

export type StatusAction = 'revoke' | 'suspend' | 'lift'

/** Why the action cannot be done on the chain as it is now (a catalogue key), or null. */
export function statusRefusal(action: StatusAction, chain: { status: string; valid_until: Date }, today: Date): string | null {
  if (chain.status === 'revoked') return 'chains:errors.alreadyRevoked'
  if (action === 'revoke') return null
  if (action === 'suspend') {
    if (chain.status === 'suspended') return 'chains:errors.alreadySuspended'
    return chain.status !== 'active' || chain.valid_until < today ? 'chains:errors.notSuspendable' : null
  }
  if (chain.status !== 'suspended') return 'chains:errors.notSuspended'
  return chain.valid_until < today ? 'chains:errors.suspendedExpired' : null
}

type Versioned = { id: string; updated_at: Date }

/** The chain's live assignments (active, pending or suspended): what the action ends or stops. */
function liveAssignments(tx: Tx | PrismaClient, chainId: string, lock: boolean): Promise<Versioned[]> {
  return lock
    ? tx.$queryRaw<Versioned[]>`
        select id::text, updated_at from chain_assignments where chain_mandate_id = ${chainId}::uuid and status in ('active', 'pending', 'suspended') for update`
    : tx.$queryRaw<Versioned[]>`
        select id::text, updated_at from chain_assignments where chain_mandate_id = ${chainId}::uuid and status in ('active', 'pending', 'suspended')`
}

function digestOf(action: StatusAction, actorId: string, chain: { id: string; updated_at: Date }, assignments: Versioned[]): string {
  return confirmationDigest(`chain-${action}`, actorId, [
    { id: chain.id, version: chain.updated_at },
    ...assignments.map((a) => ({ id: a.id, version: a.updated_at })),
  ])
}

export class ChainStatusService {
  constructor(private readonly db: PrismaClient) {}

  /** What the confirmation page shows: the chain, how many assignments the action ends or stops, why it cannot (if so), and the digest. */
  async confirmation(principal: Principal, id: string, action: StatusAction, now = new Date()) {
    return this.db.$transaction(async (tx) => {
      const locked = await lockGiven(tx, principal, id, { lock: false })
      const assignments = await liveAssignments(tx, id, false)
      const chain = await tx.chainMandate.findUniqueOrThrow({
        where: { id },
        select: { ...CHAIN_VIEW, serviceId: true, providerId: true },
      })
      const [service, provider] = await Promise.all([
        chain.serviceId ? tx.service.findUnique({ where: { id: chain.serviceId }, select: { name: true } }) : null,
        chain.providerId ? tx.serviceProvider.findUnique({ where: { id: chain.providerId }, select: { name: true } }) : null,
      ])
      return {
        chain: { ...chain, service, provider },
        count: assignments.length,
        refusal: statusRefusal(action, locked, todayUtc(now)),
        digest: digestOf(action, principal.id, locked, assignments),
      }
    })
  }

  /** Locks the chain and its live assignments; a digest other than the page's: ConflictError, nothing changed. */
  private async lockConfirmed(tx: Tx, principal: Principal, id: string, action: StatusAction, digest: string, now: Date) {
    const chain = await lockGiven(tx, principal, id)
    const assignments = await liveAssignments(tx, id, true)
    if (digestOf(action, principal.id, chain, assignments) !== digest) throw new ConflictError('chains:confirm.changed')
    const refusal = statusRefusal(action, chain, todayUtc(now))
    if (refusal) throw new RuleViolation(refusal)
    return { chain, assignments }
  }

  /** Revokes the chain (rule 9: at once); every live assignment under it ends with it. */
  async revoke(actor: Actor, id: string, digest: string, now = new Date()) {
    const principal = principalOf(actor)
    return this.db.$transaction(async (tx) => {
      const { chain } = await this.lockConfirmed(tx, principal, id, 'revoke', digest, now)
      await tx.chainMandate.update({ where: { id }, data: { status: 'revoked', revokedAt: now } })
      const ended = await tx.$queryRaw<{ id: string }[]>`
        update chain_assignments set status = 'revoked', revoked_at = ${now}, updated_at = now()
        where chain_mandate_id = ${id}::uuid and status in ('active', 'pending', 'suspended') returning id::text`
      await auditBothSides(tx, actor, chain, 'chain.revoked', { status: 'revoked', revokedAt: now, assignmentsEnded: ended.length })
      const ofAssignment = {
        organisationId: chain.intermediary_organisation_id,
        subjectType: 'chain_assignment' as const,
        action: 'chain-assignment.revoked' as const,
      }
      const because = { status: 'revoked', because: 'chain.revoked' }
      await recordAuditMany(
        tx,
        actor,
        ended.map((a) => withFields(ofAssignment, { subjectId: a.id, after: because })),
      )
      await mailBothSides(tx, chain, 'chain-revoked', { revokedAt: isoDate(now) })
      return { id, ended: ended.length }
    })
  }

  /** Schorsen: the chain authorises nothing (nor does any assignment under it) until lifted; the end date stays. */
  async suspend(actor: Actor, id: string, digest: string, now = new Date()) {
    const principal = principalOf(actor)
    return this.db.$transaction(async (tx) => {
      const { chain, assignments } = await this.lockConfirmed(tx, principal, id, 'suspend', digest, now)
      await tx.chainMandate.update({ where: { id }, data: { status: 'suspended' } })
      await auditBothSides(tx, actor, chain, 'chain.suspended', { status: 'suspended', assignmentsStopped: assignments.length })
      await mailBothSides(tx, chain, 'chain-status', { event: 'suspended', context: 'suspended', count: assignments.length }, `suspended:${now.toISOString()}`)
      return { id, count: assignments.length }
    })
  }

  /** Opheffen: the chain and the assignments under it authorise again (rule 2: the admin's own level). */
  async lift(actor: Actor, id: string, digest: string, now = new Date()) {
    const principal = principalOf(actor)
    try {
      return await this.db.$transaction(async (tx) => {
        const { chain, assignments } = await this.lockConfirmed(tx, principal, id, 'lift', digest, now)
        const admin = principal.adminOrganisations.find((o) => o.id === chain.organisation_id)!
        assertWithinAdminLevel(admin.level, chain.level as Level)
        await tx.chainMandate.update({ where: { id }, data: { status: 'active' } })
        await auditBothSides(tx, actor, chain, 'chain.suspension_lifted', { status: 'active', assignmentsRestored: assignments.length })
        await mailBothSides(tx, chain, 'chain-status', { event: 'lifted', context: 'lifted', count: assignments.length }, `lifted:${now.toISOString()}`)
        return { id, count: assignments.length }
      })
    } catch (error) {
      // Another live chain for the same intermediary and scope was given while this one was suspended.
      if (isUniqueViolation(error)) throw new RuleViolation('chains:errors.liveExists')
      throw error
    }
  }
}

async function auditBothSides(
  tx: Tx,
  actor: Actor,
  chain: LockedChain,
  action: 'chain.revoked' | 'chain.suspended' | 'chain.suspension_lifted',
  after: Record<string, unknown>,
) {
  const sides = [chain.organisation_id, chain.intermediary_organisation_id]
  await recordAuditForEach(tx, actor, sides, subjectEntry(action, 'chain_mandate', chain, { before: { status: chain.status }, after }))
}
