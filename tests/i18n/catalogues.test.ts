// Every catalogue namespace has the same keys in Dutch and English, and no text is left empty.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const localesDir = path.resolve(import.meta.dirname, '../../src/i18n/locales')
const LOCALES = ['nl', 'en'] as const

/** Flattens a catalogue into its keys ("list.title"); i18next plural suffixes (_one, _other…) count as one key. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
  }
  return [prefix]
}
const plural = /_(zero|one|two|few|many|other)$/
function normalised(keys: string[]): string[] {
  return [...new Set(keys.map((k) => k.replace(plural, '')))].sort()
}
function load(locale: string, ns: string): unknown {
  return JSON.parse(readFileSync(path.join(localesDir, locale, `${ns}.json`), 'utf8'))
}
function emptyTexts(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => emptyTexts(v, prefix ? `${prefix}.${k}` : k))
  return typeof value === 'string' && value.trim() === '' ? [prefix] : []
}

describe('i18n catalogues', () => {
  const namespaces = (locale: string) =>
    readdirSync(path.join(localesDir, locale))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort()

  it('When the locales are listed, then nl and en have the same namespaces', () => {
    expect(namespaces('en')).toEqual(namespaces('nl'))
    expect(namespaces('nl').length).toBeGreaterThan(0)
  })

  for (const ns of namespaces('nl')) {
    it(`When the "${ns}" catalogues are compared, then nl and en have the same keys and no empty texts`, () => {
      const [nl, en] = LOCALES.map((l) => load(l, ns))
      const nlKeys = normalised(keysOf(nl))
      const enKeys = normalised(keysOf(en))
      expect({ missingInEn: nlKeys.filter((k) => !enKeys.includes(k)), missingInNl: enKeys.filter((k) => !nlKeys.includes(k)) }).toEqual({
        missingInEn: [],
        missingInNl: [],
      })
      expect([...emptyTexts(nl), ...emptyTexts(en)]).toEqual([])
    })
  }
})
