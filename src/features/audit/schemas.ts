import { z } from 'zod'
import { parseIsoDate } from '../../domain/dates.ts'
import { AUDIT_ACTIONS } from '../../domain/auditActions.ts'
import { PAGE_SIZE_VALUES } from '../../shared/pageSizes.ts'

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional())

const date = (key: string) =>
  z
    .string(key)
    .regex(/^\d{4}-\d{2}-\d{2}$/, key)
    .transform((v, ctx) => {
      const parsed = parseIsoDate(v)
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: key })
        return z.NEVER
      }
      return parsed
    })

/** The filters of Logboek (query string), also used by the CSV export. */
export const auditQuerySchema = z
  .object({
    // An id from the select, or a name or KvK number from the search field (src/web/organisationChoice.ts).
    organisatie: optional(z.string('audit:errors.organisation').max(200, 'audit:errors.organisation')),
    gebruiker: optional(z.string('audit:errors.user').max(254, 'audit:errors.user')),
    actie: optional(z.enum(AUDIT_ACTIONS, 'audit:errors.action')),
    van: optional(date('audit:errors.from')),
    tot: optional(date('audit:errors.until')),
    per: optional(z.enum(PAGE_SIZE_VALUES, 'audit:errors.pageSize')),
    na: optional(z.string('audit:errors.cursor').regex(/^\d{1,18}$/, 'audit:errors.cursor')),
  })
  .refine((q) => !q.van || !q.tot || q.van <= q.tot, { message: 'audit:errors.period', path: ['tot'] })

export type AuditQuery = z.infer<typeof auditQuerySchema>
export const auditFieldOrder = ['organisatie', 'gebruiker', 'actie', 'van', 'tot', 'per']
