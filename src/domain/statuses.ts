// The status lists of the domain, written once (the enums themselves are in prisma/schema.prisma).
import type { ApplicationStatus, LinkRequestStatus, MandateStatus, MeansStatus } from '../generated/prisma/client.ts'

export type { ApplicationStatus, LinkRequestStatus, MandateStatus, MeansStatus }

export const MANDATE_STATUSES = ['active', 'pending', 'expired', 'revoked', 'suspended'] as const satisfies readonly MandateStatus[]

/** A live mandate counts against "one live mandate per scope" (the database's `live` column). */
export const LIVE_MANDATE_STATUSES = ['active', 'pending'] as const satisfies readonly MandateStatus[]

export const MEANS_STATUSES = ['requested', 'active', 'suspended', 'revoked', 'expired'] as const satisfies readonly MeansStatus[]

/** Every status of an application, in the order Aanvragen's filter offers them. */
export const APPLICATION_STATUSES = [
  'awaiting_signature',
  'signed',
  'awaiting_identity_check',
  'issued',
  'rejected',
  'cancelled',
] as const satisfies readonly ApplicationStatus[]

/** An application still on its way: it blocks a second one of the same kind. */
export const OPEN_APPLICATION_STATUSES = ['awaiting_signature', 'signed', 'awaiting_identity_check'] as const satisfies readonly ApplicationStatus[]

export const LINK_REQUEST_STATUSES = ['pending', 'accepted', 'rejected', 'lapsed', 'cancelled'] as const satisfies readonly LinkRequestStatus[]

export function isOpenApplication(status: ApplicationStatus): boolean {
  return (OPEN_APPLICATION_STATUSES as readonly string[]).includes(status)
}
