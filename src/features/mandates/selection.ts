// Which mandates a bulk action (renew, revoke, suspend) takes: the selected ids, or all matching the
// list filter, as a condition on alias m scoped to the admin's organisations (rule 7); null for none.
import { Prisma } from '../../generated/prisma/client.ts'
import type { Principal } from '../../shared/principal.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import type { RenewSelection } from './model.ts'
import { filterConditions } from './scoping.ts'

/** Which mandates a bulk action takes (on alias m): the selected ids, or all matching the list filter; null for none. */
export function selectionTarget(principal: Principal, selection: RenewSelection): Prisma.Sql | null {
  if ('ids' in selection) {
    const orgIds = adminOrganisationIds(principal)
    if (selection.ids.length === 0 || orgIds.length === 0) return null
    return Prisma.sql`m.id = any(${selection.ids}::uuid[]) and m.kind = 'use' and m.organisation_id = any(${orgIds}::uuid[])`
  }
  const scoped = filterConditions(principal, selection.filter)
  if (!scoped) return null
  return Prisma.sql`m.organisation_id = any(${scoped.orgIds}::uuid[]) and m.status = any(${scoped.statuses}::"MandateStatus"[]) and ${Prisma.join(scoped.conditions, ' and ')}`
}
