// An audit entry in words: one catalogue sentence per action (`audit:sentence.<action>`, nl and en)
// and the change as a before → after list of named fields (`audit:field.<name>`), dates in the
// portal's format. Fields without a name in the catalogue (ids, internal markers) are not shown.
// Logboek uses it, and so can any history page: read the names with `auditNames` first.
import type { TFunction } from 'i18next'
import { currentAction } from '../domain/auditActions.ts'
import { formatDate } from '../web/format.ts'
import { auditSubject, type AuditNames } from './auditSubjects.ts'

export type AuditSentenceRow = {
  action: string
  actorId?: string | null
  actorLabel: string
  subjectType: string
  subjectId: string | null
  organisationName: string | null
  before: unknown
  after: unknown
}

export type AuditChange = { field: string; before: string; after: string }

/** The fields a change shows, in this order; every one has a label in `audit:field`. */
export const AUDIT_FIELDS = [
  'status',
  'validUntil',
  'level',
  'fromLevel',
  'termYears',
  'email',
  'mobile',
  'reason',
  'method',
  'type',
  'activatedMandates',
  'representatives',
  'recoveryCodes',
  'attempts',
] as const

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** One value as words: dates in the portal format, statuses, levels and kinds through the catalogues. */
export function auditValue(t: TFunction, locale: string, field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '–'
  if (Array.isArray(value)) return String(value.length)
  if (typeof value === 'boolean') return t(value ? 'audit:value.yes' : 'audit:value.no')
  if (typeof value === 'number') return field === 'termYears' ? t('audit:value.years', { count: value }) : String(value)
  if (typeof value !== 'string') return '–'
  if (ISO_DATE.test(value)) return formatDate(value, locale)
  if (field === 'status') return t(`audit:value.status.${value}`, { defaultValue: value })
  if (field === 'level' || field === 'fromLevel') return t(`common:levels.${value}`, { defaultValue: value })
  if (field === 'type') return t(`applications:type.${value}`, { defaultValue: value })
  if (field === 'method') return t(`audit:value.method.${value}`, { defaultValue: value })
  return value
}

/** The named fields that differ between before and after (or are set after), as words. */
export function auditChanges(t: TFunction, locale: string, row: Pick<AuditSentenceRow, 'before' | 'after'>): AuditChange[] {
  const before = record(row.before)
  const after = record(row.after)
  const changes: AuditChange[] = []
  for (const field of AUDIT_FIELDS) {
    if (!(field in before) && !(field in after)) continue
    const from = auditValue(t, locale, field, before[field])
    const to = field in after ? auditValue(t, locale, field, after[field]) : from
    if (from === to && field in before) continue
    changes.push({ field: t(`audit:field.${field}`), before: from, after: to })
  }
  return changes
}

/** "Sanne de Vries heeft de machtiging van Jan Smit voor Aangifte omzetbelasting verlengd tot 12-01-2028." */
export function auditSentence(t: TFunction, locale: string, names: AuditNames, row: AuditSentenceRow): string {
  const action = currentAction(row.action)
  const after = record(row.after)
  const values = {
    actor: (row.actorId && names.actors.get(row.actorId)) || row.actorLabel,
    subject: auditSubject(names, row)?.name ?? t('audit:subject.unknown'),
    organisation: row.organisationName ?? t('audit:subject.noOrganisation'),
    validUntil: auditValue(t, locale, 'validUntil', after.validUntil),
    reason: typeof after.reason === 'string' ? after.reason : '',
  }
  if (!action) return t('audit:sentence.unknown', { ...values, action: row.action })
  return t(`audit:sentence.${action}`, values)
}
