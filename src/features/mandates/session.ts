// What the Machtigingen pages keep in the session between form posts (works without JavaScript).
import 'express-session'
import type { BulkOutcome } from './bulkService.ts'
import type { Level } from '../../generated/prisma/client.ts'
import type { RenewOutcome, ScopeItem } from './model.ts'

export type MandateWizard = {
  organisationId?: string
  userId?: string
  level?: Level
  items: ScopeItem[]
  termYears?: number
  branchId?: string | null
  /** The chosen user is not linked yet: confirming creates the link request with the pending mandates. */
  linkRequestNeeded?: boolean
}

/** A RenewOutcome as the session keeps it (JSON): its dates as ISO dates. */
export type StoredRenewOutcome = Omit<RenewOutcome, 'oldUntil' | 'newUntil' | 'refusal'> & { oldUntil: string; newUntil: string | null; refusal: string | null }

export type StoredGrantResult = {
  organisationName: string
  userName: string
  status: string
  validUntil: string
  scopes: { scope: string; serviceName: string | null; providerName: string | null }[]
  linkRequestCreated: boolean
}

declare module 'express-session' {
  interface SessionData {
    mandateWizard?: MandateWizard
    mandateGrantResult?: StoredGrantResult
    mandateRenewResult?: { termYears: number; total: number; renewed: number; refused: number; outcomes: StoredRenewOutcome[] }
    /** The result of the last bulk revoke or suspend (bulkRoutes.ts). */
    mandateBulkResult?: { action: 'revoke' | 'suspend'; total: number; done: number; refused: number; outcomes: BulkOutcome[] }
    /** Digests of the last bulk confirmations carried out: a replay is told it already happened. */
    mandateBulkDigests?: string[]
  }
}
