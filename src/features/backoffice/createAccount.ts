// The first back-office account of an empty production database (`npm run backoffice:create`):
// the account without a password, and a one-time activation link (rule 22) to print. Run again for
// an account that has not activated yet, it replaces the link; an activated account is left alone.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { EMAIL_PATTERN } from '../../domain/contact.ts'
import { systemActor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { sendActivation } from '../../shared/workflows/activation.ts'

export type BackofficeAccountInput = { email: string; firstName?: string; lastName?: string; dateOfBirth?: Date }
export type BackofficeAccountResult = { outcome: 'created' | 'newLink'; token: string } | { outcome: 'invalidEmail' | 'exists' | 'notBackoffice' }

/** Every person has a date of birth; a back-office account has no means, so without --date-of-birth a placeholder (the first day the database allows). */
const NO_DATE_OF_BIRTH = new Date('1900-01-02T00:00:00Z')

export async function createBackofficeAccount(db: PrismaClient, input: BackofficeAccountInput, now = new Date()): Promise<BackofficeAccountResult> {
  const email = input.email.trim()
  if (!EMAIL_PATTERN.test(email) || email.length > 254) return { outcome: 'invalidEmail' }
  const actor = systemActor('backoffice:create')
  const existing = await db.user.findUnique({ where: { emailKey: email.toLowerCase() }, select: { id: true, role: true, passwordHash: true } })
  if (existing) {
    if (existing.role !== 'backoffice') return { outcome: 'notBackoffice' }
    if (existing.passwordHash) return { outcome: 'exists' }
    const token = await db.$transaction((tx) => sendActivation(tx, actor, existing.id, {}, now))
    return { outcome: 'newLink', token }
  }
  const local = email
    .split('@')[0]!
    .split(/[._-]+/)
    .filter(Boolean)
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
  const firstName = (input.firstName ?? capital(local[0] ?? 'Backoffice')).slice(0, 100)
  const lastName = (input.lastName ?? (local.slice(1).map(capital).join(' ') || 'Backoffice')).slice(0, 100)
  const token = await db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { firstName, lastName, dateOfBirth: input.dateOfBirth ?? NO_DATE_OF_BIRTH, email, role: 'backoffice' } })
    await recordAudit(tx, actor, { action: 'user.created', subjectType: 'user', subjectId: user.id, after: { email, role: 'backoffice' } })
    return sendActivation(tx, actor, user.id, {}, now)
  })
  return { outcome: 'created', token }
}
