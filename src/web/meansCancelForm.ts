// The opzeggen form (Gebruikers → a user's means, and Mijn gegevens → own means): "when" is 'today'
// or 'date', with the date typed as 2027-03-01 or 01-03-2027. Shared by both features' handlers.
import { isoDate, parseIsoDate, todayUtc } from '../domain/dates.ts'
import { levelLabel } from '../domain/levels.ts'
import { formText, type FormErrors } from './forms.ts'

/** The chosen end date as YYYY-MM-DD, or the catalogue key of what is wrong with the input (field 'date' or 'when'). */
export function cancelDateFrom(body: unknown, now = new Date()): { date: string } | { field: 'when' | 'date'; messageKey: string } {
  const when = formText(body, 'when')
  if (when === 'today') return { date: isoDate(todayUtc(now)) }
  if (when !== 'date') return { field: 'when', messageKey: 'users:means.errors.when' }
  const text = formText(body, 'date').trim()
  const dutch = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(text)
  const iso = dutch ? `${dutch[3]}-${dutch[2]!.padStart(2, '0')}-${dutch[1]!.padStart(2, '0')}` : text
  const date = parseIsoDate(iso)
  return date ? { date: isoDate(date) } : { field: 'date', messageKey: 'users:means.errors.date' }
}

/** What a refused post shows again on the means action page: the messages and the typed values. */
export type MeansFormState = { errors?: FormErrors; values?: Record<string, unknown> }

/** The locals of the means action page (pages/users/means-action) that both features fill the same way. */
export function meansActionLocals<V>(view: V, action: string, backHref: string, state: MeansFormState) {
  return {
    view,
    levelLabel,
    action,
    backHref,
    today: isoDate(todayUtc()),
    values: { when: 'today', ...state.values },
    ...(state.errors ? { errors: state.errors } : {}),
  }
}
