// The back office manages customers: search by KvK number or name, an organisation's admins,
// users, means and mandates (read only), "KvK-gegevens verversen" and block/unblock (rule 24).
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { PERSON_SELECT } from '../../shared/selects.ts'
import type { KvkRegister } from '../../shared/kvk/register.ts'
import { LIVE_MANDATE_STATUSES } from '../../domain/statuses.ts'
import { withFields } from '../../shared/withFields.ts'

export const SEARCH_LIMIT = 50

/** What a refresh changed, to show: each line a catalogue key and its values. */
export type Change = { key: string; params: Record<string, string> }

export class CustomersService {
  constructor(
    private readonly db: PrismaClient,
    private readonly kvk: KvkRegister,
  ) {}

  async search(q: string) {
    const text = q.trim().slice(0, 200)
    const digits = text.replace(/[\s.]/g, '')
    const where = /^[0-9]{8}$/.test(digits) ? { kvkNumber: digits } : text ? { name: { contains: text, mode: 'insensitive' as const } } : {}
    return this.db.organisation.findMany({
      where,
      select: { id: true, kvkNumber: true, name: true, blockedAt: true, _count: { select: { links: true } } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: SEARCH_LIMIT,
    })
  }

  async detail(id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError()
    const organisation = await this.db.organisation.findUnique({
      where: { id },
      include: {
        branches: { orderBy: { branchNumber: 'asc' } },
        legalRepresentatives: { orderBy: { name: 'asc' } },
        links: {
          include: {
            user: {
              select: {
                ...PERSON_SELECT,
                passwordHash: true,
                means: { orderBy: { validUntil: 'desc' } },
              },
            },
          },
          orderBy: { createdAt: 'asc' },
          take: 500,
        },
        mandates: {
          where: { status: { in: [...LIVE_MANDATE_STATUSES, 'suspended'] } },
          include: {
            user: { select: { firstName: true, lastNamePrefix: true, lastName: true } },
            service: { select: { name: true } },
            provider: { select: { name: true } },
          },
          orderBy: [{ kind: 'asc' }, { validUntil: 'asc' }],
          take: 500,
        },
      },
    })
    if (!organisation) throw new NotFoundError()
    const users = organisation.links.map(({ user }) => withFields(user, { passwordHash: undefined, activated: user.passwordHash !== null }))
    return { ...organisation, links: undefined, users, admins: organisation.mandates.filter((m) => m.kind === 'admin') }
  }

  /** "KvK-gegevens verversen": name, new branches, representatives added, changed, gone. Throws KvkError. */
  async refresh(actor: Actor, id: string): Promise<Change[]> {
    const organisation = await this.detail(id)
    const profile = await this.kvk.profile(organisation.kvkNumber)
    const changes: Change[] = []
    return this.db.$transaction(async (tx) => {
      if (profile.name !== organisation.name) {
        await tx.organisation.update({ where: { id }, data: { name: profile.name.slice(0, 200) } })
        changes.push({ key: 'backoffice:customers.changes.name', params: { before: organisation.name, after: profile.name } })
      }
      const known = new Set(organisation.branches.map((b) => b.branchNumber))
      for (const b of profile.branches.filter((b) => !known.has(b.branchNumber))) {
        await tx.branch.create({ data: { organisationId: id, branchNumber: b.branchNumber, name: (b.name || profile.name).slice(0, 200), city: b.city } })
        changes.push({ key: 'backoffice:customers.changes.branchAdded', params: { number: b.branchNumber, name: b.name } })
      }
      for (const b of organisation.branches.filter((b) => !profile.branches.some((p) => p.branchNumber === b.branchNumber))) {
        changes.push({ key: 'backoffice:customers.changes.branchGone', params: { number: b.branchNumber, name: b.name } })
      }
      for (const officer of profile.officers) {
        const rep = organisation.legalRepresentatives.find((r) => r.name === officer.name)
        if (!rep) {
          // The register has no e-mail address: the representative signs only once one is known.
          await tx.legalRepresentative.create({ data: { organisationId: id, name: officer.name, email: '', authority: officer.authority } })
          changes.push({ key: 'backoffice:customers.changes.repAdded', params: { name: officer.name, authority: officer.authority } })
        } else if (rep.authority !== officer.authority) {
          await tx.legalRepresentative.update({ where: { id: rep.id }, data: { authority: officer.authority } })
          changes.push({ key: 'backoffice:customers.changes.repAuthority', params: { name: rep.name, before: rep.authority, after: officer.authority } })
        }
      }
      for (const rep of organisation.legalRepresentatives.filter((r) => !profile.officers.some((o) => o.name === r.name))) {
        // Gone from the extract: removed, unless a signature refers to it (then kept, and reported).
        const signed = await tx.applicationSignature.count({ where: { legalRepresentativeId: rep.id } })
        if (signed === 0) await tx.legalRepresentative.delete({ where: { id: rep.id } })
        changes.push({ key: signed === 0 ? 'backoffice:customers.changes.repRemoved' : 'backoffice:customers.changes.repGoneKept', params: { name: rep.name } })
      }
      await recordAudit(tx, actor, {
        action: 'organisation.kvk_refreshed',
        organisationId: id,
        subjectType: 'organisation',
        subjectId: id,
        after: { changes: changes.map((c) => ({ [c.key.split('.').pop()!]: c.params })) },
      })
      return changes
    })
  }

  /** Rule 24: while blocked nobody acts for the organisation; nothing is deleted, unblocking restores it. */
  async setBlocked(actor: Actor, id: string, blocked: boolean, now = new Date()): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError()
    await this.db.$transaction(async (tx) => {
      const done = await tx.organisation.updateMany({ where: { id, blockedAt: blocked ? null : { not: null } }, data: { blockedAt: blocked ? now : null } })
      if (done.count !== 1) {
        if (!(await tx.organisation.count({ where: { id } }))) throw new NotFoundError()
        throw new RuleViolation(blocked ? 'backoffice:customers.errors.alreadyBlocked' : 'backoffice:customers.errors.notBlocked')
      }
      await recordAudit(tx, actor, {
        action: blocked ? 'organisation.blocked' : 'organisation.unblocked',
        organisationId: id,
        subjectType: 'organisation',
        subjectId: id,
        before: { blocked: !blocked },
        after: { blocked },
      })
    })
  }
}
