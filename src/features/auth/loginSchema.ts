import { z } from 'zod'

export const loginSchema = z.object({
  email: z.string('auth:login.errors.email').trim().min(1, 'auth:login.errors.email').max(254, 'auth:login.errors.email'),
  password: z.string('auth:login.errors.password').min(1, 'auth:login.errors.password').max(200, 'auth:login.errors.password'),
  code: z
    .string()
    .trim()
    .max(20, 'auth:login.errors.code')
    // six digits from the app, or a recovery code (xxxxx-xxxxx)
    .regex(/^(\d[\d ]*|[a-z0-9]{5}-?[a-z0-9]{5})?$/i, 'auth:login.errors.code')
    .optional(),
})

export type LoginForm = z.infer<typeof loginSchema>
export const loginFieldOrder = ['email', 'password', 'code']
