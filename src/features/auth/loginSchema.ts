import { z } from 'zod'

export const loginSchema = z.object({
  email: z.string('auth:login.errors.email').trim().min(1, 'auth:login.errors.email').max(254, 'auth:login.errors.email'),
  password: z.string('auth:login.errors.password').min(1, 'auth:login.errors.password').max(200, 'auth:login.errors.password'),
  code: z
    .string()
    .trim()
    .max(20, 'auth:login.errors.code')
    .regex(/^(\d[\d ]*)?$/, 'auth:login.errors.code')
    .optional(),
})

export type LoginForm = z.infer<typeof loginSchema>
export const loginFieldOrder = ['email', 'password', 'code']
