// The Ketenmachtigingen forms: messages are catalogue keys.
import { z } from 'zod'
import { LEVEL_VALUES } from '../../domain/levels.ts'

const uuidOrEmpty = z.union([z.uuid(), z.literal('')]).optional()

export const giveSchema = z.object({
  organisationId: z.uuid({ message: 'chains:errors.organisation' }),
  kvkNumber: z
    .string()
    .trim()
    .regex(/^[0-9]{8}$/, { message: 'chains:errors.kvkFormat' }),
  intermediaryName: z.string().trim().max(200, { message: 'chains:errors.nameLength' }).default(''),
  scope: z.enum(['all', 'provider', 'service'], { message: 'chains:errors.scope' }),
  providerId: uuidOrEmpty,
  serviceId: uuidOrEmpty,
  level: z.enum(LEVEL_VALUES, { message: 'chains:errors.level' }),
  termYears: z.coerce.number({ message: 'chains:errors.term' }).int({ message: 'chains:errors.term' }),
})

export const termSchema = z.object({ termYears: z.coerce.number({ message: 'chains:errors.term' }).int({ message: 'chains:errors.term' }) })

export const assignSchema = z.object({
  userId: z.uuid({ message: 'chains:errors.userRequired' }),
  scopeKey: z.string({ message: 'chains:errors.scopeRequired' }).min(1, { message: 'chains:errors.scopeRequired' }).max(80),
  level: z.enum(LEVEL_VALUES, { message: 'chains:errors.level' }),
})

export const whoQuerySchema = z.object({
  // An id from the select, or a name or KvK number from the search field (src/web/organisationChoice.ts).
  organisatie: z.string().max(200).optional(),
  dienst: z.union([z.uuid(), z.literal('')]).optional(),
})

export const pageQuerySchema = z.object({ pagina: z.coerce.number().int().min(1).max(100_000).optional() })
