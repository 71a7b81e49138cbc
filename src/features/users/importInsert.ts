// Stores an import plan inside the caller's transaction: one set-based insert per table, then the
// audit entries and the mails.
import type { Tx } from '../../db/tx.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAuditMany } from '../../shared/audit.ts'
import { queueMails } from '../../shared/outbox.ts'
import { insertJsonRows, type Columns } from './bulkInsert.ts'
import type { ImportPlan } from './importPlan.ts'

const UPDATED_NOW = { updated_at: 'now()' }
const NEW_ID = { id: 'gen_random_uuid()' }

// prettier-ignore
const COLUMNS = {
  users: { id: 'uuid', first_name: 'text', last_name_prefix: 'text', last_name: 'text', date_of_birth: 'date', email: 'text', mobile: 'text', locale: 'text' },
  organisation_links: { user_id: 'uuid', organisation_id: 'uuid', external_id: 'text' },
  means: { id: 'uuid', user_id: 'uuid', level: '"Level"', status: '"MeansStatus"', valid_from: 'date', valid_until: 'date', issued_at: 'timestamptz' },
  applications: { id: 'uuid', organisation_id: 'uuid', type: '"ApplicationType"', status: '"ApplicationStatus"', level: '"Level"', term_years: 'int', subject_user_id: 'uuid', requested_by_id: 'uuid', decided_at: 'timestamptz' },
  application_items: { application_id: 'uuid', details: 'jsonb' },
  application_signatures: { application_id: 'uuid', signer_type: '"SignerType"', admin_user_id: 'uuid', signed_at: 'timestamptz' },
} satisfies Record<string, Columns>

export async function insertImportPlan(tx: Tx, actor: Actor, plan: ImportPlan): Promise<void> {
  await insertJsonRows(tx, 'users', COLUMNS.users, plan.users, UPDATED_NOW)
  await insertJsonRows(tx, 'organisation_links', COLUMNS.organisation_links, plan.links, NEW_ID)
  await insertJsonRows(tx, 'means', COLUMNS.means, plan.means, UPDATED_NOW)
  await insertJsonRows(tx, 'applications', COLUMNS.applications, plan.applications, UPDATED_NOW)
  await insertJsonRows(tx, 'application_items', COLUMNS.application_items, plan.items, NEW_ID)
  await insertJsonRows(tx, 'application_signatures', COLUMNS.application_signatures, plan.signatures, NEW_ID)
  await tx.actionToken.createMany({ data: plan.activationTokens })
  await recordAuditMany(tx, actor, plan.audit)
  await queueMails(tx, plan.mails)
}
