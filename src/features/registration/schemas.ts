import { z } from 'zod'
import { EMAIL_PATTERN, normaliseMobile, parseDateOfBirth } from '../../domain/contact.ts'
import { ADMIN_LEVELS, LEVEL_VALUES } from '../../domain/levels.ts'
import type { Locale } from '../../i18n/index.ts'
import { parseMailLocale } from '../../shared/mailLocale.ts'

export const kvkSchema = z.object({
  kvkNumber: z
    .string('registration:errors.kvkNumber')
    .transform((v) => v.replace(/[\s.]/g, ''))
    .pipe(z.string().regex(/^[0-9]{8}$/, 'registration:errors.kvkNumber')),
})

const text = (key: string, max: number) => z.string(key).trim().min(1, key).max(max, key)
const email = z.string('registration:errors.email').trim().max(254, 'registration:errors.email').regex(EMAIL_PATTERN, 'registration:errors.email')

/** The first machtigingenbeheerder (rule 3: an admin level is EH2+ or higher). */
export const adminSchema = z.object({
  kvkNumber: kvkSchema.shape.kvkNumber,
  firstName: text('registration:errors.firstName', 100),
  lastNamePrefix: z.string().trim().max(20, 'registration:errors.lastNamePrefix').optional().default(''),
  lastName: text('registration:errors.lastName', 100),
  dateOfBirth: z
    .string('registration:errors.dateOfBirth')
    .trim()
    .refine((v) => parseDateOfBirth(v) !== null, 'registration:errors.dateOfBirth'),
  email,
  emailConfirmed: z.literal('1', 'registration:errors.emailConfirmed'),
  mobile: z
    .string('registration:errors.mobile')
    .trim()
    .refine((v) => normaliseMobile(v) !== null, 'registration:errors.mobile')
    .transform((v) => normaliseMobile(v)!),
  level: z.enum(LEVEL_VALUES, 'registration:errors.level').refine((l) => ADMIN_LEVELS.includes(l), 'registration:errors.level'),
})
export type AdminInput = z.infer<typeof adminSchema>

export type ChosenSigner = { index: number; email: string; locale: Locale }

/**
 * Representative i is chosen when `sign_<i>` is ticked; then `repEmail_<i>` is required, and
 * `repLocale_<i>` is the language of every mail to them (Nederlands when the form sends none).
 */
export function chosenRepresentatives(body: Record<string, unknown>, count: number): { chosen: ChosenSigner[]; errors: Record<string, string> } {
  const chosen: ChosenSigner[] = []
  const errors: Record<string, string> = {}
  for (let i = 0; i < count; i++) {
    if (body[`sign_${i}`] !== '1') continue
    const value = typeof body[`repEmail_${i}`] === 'string' ? (body[`repEmail_${i}`] as string).trim() : ''
    const locale = body[`repLocale_${i}`] === undefined || body[`repLocale_${i}`] === '' ? 'nl' : parseMailLocale(body[`repLocale_${i}`])
    if (!EMAIL_PATTERN.test(value) || value.length > 254) errors[`repEmail_${i}`] = 'registration:errors.repEmail'
    if (!locale) errors[`repLocale_${i}`] = 'common:mailLocale.invalid'
    if (!errors[`repEmail_${i}`] && locale) chosen.push({ index: i, email: value, locale })
  }
  return { chosen, errors }
}

export const tokenParams = z.object({ token: z.string().regex(/^[\w-]{20,100}$/) })
