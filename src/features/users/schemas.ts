import { z } from 'zod'
import { LEVEL_VALUES } from '../../domain/levels.ts'
import { MEANS_STATUSES } from '../../domain/statuses.ts'

const level = z.enum(LEVEL_VALUES)
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

export const userFilterSchema = z.object({
  organisationId: optional(z.uuid()),
  level: optional(level),
  meansStatus: optional(z.enum(MEANS_STATUSES)),
  q: optional(z.string().trim().max(100)),
  inactief: optional(z.literal('1')),
  na: optional(z.string().max(400)),
})

/** The list page's own query: its "Organisatie" field may also hold a name or KvK number (src/web/organisationChoice.ts). */
export const userListQuerySchema = userFilterSchema.extend({
  organisationId: optional(z.string().max(200)),
})

export const upgradeSchema = z.object({
  organisationId: z.uuid('users:upgrade.errors.organisation'),
  level: level.catch('EH2' as const).pipe(z.enum(LEVEL_VALUES)),
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The ticked users of a form (`id`, once or repeated): valid uuids only, lower case, each once, at most 1,000. */
export function userIdsFrom(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && UUID.test(v)).map((v) => v.toLowerCase()))].slice(0, 1000)
}

/** A uuid field, or '' when it is missing or not one. */
export function uuidFrom(value: unknown): string {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : ''
}
