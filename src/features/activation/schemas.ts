import { z } from 'zod'
import { isBreachedPassword } from '../../shared/breachedPasswords.ts'

export const tokenParams = z.object({ token: z.string().regex(/^[\w-]{20,100}$/) })

/** Rule 22: at least 12 characters, not on the breached-password list, typed twice alike. */
export const passwordSchema = z
  .object({
    password: z
      .string('activation:errors.password')
      .min(12, 'activation:errors.password')
      .max(200, 'activation:errors.password')
      .refine((v) => !isBreachedPassword(v), 'activation:errors.breached'),
    passwordRepeat: z.string('activation:errors.passwordRepeat').max(200, 'activation:errors.passwordRepeat'),
  })
  .refine((v) => v.password === v.passwordRepeat, { message: 'activation:errors.passwordRepeat', path: ['passwordRepeat'] })
