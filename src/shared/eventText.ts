// An audit entry in words, for the history of a mandate and the events on a user's page: what
// happened (the action's catalogue text, with the dates it carries), who did it (the person, or "the
// daily check" for the scan) and why (after.reason, or what the action implies). The one function
// that turns audit entries into sentences; texts in the audit catalogue (audit:events, audit:reasons).
import type { TFunction } from 'i18next'

export type EventSource = {
  at: Date
  action: string
  actorLabel: string
  actorName?: string | null
  after?: unknown
  before?: unknown
}

export type EventText = { at: Date; what: string; who: string; why: string }

function field(value: unknown, name: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined
  const v = (value as Record<string, unknown>)[name]
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}

/** `formatDate` formats a stored date; unknown actions keep their code, so nothing is ever hidden. */
export function describeEvent(e: EventSource, t: TFunction, formatDate: (value: string) => string): EventText {
  const until = field(e.after, 'validUntil') ?? field(e.after, 'endsOn')
  const what = t(`audit:events.${e.action}`, { defaultValue: e.action, date: until ? formatDate(until) : '' })
  const system = !e.actorName && e.actorLabel.startsWith('systeem')
  const who = system ? t('audit:who.system') : e.actorName ? `${e.actorName} (${e.actorLabel})` : e.actorLabel
  const reason =
    field(e.after, 'reason') ?? (field(e.after, 'bulk') === 'true' ? 'bulk' : field(e.after, 'via') === 'renewal-link' ? 'renewal_link' : undefined)
  const why = reason ? t(`audit:reasons.${reason}`, { defaultValue: reason }) : t(`audit:reasons.default.${e.action}`, { defaultValue: '' })
  return { at: e.at, what, who, why }
}
