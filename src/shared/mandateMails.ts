// Mails about one mandate that more than one feature sends.
import { isoDate } from '../domain/dates.ts'
import { toDbLevel } from '../domain/levels.ts'
import { personName } from '../domain/names.ts'
import type { Level, MandateScope } from '../generated/prisma/client.ts'
import type { MailPerson, QueuedMail } from './outbox.ts'

/** What the "machtiging ingetrokken" mail needs of a mandate (select it with REVOKED_MAIL_SELECT). */
export type RevokedMailMandate = {
  id: string
  level: Level
  scope: MandateScope
  user: MailPerson
  organisation: { name: string }
  service: { name: string } | null
  provider: { name: string } | null
}

export const REVOKED_MAIL_SELECT = {
  id: true,
  level: true,
  scope: true,
  organisation: { select: { name: true } },
  service: { select: { name: true } },
  provider: { select: { name: true } },
  user: { select: { email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true } },
} as const

/** The "machtiging ingetrokken" mail of one mandate revoked at `now` (rule 9), to its holder. */
export function revokedMandateMail(m: RevokedMailMandate, now: Date): QueuedMail {
  return {
    idempotencyKey: `mandate-revoked:${m.id}`,
    to: m.user.email,
    template: 'mandate-revoked',
    locale: m.user.locale,
    data: {
      name: personName(m.user),
      organisationName: m.organisation.name,
      scope: m.scope,
      serviceName: m.service?.name ?? undefined,
      providerName: m.provider?.name ?? undefined,
      level: toDbLevel(m.level),
      revokedAt: isoDate(now),
    },
  }
}
