// What "Gebruikers toevoegen" stores for the confirmed rows, worked out before the transaction: the
// rows of every table (in their column names, for the set-based insert), the audit entries and the
// mails. Rule 10: EH2/EH2+ are issued at once (signed by the admin); EH3/EH4 wait for the identity check.
import { randomUUID } from 'node:crypto'
import { addYears, isoDate, parseIsoDate, todayUtc } from '../../domain/dates.ts'
import { needsIdentityCheck, toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import type { Prisma } from '../../generated/prisma/client.ts'
import { newActivation } from '../../shared/workflows/activation.ts'
import type { Actor } from '../../shared/actor.ts'
import type { AuditEntry } from '../../shared/audit.ts'
import type { QueuedMail } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'
import type { ValidRow } from './importRows.ts'

type Row = Record<string, unknown>

export type ImportPlan = {
  users: Row[]
  links: Row[]
  means: Row[]
  applications: Row[]
  items: Row[]
  signatures: Row[]
  audit: AuditEntry[]
  mails: QueuedMail[]
  /** The activation links' tokens (rule 22), one per new person. */
  activationTokens: Prisma.ActionTokenCreateManyInput[]
  /** How many means are active at once (the rest wait for the identity check). */
  active: number
}

type Context = { principal: Principal; actor: Actor; now: Date; today: Date; organisationNames: Map<string, string> }

export function planImport(principal: Principal, actor: Actor, rows: ValidRow[], now: Date): ImportPlan {
  const plan: ImportPlan = {
    users: [],
    links: [],
    means: [],
    applications: [],
    items: [],
    signatures: [],
    audit: [],
    mails: [],
    activationTokens: [],
    active: 0,
  }
  const context: Context = { principal, actor, now, today: todayUtc(now), organisationNames: new Map(principal.adminOrganisations.map((o) => [o.id, o.name])) }
  for (const row of rows) planRow(plan, row, context)
  return plan
}

function planRow(plan: ImportPlan, row: ValidRow, { principal, actor, now, today, organisationNames }: Context): void {
  const userId = randomUUID()
  const meansId = randomUUID()
  const applicationId = randomUUID()
  const immediate = !needsIdentityCheck(row.level)
  const validUntil = addYears(today, row.termYears)
  const level = toDbLevel(row.level)
  plan.users.push({
    id: userId,
    first_name: row.firstName,
    last_name_prefix: row.lastNamePrefix,
    last_name: row.lastName,
    date_of_birth: isoDate(parseIsoDate(row.dateOfBirth)!),
    email: row.email,
    mobile: row.mobile,
    locale: actor.locale,
  })
  plan.links.push({ user_id: userId, organisation_id: row.organisationId, external_id: row.externalId ?? null })
  const status = immediate ? 'active' : 'requested'
  plan.means.push({ id: meansId, user_id: userId, level, status, valid_from: today, valid_until: validUntil, issued_at: immediate ? now : null })
  plan.applications.push({
    id: applicationId,
    organisation_id: row.organisationId,
    type: 'new_means',
    status: immediate ? 'issued' : 'awaiting_identity_check',
    level,
    term_years: row.termYears,
    subject_user_id: userId,
    requested_by_id: principal.id,
    decided_at: immediate ? now : null,
  })
  plan.items.push({ application_id: applicationId, details: { meansId, level: row.level, termYears: row.termYears } })
  plan.signatures.push({ application_id: applicationId, signer_type: 'admin', admin_user_id: principal.id, signed_at: now })
  const after = { name: personName(row), email: row.email, level: row.level, termYears: row.termYears }
  const organisationId = row.organisationId
  const createdAfter = { ...after, mobile: row.mobile, ...(row.externalId ? { externalId: row.externalId } : {}) }
  plan.audit.push({ action: 'user.created', organisationId, subjectType: 'user', subjectId: userId, after: createdAfter })
  plan.audit.push({
    action: immediate ? 'application.issued' : 'application.awaiting_identity_check',
    organisationId,
    subjectType: 'application',
    subjectId: applicationId,
    after: { type: 'new_means', ...after, signedBy: principal.id },
  })
  if (immediate) plan.active++
  // Rule 22: the new person's one mail is the activation link (it also says whether the means is active).
  const activation = newActivation(
    { id: userId, email: row.email, firstName: row.firstName, lastNamePrefix: row.lastNamePrefix, lastName: row.lastName, locale: actor.locale },
    { organisationName: organisationNames.get(organisationId) ?? '', level: row.level, meansActive: immediate },
    now,
  )
  plan.activationTokens.push(activation.token)
  plan.mails.push(activation.mail)
  plan.audit.push({ action: 'user.activation_sent', organisationId, subjectType: 'user', subjectId: userId })
}
