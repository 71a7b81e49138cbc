// Input of the Machtigingen pages: query strings and form posts. Messages are catalogue keys.
import { z } from 'zod'
import { LEVEL_VALUES } from '../../domain/levels.ts'
import { MANDATE_STATUSES } from '../../domain/statuses.ts'
import { mandateListFilter } from '../../shared/mandateFilters.ts'
import { PAGE_SIZE_VALUES } from '../../shared/pageSizes.ts'
import { isUuid, UUID_PATTERN as UUID } from '../../domain/ids.ts'
import type { Cursor, ListFilter, ScopeItem } from './model.ts'

export { isUuid, UUID }

const SCOPE_KEY = /^(all|provider:[0-9a-f-]{36}|service:[0-9a-f-]{36})$/i
const CURSOR = /^(\d{4}-\d{2}-\d{2})_([0-9a-f-]{36})$/i

/** Empty strings from a GET form count as "not given". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === undefined || Array.isArray(v) ? undefined : v), schema.optional())

export const listQuerySchema = z.object({
  organisatie: optional(z.string().regex(UUID, 'mandates:errors.organisation')),
  gebruiker: optional(z.string().max(200, 'mandates:errors.userQuery')),
  dienst: optional(z.string().regex(SCOPE_KEY, 'mandates:errors.scopeFilter')),
  niveau: optional(z.enum(LEVEL_VALUES, 'mandates:errors.levelFilter')),
  status: optional(z.enum(MANDATE_STATUSES, 'mandates:errors.statusFilter')),
  inactief: optional(z.literal('1')),
  sorteer: optional(z.enum(['einddatum', 'einddatum-aflopend'], 'mandates:errors.sort')),
  per: optional(z.enum(PAGE_SIZE_VALUES, 'mandates:errors.pageSize')),
  na: optional(z.string().regex(CURSOR)),
  voor: optional(z.string().regex(CURSOR)),
})
export type ListQuery = z.infer<typeof listQuerySchema>

/** The list page's own query: its "Organisatie" field may also hold a name or KvK number (src/web/organisationChoice.ts). */
export const listPageQuerySchema = listQuerySchema.extend({
  organisatie: optional(z.string().max(200, 'mandates:errors.organisation')),
})

export function filterFromQuery(q: ListQuery): ListFilter {
  const { organisatie: organisationId, gebruiker: user, dienst: scope, niveau: level, status, per: pageSize } = q
  return mandateListFilter({
    organisationId,
    user,
    scope,
    level,
    status,
    pageSize,
    inactive: q.inactief === '1',
    sort: q.sorteer === 'einddatum-aflopend' ? 'end-desc' : 'end',
  })
}

export function cursorFromQuery(q: ListQuery): Cursor | null {
  const raw = q.na ?? q.voor
  if (!raw) return null
  const match = CURSOR.exec(raw)!
  const date = match[1]!
  if (Number.isNaN(Date.parse(date))) return null
  return { direction: q.na ? 'after' : 'before', date, id: match[2]! }
}

/** The filter as query-string pairs (for links and hidden fields), without the cursor. */
export function filterParams(q: ListQuery): Record<string, string> {
  const params: Record<string, string> = {}
  for (const key of ['organisatie', 'gebruiker', 'dienst', 'niveau', 'status', 'inactief', 'sorteer', 'per'] as const) {
    const value = q[key]
    if (value) params[key] = value
  }
  return params
}

export const termSchema = z.object({
  termYears: z.enum(['1', '3', '5'], 'mandates:errors.term').transform(Number),
})

export const organisationStepSchema = z.object({
  organisationId: z.string('mandates:errors.organisationRequired').min(1, 'mandates:errors.organisationRequired'),
})

export const userStepSchema = z.object({
  userId: z.string('mandates:errors.userRequired').min(1, 'mandates:errors.userRequired'),
  toonNietGekoppeld: z.string().optional(),
})

export const levelStepSchema = z.object({
  level: z.enum(LEVEL_VALUES, 'mandates:errors.levelRequired'),
})

export const servicesStepSchema = z.object({
  action: z.enum(['add', 'remove', 'next']).default('next'),
  choice: z.string().optional(),
  remove: z.string().optional(),
  zoek: z.string().max(100).optional(),
})

export function scopeItemFrom(choice: string | undefined): ScopeItem | null {
  if (!choice) return null
  if (choice === 'all') return { scope: 'all' }
  const match = /^(provider|service):([0-9a-f-]{36})$/i.exec(choice)
  if (!match || !isUuid(match[2])) return null
  return match[1] === 'provider' ? { scope: 'provider', providerId: match[2].toLowerCase() } : { scope: 'service', serviceId: match[2].toLowerCase() }
}

export const termStepSchema = z.object({
  termYears: z.enum(['1', '3', '5'], 'mandates:errors.term').transform(Number),
  branchId: z.string().optional().default(''),
})

export function idList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  return [...new Set(list.filter(isUuid).map((v) => v.toLowerCase()))].slice(0, 1000)
}
