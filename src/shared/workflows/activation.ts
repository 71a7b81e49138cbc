// Account activation (rule 22): every new person gets a single-use link, valid 7 days, to set a
// password (and, when they must use two factors, to enrol TOTP at the first login). A new link
// replaces the old one. Used by the import, registration, the back office and the activation pages.
import { randomBytes } from 'node:crypto'
import type { Tx } from '../../db/tx.ts'
import { addDays, isoDate } from '../../domain/dates.ts'
import { personName } from '../../domain/names.ts'
import { links } from '../../paths.ts'
import type { Actor } from '../actor.ts'
import { recordAudit } from '../audit.ts'
import { queueMail, type QueuedMail } from '../outbox.ts'
import { hashToken, supersedeActionTokens } from './actionTokens.ts'

export const ACTIVATION_DAYS = 7
export const ACTIVATION_PURPOSE = 'activation'

/** What the activation mail says besides the link (the means and organisation of a new user). */
export type ActivationContext = { organisationName?: string; level?: string; meansActive?: boolean }

type Person = { id: string; email: string; firstName: string; lastNamePrefix: string | null; lastName: string; locale: string }

/** A new token row and its mail, for set-based callers (the import) that insert many at once. */
export function newActivation(person: Person, context: ActivationContext, now = new Date()) {
  const raw = randomBytes(32).toString('base64url')
  const expiresAt = addDays(now, ACTIVATION_DAYS)
  const token = { purpose: ACTIVATION_PURPOSE, tokenHash: hashToken(raw), subject: { userId: person.id }, expiresAt }
  const mail: QueuedMail = {
    idempotencyKey: `activation:${token.tokenHash}`,
    to: person.email,
    template: 'account-activation',
    locale: person.locale,
    data: { name: personName(person), activatePath: links.activate(raw), expiresAt: isoDate(expiresAt), ...context },
  }
  return { raw, token, mail }
}

/** Sends a (new) activation link in the caller's transaction; earlier unused links stop working. */
export async function sendActivation(tx: Tx, actor: Actor, userId: string, context: ActivationContext = {}, now = new Date()): Promise<string> {
  const person = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, firstName: true, lastNamePrefix: true, lastName: true, locale: true },
  })
  await supersedeActionTokens(tx, ACTIVATION_PURPOSE, { userId }, now)
  const { raw, token, mail } = newActivation(person, context, now)
  await tx.actionToken.create({ data: token })
  await recordAudit(tx, actor, { action: 'user.activation_sent', subjectType: 'user', subjectId: userId, after: { expiresAt: isoDate(token.expiresAt) } })
  await queueMail(tx, mail)
  return raw
}
