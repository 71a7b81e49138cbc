// The service catalogue search of the machtigingen wizard (step "Diensten"), also used by "Nieuwe
// ketenmachtiging" for a per-dienst scope: by the service's name or its provider's name. "alle"
// offers all services; a provider's name offers all of that provider. Paged: `page` (from 1) of
// `pageSize` services, and whether there are more.
import { Prisma } from '../generated/prisma/client.ts'
import type { Level } from '../generated/prisma/client.ts'
import type { Db, Tx } from '../db/tx.ts'
import { fromDbLevel } from '../domain/levels.ts'
import { escapeLike } from './userSearch.ts'

export type CatalogueHit = { id: string; name: string; requiredLevel: Level; providerName: string; refusesBranchRestriction: boolean }

export type CatalogueResults = { offerAll: boolean; providers: { id: string; name: string }[]; services: CatalogueHit[]; more: boolean }

export async function searchCatalogue(db: Db | Tx, query: string, options: { page?: number; pageSize?: number } = {}): Promise<CatalogueResults> {
  const q = query.trim()
  const pageSize = options.pageSize ?? 100
  const offset = (Math.max(1, options.page ?? 1) - 1) * pageSize
  const pattern = `%${escapeLike(q)}%`
  const offerAll = q === '' || 'alle diensten'.startsWith(q.toLowerCase()) || q.toLowerCase().startsWith('alle')
  const providers = await db.serviceProvider.findMany({
    where: q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { services: { some: { name: { contains: q, mode: 'insensitive' } } } }] } : {},
    orderBy: { name: 'asc' },
    select: { id: true, name: true },
    take: 50,
  })
  const services = await db.$queryRaw<{ id: string; name: string; required_level: string; provider_name: string; refuses_branch_restriction: boolean }[]>`
    select s.id, s.name, s.required_level::text as required_level, p.name as provider_name, s.refuses_branch_restriction
    from services s join service_providers p on p.id = s.provider_id
    where ${q === '' || offerAll ? Prisma.sql`true` : Prisma.sql`(s.name ilike ${pattern} or p.name ilike ${pattern})`}
    order by s.name, s.id limit ${pageSize + 1} offset ${offset}`
  return {
    offerAll,
    providers,
    services: services.slice(0, pageSize).map((s) => ({
      id: s.id,
      name: s.name,
      requiredLevel: fromDbLevel(s.required_level),
      providerName: s.provider_name,
      refusesBranchRestriction: s.refuses_branch_restriction,
    })),
    more: services.length > pageSize,
  }
}
