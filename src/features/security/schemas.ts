import { z } from 'zod'

export const codeSchema = z.object({
  code: z
    .string('security:errors.code')
    .trim()
    .regex(/^\d{3} ?\d{3}$/, 'security:errors.code'),
})

export const forgotSchema = z.object({
  email: z.string('security:errors.email').trim().min(3, 'security:errors.email').max(254, 'security:errors.email').pipe(z.email('security:errors.email')),
})

export const resetParams = z.object({ token: z.string().regex(/^[\w-]{43}$/) })

export const resetSchema = z
  .object({
    password: z.string('security:errors.password').min(12, 'security:errors.password').max(200, 'security:errors.password'),
    passwordRepeat: z.string('security:errors.passwordRepeat').max(200, 'security:errors.passwordRepeat'),
  })
  .refine((v) => v.password === v.passwordRepeat, { message: 'security:errors.passwordRepeat', path: ['passwordRepeat'] })
