// The "Organisatie" field of a filter for an admin of many organisations. Up to
// ORGANISATION_SELECT_MAX it is a select of names (views/partials/organisation-choice.ejs); above it
// a search field that takes a name, part of one or a KvK number, matched here against the admin's own
// organisations only, so no other organisation is ever matched or named. An accountant of 500
// organisations gets a field to type in instead of a list of 500 names on every page.
import { UUID_PATTERN } from '../domain/ids.ts'

/** The most organisations a select lists; more, and the field is a search field. */
export const ORGANISATION_SELECT_MAX = 30
/** How many of several matching organisations the message names. */
export const NAMED_MATCHES = 5
/** How much of the typed text a message repeats. */
const SHOWN_TEXT = 60

type Organisation = { id: string; name: string; kvkNumber: string }

export type OrganisationChoice =
  /** The field is empty: every organisation. */
  | { kind: 'all' }
  /** An id (a select, a link, a hidden field) or a text that fits one organisation. The caller checks an id is the admin's. */
  | { kind: 'one'; id: string }
  /** A text that fits none of the admin's organisations. */
  | { kind: 'unknown'; text: string }
  /** A text that fits several: the first NAMED_MATCHES by name, and how many. */
  | { kind: 'several'; text: string; matches: Organisation[]; total: number }

const KVK = /^\d{8}$/
/** The search field's own text for a chosen organisation: "Name (KvK 12345678)". */
const WITH_KVK = /\(\s*(?:kvk\s*)?(\d{8})\s*\)\s*$/i

const fold = (text: string) => text.normalize('NFKC').toLocaleLowerCase('nl').replace(/\s+/g, ' ').trim()

/** What the search field shows for a chosen organisation; read back by chooseOrganisation. */
export function organisationChoiceText(organisation: Organisation): string {
  return `${organisation.name} (KvK ${organisation.kvkNumber})`
}

/** What a filter's `raw` value asks for: nothing, an id, a KvK number, or (part of) a name, folded. */
export type OrganisationWanted = { kind: 'all' } | { kind: 'id'; id: string } | { kind: 'kvk'; kvk: string } | { kind: 'name'; name: string; digits: boolean }

export function wantedOrganisation(raw: unknown): OrganisationWanted {
  const text = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : ''
  if (!text) return { kind: 'all' }
  if (UUID_PATTERN.test(text)) return { kind: 'id', id: text.toLowerCase() }
  const kvk = WITH_KVK.exec(text)?.[1] ?? (KVK.test(text.replace(/\s/g, '')) ? text.replace(/\s/g, '') : null)
  if (kvk) return { kind: 'kvk', kvk }
  const name = fold(text)
  return { kind: 'name', name, digits: /^\d+$/.test(name) }
}

/**
 * The organisation a filter's `raw` value means, among `organisations` (the admin's, or the back
 * office's candidates): an exact name before a part of one, and a start of a KvK number.
 */
export function chooseOrganisation(organisations: readonly Organisation[], raw: unknown): OrganisationChoice {
  const wanted = wantedOrganisation(raw)
  if (wanted.kind === 'all') return { kind: 'all' }
  if (wanted.kind === 'id') return { kind: 'one', id: wanted.id }
  // The message repeats what was typed: at most SHOWN_TEXT characters of it (a form's field has no length limit of its own).
  const typed = String(raw).replace(/\s+/g, ' ').trim()
  const text = typed.length > SHOWN_TEXT ? `${typed.slice(0, SHOWN_TEXT)}…` : typed
  if (wanted.kind === 'kvk') {
    const found = organisations.find((o) => o.kvkNumber === wanted.kvk)
    return found ? { kind: 'one', id: found.id } : { kind: 'unknown', text }
  }
  const same = organisations.filter((o) => fold(o.name) === wanted.name)
  const matches =
    same.length > 0 ? same : organisations.filter((o) => fold(o.name).includes(wanted.name) || (wanted.digits && o.kvkNumber.startsWith(wanted.name)))
  if (matches.length === 0) return { kind: 'unknown', text }
  if (matches.length === 1) return { kind: 'one', id: matches[0]!.id }
  return { kind: 'several', text, matches: matches.slice(0, NAMED_MATCHES), total: matches.length }
}

/** The field's message for a choice that is not one organisation (a catalogue text), or null. */
export function organisationChoiceMessage(choice: OrganisationChoice, t: (key: string, options?: Record<string, unknown>) => string): string | null {
  if (choice.kind === 'unknown') return t('common:organisationChoice.unknown', { text: choice.text })
  if (choice.kind === 'several')
    return t('common:organisationChoice.several', {
      text: choice.text,
      count: choice.total,
      names: choice.matches.map((o) => organisationChoiceText(o)).join('; '),
    })
  return null
}

/**
 * A GET filter's "Organisatie" (`raw`, as the query has it) among `organisations`: the chosen
 * organisation's id (undefined for all, or for a text that fits none or several) and the field's
 * message in those last two cases. The caller checks that an id is the admin's.
 */
export function organisationFilter(
  organisations: readonly Organisation[],
  raw: unknown,
  t: (key: string, options?: Record<string, unknown>) => string,
): { id: string | undefined; message: string | null } {
  const choice = chooseOrganisation(organisations, raw)
  return { id: choice.kind === 'one' ? choice.id : undefined, message: organisationChoiceMessage(choice, t) }
}

/**
 * A posted form's organisation field (`name`) resolved among the admin's `organisations`: the body
 * with the organisation's id in place of a fitting name or KvK number, and the field's message when
 * the text fits none or several (null otherwise; an empty field is left to the form's own schema).
 */
export function resolveOrganisationField(
  organisations: readonly Organisation[],
  body: unknown,
  name: string,
  t: (key: string, options?: Record<string, unknown>) => string,
): { body: unknown; message: string | null } {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  const choice = chooseOrganisation(organisations, typeof fields[name] === 'string' ? fields[name] : undefined)
  return { body: choice.kind === 'one' ? { ...fields, [name]: choice.id } : body, message: organisationChoiceMessage(choice, t) }
}
