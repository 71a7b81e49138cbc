// "Wie mag wat": for one of the admin's organisations and a chosen service, every person who may act
// (rule 21), with level and path, from src/shared/authorisations.ts (the one answer).
import type { Level, PrismaClient } from '../../generated/prisma/client.ts'
import { personName } from '../../domain/names.ts'
import { assertAdministers } from '../../policy/access.ts'
import { whoMay, type AuthorisationPath } from '../../shared/authorisations.ts'
import type { Principal } from '../../shared/principal.ts'

export type WhoRow = { userId: string; name: string; email: string; level: Level; path: AuthorisationPath }

export class WhoService {
  constructor(private readonly db: PrismaClient) {}

  services() {
    return this.db.service.findMany({ select: { id: true, name: true, provider: { select: { name: true } } }, orderBy: { name: 'asc' } })
  }

  async who(principal: Principal, organisationId: string, serviceId: string): Promise<WhoRow[]> {
    assertAdministers(principal, organisationId)
    const allowed = await whoMay(this.db, organisationId, serviceId)
    const users = await this.db.user.findMany({
      where: { id: { in: [...allowed.keys()] } },
      select: { id: true, firstName: true, lastNamePrefix: true, lastName: true, email: true },
    })
    return users.map((u) => ({ userId: u.id, name: personName(u), email: u.email, ...allowed.get(u.id)! })).sort((a, b) => a.name.localeCompare(b.name, 'nl'))
  }
}
