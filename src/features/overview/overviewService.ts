// Overzicht: per organisation the admin manages, the number of linked users, and the active
// means and mandates per level. Counted in SQL, scoped to the admin's organisations.
import type { Level, PrismaClient } from '../../generated/prisma/client.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, LEVELS } from '../../domain/levels.ts'

export { LEVELS }

export type OrganisationOverview = {
  id: string
  name: string
  kvkNumber: string
  adminLevel: Level
  users: number
  meansByLevel: Record<Level, number>
  mandatesByLevel: Record<Level, number>
  expiringMandates: number
}

function emptyByLevel(): Record<Level, number> {
  return { EH2: 0, EH2_PLUS: 0, EH3: 0, EH4: 0 }
}

export class OverviewService {
  constructor(private readonly db: PrismaClient) {}

  async forAdmin(principal: Principal, now = new Date()): Promise<OrganisationOverview[]> {
    const ids = adminOrganisationIds(principal)
    if (ids.length === 0) return []
    const today = todayUtc(now)
    const inTwoMonths = new Date(today)
    inTwoMonths.setUTCMonth(inTwoMonths.getUTCMonth() + 2)
    const [users, means, mandates, expiring] = await Promise.all([
      this.db.organisationLink.groupBy({ by: ['organisationId'], where: { organisationId: { in: ids } }, _count: { _all: true } }),
      this.db.$queryRaw<{ organisation_id: string; level: string; count: bigint }[]>`
        select l.organisation_id, m.level::text as level, count(distinct m.id) as count
        from organisation_links l join means m on m.user_id = l.user_id and m.status = 'active'
        where l.organisation_id = any(${ids}::uuid[])
        group by l.organisation_id, m.level`,
      this.db.mandate.groupBy({
        by: ['organisationId', 'level'],
        where: { organisationId: { in: ids }, kind: 'use', status: 'active' },
        _count: { _all: true },
      }),
      this.db.mandate.groupBy({
        by: ['organisationId'],
        where: { organisationId: { in: ids }, status: 'active', validUntil: { gte: today, lte: inTwoMonths } },
        _count: { _all: true },
      }),
    ])
    return principal.adminOrganisations.map((org) => {
      const meansByLevel = emptyByLevel()
      for (const row of means.filter((r) => r.organisation_id === org.id)) meansByLevel[fromDbLevel(row.level)] = Number(row.count)
      const mandatesByLevel = emptyByLevel()
      for (const row of mandates.filter((r) => r.organisationId === org.id)) mandatesByLevel[row.level] = row._count._all
      return {
        id: org.id,
        name: org.name,
        kvkNumber: org.kvkNumber,
        adminLevel: org.level,
        users: users.find((r) => r.organisationId === org.id)?._count._all ?? 0,
        meansByLevel,
        mandatesByLevel,
        expiringMandates: expiring.find((r) => r.organisationId === org.id)?._count._all ?? 0,
      }
    })
  }

  /** What every user sees: own means and own mandates. */
  async forUser(principal: Principal) {
    const [means, mandates] = await Promise.all([
      this.db.means.findMany({ where: { userId: principal.id }, orderBy: { validUntil: 'desc' } }),
      this.db.mandate.findMany({
        where: { userId: principal.id, status: { in: ['active', 'pending'] } },
        include: { organisation: { select: { name: true } }, service: { select: { name: true } }, provider: { select: { name: true } } },
        orderBy: [{ organisation: { name: 'asc' } }, { validUntil: 'asc' }],
        take: 200,
      }),
    ])
    return { means, mandates }
  }
}
