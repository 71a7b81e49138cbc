// Every audit action and subject type the code writes, listed once. The writers (`recordAudit`,
// `recordAuditMany`, `auditInsertFrom` callers) accept only these; Logboek's filter, its sentences
// (`audit:action.<action>` in the catalogues) and the user detail page read them from here.
// audit_events is append-only: rows written before the names were fixed keep their old spelling, so
// the readers also match the legacy names listed below.

export const AUDIT_SUBJECT_TYPES = [
  'user',
  'application',
  'mandate',
  'means',
  'link_request',
  'outgoing_mail',
  'chain_mandate',
  'chain_assignment',
  'organisation',
  'registration',
  'api_client',
] as const
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number]

export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'totp_enrolled',
  'password_reset_requested',
  'password_reset',
  'user.created',
  'user.mobile_changed',
  'user.email_change_requested',
  'user.email_changed',
  'user.mail_locale_changed',
  'application.created',
  'application.signing_requested',
  'application.signed_by_admin',
  'application.signed_by_representative',
  'application.awaiting_identity_check',
  'application.signed',
  'application.issued',
  'application.cancelled',
  'identity_check.approved',
  'identity_check.rejected',
  'mandate.granted',
  'mandate.renewed',
  'mandate.activated',
  'mandate.revoked',
  'mandate.expired',
  'means.renewed',
  'means.expired',
  'link_request.created',
  'link_request.cancelled',
  'link_request.accepted',
  'link_request.rejected',
  'link_request.resent',
  'mail.retried',
  'chain.given',
  'chain.renewed',
  'chain.revoked',
  'chain.suspended',
  'chain.suspension_lifted',
  'chain-assignment.granted',
  'chain-assignment.revoked',
  'chain.expired',
  'chain-assignment.expired',
  'password_changed',
  'totp_reset',
  'user.activation_sent',
  'user.activated',
  'user.offboarded',
  'user.external_id_changed',
  'mandate.suspended',
  'mandate.suspension_lifted',
  'means.suspended',
  'means.suspension_lifted',
  'means.cancelled',
  'means.cancel_scheduled',
  'link_request.lapsed',
  'organisation.blocked',
  'organisation.unblocked',
  'organisation.kvk_refreshed',
  'organisation.representative_mail_locale_changed',
  'registration.created',
  'registration.resent',
  'registration.signed',
  'registration.completed',
  'registration.cancelled',
  'api_client.created',
  'api_client.rotated',
  'api_client.revoked',
  'api_client.scim_token_issued',
  'api_client.scim_token_revoked',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/**
 * What a person does to their own account (signing in and out, second factor, password, own
 * details, activation) and the back office's mail retries: always written without an organisation
 * (`recordAudit` refuses one), so only the back office's Logboek can show them, and an admin's action
 * filter does not offer them.
 */
export const PERSONAL_AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'totp_enrolled',
  'totp_reset',
  'password_reset_requested',
  'password_reset',
  'password_changed',
  'user.mobile_changed',
  'user.email_change_requested',
  'user.email_changed',
  'user.mail_locale_changed',
  'user.activated',
  'mail.retried',
] as const satisfies readonly AuditAction[]

export function isPersonalAuditAction(action: string): boolean {
  return (PERSONAL_AUDIT_ACTIONS as readonly string[]).includes(action)
}

/** The actions an admin's Logboek can hold: those written with an organisation (some also without). */
export const ORGANISATION_AUDIT_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS.filter((action) => !isPersonalAuditAction(action))

/** The subject each action is about (for the enumeration test and the links in Logboek). */
export function subjectTypeOfAction(action: AuditAction): AuditSubjectType {
  const prefix = action.split('.')[0]!
  if (!action.includes('.')) return 'user'
  const map: Record<string, AuditSubjectType> = {
    user: 'user',
    application: 'application',
    identity_check: 'application',
    mandate: 'mandate',
    means: 'means',
    link_request: 'link_request',
    mail: 'outgoing_mail',
    chain: 'chain_mandate',
    'chain-assignment': 'chain_assignment',
    organisation: 'organisation',
    registration: 'registration',
    api_client: 'api_client',
  }
  return map[prefix]!
}

/** Old spellings still stored in audit_events (append-only), by the name they stand for. */
export const LEGACY_SUBJECT_TYPES: Record<AuditSubjectType, readonly string[]> = {
  user: [],
  application: ['Application'],
  mandate: ['Mandate'],
  means: ['Means'],
  link_request: ['LinkRequest'],
  outgoing_mail: ['OutgoingMail'],
  chain_mandate: ['ChainMandate'],
  chain_assignment: ['ChainAssignment'],
  organisation: ['Organisation'],
  registration: ['Registration'],
  api_client: ['ApiClient'],
}
export const LEGACY_ACTIONS: Partial<Record<AuditAction, readonly string[]>> = {
  'link_request.created': ['linkRequest.created'],
}

/** The stored names that mean `subjectType` (itself and its legacy spellings). */
export function storedSubjectTypes(subjectType: AuditSubjectType): string[] {
  return [subjectType, ...LEGACY_SUBJECT_TYPES[subjectType]]
}

/** The stored names that mean `action`. */
export function storedActions(action: AuditAction): string[] {
  return [action, ...(LEGACY_ACTIONS[action] ?? [])]
}

/** A stored action or subject type read back as its current name (unknown ones stay as they are). */
export function currentAction(stored: string): AuditAction | null {
  if ((AUDIT_ACTIONS as readonly string[]).includes(stored)) return stored as AuditAction
  const found = Object.entries(LEGACY_ACTIONS).find(([, old]) => old.includes(stored))
  return found ? (found[0] as AuditAction) : null
}

export function currentSubjectType(stored: string): AuditSubjectType | null {
  if ((AUDIT_SUBJECT_TYPES as readonly string[]).includes(stored)) return stored as AuditSubjectType
  const found = Object.entries(LEGACY_SUBJECT_TYPES).find(([, old]) => old.includes(stored))
  return found ? (found[0] as AuditSubjectType) : null
}

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value)
}
