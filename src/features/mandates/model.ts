// The shapes the Machtigingen services and pages share: scopes, list filter and rows, renewal outcomes.
import type { Level, MandateStatus } from '../../generated/prisma/client.ts'
import { personName } from '../../domain/names.ts'
import type { MandateListFilter } from '../../shared/mandateFilters.ts'

/** Rows a list page shows: 25 unless the admin chooses 50 or 100 ("Aantal per pagina"); the one list is src/shared/pageSizes.ts. */
export { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../shared/pageSizes.ts'

export type ScopeItem = { scope: 'all' } | { scope: 'provider'; providerId: string } | { scope: 'service'; serviceId: string }

/** The database's `scope_key` of a scope: 'all', 'provider:<uuid>' or 'service:<uuid>'. */
export function scopeKeyOf(item: ScopeItem): string {
  if (item.scope === 'all') return 'all'
  if (item.scope === 'provider') return `provider:${item.providerId}`
  return `service:${item.serviceId}`
}

export type ListFilter = MandateListFilter

export type Cursor = { direction: 'after' | 'before'; date: string; id: string }

export type MandateRow = {
  id: string
  userId: string
  userName: string
  userEmail: string
  organisationId: string
  organisationName: string
  scope: 'all' | 'provider' | 'service'
  serviceName: string | null
  providerName: string | null
  level: Level
  branchName: string | null
  branchNumber: string | null
  validFrom: Date
  validUntil: Date
  status: MandateStatus
  expiringSoon: boolean
  expired: boolean
  /** The renew icon: not revoked or suspended, and at or below the admin's own level there (rule 2). */
  canRenew: boolean
}

/** A mandate as a result or confirmation page lists it: whose, where, what. */
export type MandateLine = {
  id: string
  userName: string
  organisationName: string
  scope: 'all' | 'provider' | 'service'
  serviceName: string | null
  providerName: string | null
}

/** The holder's columns of a mandate row as the SQL reads them. */
export type HolderColumns = { id: string; user_id: string; first_name: string; last_name_prefix: string | null; last_name: string; email: string }

/** A row the bulk SQL returns (renew, revoke, suspend), enough for its line on the result page. */
export type ResultColumns = Pick<HolderColumns, 'id' | 'first_name' | 'last_name_prefix' | 'last_name'> & {
  organisation_name: string
  scope: 'all' | 'provider' | 'service'
  service_name: string | null
  provider_name: string | null
  level: string
}

/** The holder's name of a row. */
export function holderName(r: Pick<HolderColumns, 'first_name' | 'last_name_prefix' | 'last_name'>): string {
  return personName({ firstName: r.first_name, lastNamePrefix: r.last_name_prefix, lastName: r.last_name })
}

/** A bulk SQL row as a result page lists it. */
export function mandateLine(r: ResultColumns): MandateLine {
  return {
    id: r.id,
    userName: holderName(r),
    organisationName: r.organisation_name,
    scope: r.scope,
    serviceName: r.service_name,
    providerName: r.provider_name,
  }
}

export type RenewOutcome = MandateLine & {
  oldUntil: Date
  newUntil: Date | null
  /** null when renewed, else the reason it was refused. */
  refusal: null | 'revoked' | 'suspended' | 'adminLevel' | 'meansLevel' | 'tooLong' | 'exists'
}

export type RenewSelection = { ids: string[] } | { filter: ListFilter }

/** The input of a grant: one mandate per scope item, all at the same level and term. */
export type GrantInput = { organisationId: string; userId: string; level: Level; termYears: number; branchId: string | null; items: ScopeItem[] }
