// What a registration stores besides its columns, and how a stored one is read back.
import type { Registration } from '../../generated/prisma/client.ts'
import type { KvkProfile } from '../../shared/kvk/register.ts'
import type { Representative } from '../../domain/rules.ts'
import type { Locale } from '../../i18n/index.ts'
import { withFields } from '../../shared/withFields.ts'

export const REGISTRATION_DAYS = 30

/** A chosen representative: `id` is `r<index in the profile's officers>`; `locale` the language of every mail to them. */
export type ChosenRepresentative = { id: string; name: string; authority: 'sole' | 'joint' | 'limited'; email: string; locale: Locale; signedAt: string | null }
export type AdminDetails = { firstName: string; lastNamePrefix: string; lastName: string; dateOfBirth: string; email: string; mobile: string }

export type RegistrationView = {
  id: string
  kind: Registration['kind']
  status: Registration['status']
  kvkNumber: string
  profile: KvkProfile
  admin: AdminDetails
  level: Registration['level']
  representatives: ChosenRepresentative[]
  expiresAt: Date
}

export function readRegistration(row: Registration, now = new Date()): RegistrationView {
  const lapsed = row.status === 'awaiting_signature' && row.expiresAt <= now
  return {
    id: row.id,
    kind: row.kind,
    status: lapsed ? 'lapsed' : row.status,
    kvkNumber: row.kvkNumber,
    profile: row.profile as KvkProfile,
    admin: row.admin as AdminDetails,
    level: row.level,
    // Requests stored before the mail language was asked have none: Nederlands.
    representatives: (row.representatives as ChosenRepresentative[]).map((r) => withFields(r, { locale: r.locale ?? 'nl' })),
    expiresAt: row.expiresAt,
  }
}

/** Every officer of the profile as rule 11 sees them (ids `r<index>`). */
export function officersForRule(profile: KvkProfile): Representative[] {
  return profile.officers.map((o, i) => ({ id: `r${i}`, authority: o.authority }))
}
