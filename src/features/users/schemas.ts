import { z } from 'zod'
import { LEVEL_VALUES } from '../../domain/levels.ts'

const level = z.enum(LEVEL_VALUES)
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

export const userFilterSchema = z.object({
  organisationId: optional(z.uuid()),
  level: optional(level),
  meansStatus: optional(z.enum(['requested', 'active', 'suspended', 'revoked', 'expired'])),
  q: optional(z.string().trim().max(100)),
  na: optional(z.string().max(400)),
})

export const upgradeSchema = z.object({
  organisationId: z.uuid('users:upgrade.errors.organisation'),
  level: level.catch('EH2' as const).pipe(z.enum(LEVEL_VALUES)),
})
