// Message catalogues: src/i18n/locales/<lng>/<namespace>.json, one namespace per feature.
// Dutch is the default, English the second language.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import i18next, { type i18n, type TFunction } from 'i18next'

export const LOCALES = ['nl', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'nl'

const localesDir = path.join(import.meta.dirname, 'locales')

function loadResources() {
  const resources: Record<string, Record<string, unknown>> = {}
  const namespaces = new Set<string>()
  for (const lng of LOCALES) {
    resources[lng] = {}
    for (const file of readdirSync(path.join(localesDir, lng)).filter((f) => f.endsWith('.json'))) {
      const ns = file.replace(/\.json$/, '')
      namespaces.add(ns)
      resources[lng][ns] = JSON.parse(readFileSync(path.join(localesDir, lng, file), 'utf8'))
    }
  }
  return { resources, namespaces: [...namespaces] }
}

let instance: i18n | undefined

export function getI18n(): i18n {
  if (instance) return instance
  const { resources, namespaces } = loadResources()
  instance = i18next.createInstance()
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    ns: namespaces,
    defaultNS: 'common',
    fallbackNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0])
  return instance
}

const translators = new Map<Locale, TFunction>()
/** How many distinct plain keys one language keeps translated (the catalogues hold fewer). */
const MEMO_LIMIT = 10_000
/** Options that change which text i18next picks or how: such calls always go to i18next. */
const I18NEXT_OPTIONS = new Set([
  'count',
  'context',
  'defaultValue',
  'ns',
  'lng',
  'lngs',
  'fallbackLng',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'ordinal',
  'keyPrefix',
  'replace',
])
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g
/** A value ending in an abbreviation ("… B.V.") before the text's own full stop: one stop, not "B.V..". */
const DOUBLE_STOP = /(\b(?:[A-Za-z]\.){1,4})\.(?!\.)/g

/** The text with its filled-in values tidied (no double full stop after an abbreviation). */
function tidy<T>(text: T): T {
  return (typeof text === 'string' && text.includes('..') ? text.replace(DOUBLE_STOP, '$1') : text) as T
}
const PLAIN_NAME = /^\s*[\w.]+\s*$/

/** A text this translator can fill in itself: a string that neither nests ($t) nor formats a placeholder. */
function fillable(raw: unknown): raw is string {
  return typeof raw === 'string' && !raw.includes('$t(') && [...raw.matchAll(PLACEHOLDER)].every((m) => PLAIN_NAME.test(m[1]!))
}
/** What a look-up returns for a key the catalogue lacks (no catalogue text is this). */
const MISSING = '\u0000missing'

/** Options that are only a plain default text: { defaultValue: 'active' }. */
function onlyDefaultValue(options: unknown): options is { defaultValue: string } {
  if (!options || typeof options !== 'object') return false
  const keys = Object.keys(options)
  return keys.length === 1 && keys[0] === 'defaultValue' && typeof (options as { defaultValue: unknown }).defaultValue === 'string'
}

/** Values only (strings and numbers), none of i18next's own options (but `count`, when `withCount`). */
function plainValues(options: unknown, withCount = false): options is Record<string, string | number> {
  if (!options || typeof options !== 'object' || Array.isArray(options)) return false
  for (const [name, value] of Object.entries(options)) {
    if ((I18NEXT_OPTIONS.has(name) && !(withCount && name === 'count')) || (typeof value !== 'string' && typeof value !== 'number')) return false
  }
  return true
}

/** A plain count with plain values: { count: 3, name: 'Anna' }. */
function countedValues(options: unknown): options is Record<string, string | number> & { count: number } {
  return plainValues(options, true) && typeof (options as { count?: unknown }).count === 'number' && Number.isFinite((options as { count: number }).count)
}

/**
 * One translator per language. A page calls t() dozens of times, and i18next resolves each call
 * through namespaces, fallbacks, nesting and interpolation (tens of microseconds each). So:
 * - a plain key (no options) is resolved once and then remembered;
 * - a key with plain values ({ name: 'Anna' }) resolves its text once, uninterpolated, and fills
 *   in {{name}} itself (escapeValue is off, as for i18next here), unless the text nests ($t) or
 *   formats ({{value, format}}) or a placeholder has no value;
 * - a plural key with a plain count (and plain values) resolves its text once per plural category
 *   (and once for 0, which may have its own text) and fills it in the same way;
 * - a key with only a plain defaultValue (a status or level code shown through the catalogue, as
 *   Logboek does for every field of every row) is looked up once: its text when the catalogue has
 *   one without placeholders, else the default itself;
 * - everything else (context, ordinal, returnObjects, …) goes to i18next every time.
 */
export function translator(locale: Locale): TFunction {
  const known = translators.get(locale)
  if (known) return known
  const fixed = getI18n().getFixedT(locale) as unknown as (...args: unknown[]) => unknown
  const memo = new Map<string, string>()
  /** Uninterpolated texts; null when the text needs i18next (nesting, formats). */
  const templates = new Map<string, string | null>()
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size < MEMO_LIMIT) map.set(key, value)
    return value
  }
  const template = (key: string): string | null => {
    let text = templates.get(key)
    if (text === undefined) {
      const raw = fixed(key, { skipInterpolation: true })
      text = remember(templates, key, fillable(raw) ? raw : null)
    }
    return text
  }
  /** A key's catalogue text when it needs nothing filled in, MISSING when the catalogue lacks the key, else null. */
  const found = new Map<string, string | null>()
  const lookUp = (key: string): string | null => {
    let text = found.get(key)
    if (text === undefined) {
      const raw = fixed(key, { defaultValue: MISSING })
      text = remember(found, key, raw === MISSING || (typeof raw === 'string' && !raw.includes('{{') && !raw.includes('$t(')) ? raw : null)
    }
    return text
  }
  /**
   * The uninterpolated text of a plural key for a count: i18next picks key_<category> (Intl's plural
   * rules for the language) and, for 0, key_zero when there is one; so the text only depends on the
   * category and on whether the count is 0. Null when it needs i18next.
   */
  const rules = new Intl.PluralRules(locale)
  const plurals = new Map<string, string | null>()
  const pluralTemplate = (key: string, count: number): string | null => {
    const memoKey = `${key}\u0000${count === 0 ? 'zero' : rules.select(count)}`
    let text = plurals.get(memoKey)
    if (text === undefined) {
      const raw = fixed(key, { count, skipInterpolation: true })
      text = remember(plurals, memoKey, fillable(raw) ? raw : null)
    }
    return text
  }
  const fill = (text: string, values: Record<string, string | number>): string | null => {
    let missing = false
    const filled = text.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[name.trim()]
      if (value === undefined) missing = true
      return String(value)
    })
    return missing ? null : tidy(filled)
  }
  const t = ((key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string') return fixed(key, ...rest)
    if (rest.length === 0) return memo.get(key) ?? remember(memo, key, fixed(key) as string)
    const values = rest[0]
    if (rest.length === 1 && onlyDefaultValue(values)) {
      const text = lookUp(key)
      if (text === MISSING) {
        if (!values.defaultValue.includes('{{')) return values.defaultValue
      } else if (text !== null) return text
    }
    if (rest.length === 1 && plainValues(values)) {
      const text = template(key)
      const filled = text === null ? null : fill(text, values)
      if (filled !== null) return filled
    } else if (rest.length === 1 && countedValues(values)) {
      const text = pluralTemplate(key, values.count)
      const filled = text === null ? null : fill(text, values)
      if (filled !== null) return filled
    }
    return tidy(fixed(key, ...rest))
  }) as unknown as TFunction
  translators.set(locale, t)
  return t
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}
