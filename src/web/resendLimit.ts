// "Opnieuw versturen" of a mail (a link request, an application's signing mails, an activation
// link): at most LIMITS.resend per item per hour in the shared PostgreSQL rate-limit store. Over it,
// the caller changes nothing and shows `RESEND_TOO_MANY` (a Dutch sentence from the catalogue).
import type { Request } from 'express'
import { RuleViolation } from '../errors.ts'
import { principal } from './principal.ts'

export type ResendKind = 'link-request' | 'signing' | 'activation'

/** What this needs of the app's rate limits (src/features/security/rateLimits.ts). */
export type ResendLimiter = { consume(kind: 'resend', keys: { account: string; address: string }): Promise<boolean> }

/** The catalogue key of the refusal. */
export const RESEND_TOO_MANY = 'common:resend.tooMany'

/** Counts one resend of this item by this admin; over the limit it throws (the caller sends nothing). */
export async function assertResendAllowed(limiter: ResendLimiter, req: Request, kind: ResendKind, itemId: string): Promise<void> {
  if (await limiter.consume('resend', { account: `${kind}:${itemId}`, address: principal(req).id })) throw new RuleViolation(RESEND_TOO_MANY)
}
