// The shapes the Machtigingen services and pages share: scopes, list filter and rows, renewal outcomes.
import type { Level, MandateStatus } from '../../generated/prisma/client.ts'

/** Rows a list page shows: 25 unless the admin chooses 50 or 100 ("Aantal per pagina"), as in Gebruikers. */
export const PAGE_SIZES = [25, 50, 100] as const
export const DEFAULT_PAGE_SIZE = 25

export type ScopeItem = { scope: 'all' } | { scope: 'provider'; providerId: string } | { scope: 'service'; serviceId: string }

/** The database's `scope_key` of a scope: 'all', 'provider:<uuid>' or 'service:<uuid>'. */
export function scopeKeyOf(item: ScopeItem): string {
  if (item.scope === 'all') return 'all'
  if (item.scope === 'provider') return `provider:${item.providerId}`
  return `service:${item.serviceId}`
}

export type ListFilter = {
  organisationId?: string
  user?: string
  /** 'all' | 'provider:<uuid>' | 'service:<uuid>' */
  scope?: string
  level?: Level
  status?: MandateStatus
  inactive?: boolean
  sort?: 'end' | 'end-desc'
  /** One of PAGE_SIZES; DEFAULT_PAGE_SIZE when absent. */
  pageSize?: number
}

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

export type RenewOutcome = {
  id: string
  userName: string
  organisationName: string
  scope: 'all' | 'provider' | 'service'
  serviceName: string | null
  providerName: string | null
  oldUntil: Date
  newUntil: Date | null
  /** null when renewed, else the reason it was refused. */
  refusal: null | 'revoked' | 'suspended' | 'adminLevel' | 'meansLevel' | 'tooLong' | 'exists'
}

export type RenewSelection = { ids: string[] } | { filter: ListFilter }

/** The input of a grant: one mandate per scope item, all at the same level and term. */
export type GrantInput = { organisationId: string; userId: string; level: Level; termYears: number; branchId: string | null; items: ScopeItem[] }
