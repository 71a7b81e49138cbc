// Input of Beheer → API-koppelingen. Messages are catalogue keys.
import { z } from 'zod'
import { LEVEL_VALUES } from '../../domain/levels.ts'
import { parseIsoDate } from '../../domain/dates.ts'
import { API_SCOPES } from '../../shared/apiTokens.ts'

/** One ticked box arrives as a string, several as an array. */
function asList(value: unknown): unknown[] {
  if (value === undefined) return []
  return Array.isArray(value) ? (value as unknown[]) : [value]
}

const scopes = z.preprocess(asList, z.array(z.enum(API_SCOPES, 'apiClients:errors.scopes')).min(1, 'apiClients:errors.scopes'))

export const newClientSchema = z.object({
  // An id from the select, or a name or KvK number from the search field (src/web/organisationChoice.ts).
  organisationId: z.string('apiClients:errors.organisation').trim().min(1, 'apiClients:errors.organisation').max(200, 'apiClients:errors.organisation'),
  name: z.string().trim().min(1, 'apiClients:errors.name').max(100, 'apiClients:errors.name'),
  scopes,
  level: z.enum(LEVEL_VALUES, 'apiClients:errors.level'),
  validUntil: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const date = parseIsoDate(v)
      if (!date) ctx.addIssue({ code: 'custom', message: 'apiClients:errors.validUntil' })
      return date ?? new Date(0)
    }),
})
