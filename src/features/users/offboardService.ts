// Afmelden (rule 19): one action revokes every mandate of the person for one organisation (use and
// admin mandates, whatever their state short of revoked) and ends the link; the means, being
// personal, stays. For one user (user page) or several (Gebruikers). The confirmation page shows
// per person what ends and is bound to it (src/shared/confirmation.ts): the action locks the links
// and mandates, recomputes the digest and, when the set changed in between (a second click, another
// admin, a forged form), changes nothing and returns the new state. Everything outside the admin's
// organisations is 404 (rule 7). The afmelden itself is the one workflow src/shared/workflows/offboarding.ts
// (also used by SCIM and the API): mandates, chain assignments, the link, audit and mail.
import type { Level, MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { BULK_TRANSACTION, type Db, type Tx } from '../../db/tx.ts'
import { NotFoundError } from '../../errors.ts'
import { levelRank } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertAdministers } from '../../policy/access.ts'
import type { Actor } from '../../shared/actor.ts'
import { confirmationDigest, type VersionedRow } from '../../shared/confirmation.ts'
import type { Principal } from '../../shared/principal.ts'
import { COVERAGE_SELECT, PERSON_SELECT } from '../../shared/selects.ts'
import { offboardPeople } from '../../shared/workflows/offboarding.ts'

/** Mandates a confirmation page lists per person; the count says how many more there are. */
export const SHOWN_PER_PERSON = 50

export type OffboardMandate = {
  id: string
  kind: 'use' | 'admin'
  scope: 'all' | 'provider' | 'service'
  serviceName: string | null
  providerName: string | null
  level: Level
  status: MandateStatus
  validUntil: Date
}

export type OffboardPerson = {
  userId: string
  name: string
  email: string
  /** null: will be afgemeld; else why not: self, a live mandate above the admin's level, or no longer linked. */
  refusal: null | 'self' | 'adminLevel' | 'notLinked'
  endedAt: Date | null
  mandateCount: number
  mandates: OffboardMandate[]
}

export type OffboardPreview = {
  organisation: { id: string; name: string }
  people: OffboardPerson[]
  /** Who will be afgemeld, and how many mandates end with them. */
  peopleCount: number
  mandateCount: number
  digest: string
}

export type OffboardResult = { status: 'done'; people: number; mandates: number } | { status: 'changed'; preview: OffboardPreview }

const MANDATE_SELECT = { id: true, userId: true, kind: true, updatedAt: true, ...COVERAGE_SELECT } as const

export class OffboardService {
  constructor(private readonly db: PrismaClient) {}

  /** What afmelden of `userIds` from the organisation would end, per person, with the digest of it. */
  async preview(principal: Principal, organisationId: string, userIds: string[], db: Db | Tx = this.db): Promise<OffboardPreview> {
    assertAdministers(principal, organisationId)
    const organisation = principal.adminOrganisations.find((o) => o.id === organisationId)!
    const ids = [...new Set(userIds)].slice(0, 1000)
    const users = await db.user.findMany({
      where: { id: { in: ids }, OR: [{ links: { some: { organisationId } } }, { formerLinks: { some: { organisationId } } }] },
      select: {
        ...PERSON_SELECT,
        links: { where: { organisationId }, select: { id: true, createdAt: true } },
        formerLinks: { where: { organisationId }, select: { endedAt: true } },
      },
      orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    })
    if (users.length === 0) throw new NotFoundError()
    const mandates = await db.mandate.findMany({
      where: { organisationId, userId: { in: users.map((u) => u.id) }, status: { not: 'revoked' } },
      select: MANDATE_SELECT,
      orderBy: [{ validUntil: 'asc' }, { id: 'asc' }],
    })
    const versions: VersionedRow[] = []
    const people = users.map((u): OffboardPerson => {
      const own = mandates.filter((m) => m.userId === u.id)
      const link = u.links[0]
      versions.push({ id: `user:${u.id}`, version: link ? `${link.id}@${link.createdAt.toISOString()}` : 'none' })
      for (const m of own) versions.push({ id: m.id, version: m.updatedAt })
      const above = own.some((m) => m.status !== 'expired' && levelRank(m.level) > levelRank(organisation.level))
      const refusal = !link ? 'notLinked' : u.id === principal.id ? 'self' : above ? 'adminLevel' : null
      return {
        userId: u.id,
        name: personName(u),
        email: u.email,
        refusal,
        endedAt: u.formerLinks[0]?.endedAt ?? null,
        mandateCount: own.length,
        mandates: own.slice(0, SHOWN_PER_PERSON).map((m) => ({
          id: m.id,
          kind: m.kind,
          scope: m.scope,
          serviceName: m.service?.name ?? null,
          providerName: m.provider?.name ?? null,
          level: m.level,
          status: m.status,
          validUntil: m.validUntil,
        })),
      }
    })
    const going = people.filter((p) => !p.refusal)
    return {
      organisation: { id: organisation.id, name: organisation.name },
      people,
      peopleCount: going.length,
      mandateCount: going.reduce((n, p) => n + p.mandateCount, 0),
      digest: confirmationDigest('offboard', principal.id, versions),
    }
  }

  /** Afmelden as confirmed with `digest`; 'changed' (nothing done) when the set differs from what the page showed. */
  async offboard(actor: Actor, organisationId: string, userIds: string[], digest: string): Promise<OffboardResult> {
    const principal = actor.principal
    if (!principal) throw new NotFoundError()
    assertAdministers(principal, organisationId)
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`select id from organisation_links where organisation_id = ${organisationId}::uuid and user_id = any(${userIds}::uuid[]) order by id for update`
      await tx.$queryRaw`select id from mandates where organisation_id = ${organisationId}::uuid and user_id = any(${userIds}::uuid[]) and status <> 'revoked' order by id for update`
      const preview = await this.preview(principal, organisationId, userIds, tx)
      const going = preview.people.filter((p) => !p.refusal)
      if (preview.digest !== digest || going.length === 0) return { status: 'changed' as const, preview }
      const done = await offboardPeople(tx, actor, { organisationId, userIds: going.map((p) => p.userId), notice: 'summary' })
      return { status: 'done' as const, people: going.length, mandates: done.reduce((n, p) => n + p.revokedMandates, 0) }
    }, BULK_TRANSACTION)
  }
}
