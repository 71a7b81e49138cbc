// The filter of the mandates list, shared by the Machtigingen page (Dutch query names) and the API (English ones).
import type { Level, MandateStatus } from '../generated/prisma/client.ts'

export type MandateListFilter = {
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

/** The filter's values as a query gives them (already checked by the page's or the API's schema). */
export type MandateFilterQuery = {
  organisationId?: string
  user?: string
  scope?: string
  level?: Level
  status?: MandateStatus
  inactive: boolean
  sort?: 'end' | 'end-desc'
  pageSize?: string
}

/** The list filter of a checked query: scope keys in lower case, sorted by end date unless asked otherwise. */
export function mandateListFilter(q: MandateFilterQuery): MandateListFilter {
  const { organisationId, user, level, status, inactive } = q
  return {
    organisationId,
    user,
    scope: q.scope?.toLowerCase(),
    level,
    status,
    inactive,
    sort: q.sort ?? 'end',
    pageSize: q.pageSize ? Number(q.pageSize) : undefined,
  }
}
