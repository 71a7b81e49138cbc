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

/**
 * One translator per language. A page calls t() dozens of times, and i18next resolves each call
 * through namespaces and fallbacks; a plain key (no options) is resolved once and then remembered.
 * Calls with options (interpolation, plurals, returnObjects) go to i18next every time.
 */
export function translator(locale: Locale): TFunction {
  const known = translators.get(locale)
  if (known) return known
  const fixed = getI18n().getFixedT(locale)
  const memo = new Map<string, string>()
  const t = ((key: unknown, ...rest: unknown[]) => {
    if (rest.length > 0 || typeof key !== 'string') return (fixed as unknown as (...args: unknown[]) => unknown)(key, ...rest)
    let text = memo.get(key)
    if (text === undefined) {
      text = fixed(key) as string
      if (memo.size < MEMO_LIMIT) memo.set(key, text)
    }
    return text
  }) as unknown as TFunction
  translators.set(locale, t)
  return t
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}
