// A person of the client's organisation as a SCIM User, and a SCIM User's attributes as the fields
// of "Gebruikers toevoegen". userName is the e-mail address (the portal's login); the name parts,
// date of birth, e-mail and mobile belong to the person, so after creation they are immutable here.
import { isoDate } from '../../domain/dates.ts'
import { levelLabel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import type { Level, MeansStatus } from '../../generated/prisma/client.ts'
import { links } from '../../paths.ts'
import { SCHEMA, type ScimUserInput } from './schemas.ts'

export type StoredPerson = {
  id: string
  firstName: string
  lastNamePrefix: string | null
  lastName: string
  dateOfBirth: Date
  email: string
  mobile: string | null
  createdAt: Date
  updatedAt: Date
  externalId: string | null
  means: { level: Level; status: MeansStatus; validUntil: Date } | null
}

export type ScimUser = Record<string, unknown> & { id: string; userName: string; active: boolean }

export function toScimUser(p: StoredPerson, active = true): ScimUser {
  const resource: ScimUser = {
    schemas: [SCHEMA.user, SCHEMA.extension],
    id: p.id,
    userName: p.email,
    name: { givenName: p.firstName, familyName: p.lastName, formatted: personName(p) },
    displayName: personName(p),
    emails: [{ value: p.email, type: 'work', primary: true }],
    phoneNumbers: p.mobile ? [{ value: p.mobile, type: 'mobile' }] : [],
    active,
    [SCHEMA.extension]: {
      dateOfBirth: isoDate(p.dateOfBirth),
      lastNamePrefix: p.lastNamePrefix,
      level: p.means ? levelLabel(p.means.level) : null,
      meansStatus: p.means?.status ?? null,
      meansValidUntil: p.means ? isoDate(p.means.validUntil) : null,
    },
    meta: {
      resourceType: 'User',
      created: p.createdAt.toISOString(),
      lastModified: p.updatedAt.toISOString(),
      location: links.scimUser(p.id),
      version: `W/"${p.updatedAt.getTime()}"`,
    },
  }
  if (p.externalId) resource.externalId = p.externalId
  return resource
}

type Valued = { value?: string | undefined; type?: string | undefined; primary?: boolean | undefined }

/** The work address (else the primary, else the first), else userName. */
export function emailOf(input: ScimUserInput): string {
  const emails = (input.emails ?? []) as Valued[]
  const chosen = emails.find((e) => e.type?.toLowerCase() === 'work') ?? emails.find((e) => e.primary) ?? emails[0]
  return (chosen?.value ?? input.userName).trim()
}

/** The mobile number (else the first number), or null. */
export function mobileOf(input: ScimUserInput): string | null {
  const phones = (input.phoneNumbers ?? []) as Valued[]
  const chosen = phones.find((p) => p.type?.toLowerCase() === 'mobile') ?? phones.find((p) => p.primary) ?? phones[0]
  return chosen?.value?.trim() || null
}

export function extensionOf(input: ScimUserInput): { dateOfBirth?: string; lastNamePrefix?: string | null; termYears?: number | string } {
  return input[SCHEMA.extension] ?? {}
}
