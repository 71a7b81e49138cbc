import { describe, expect, it } from 'vitest'
import { getI18n, LOCALES, translator } from '../../src/i18n/index.ts'

/** Every catalogue text with {{placeholders}}, as [namespaced key, placeholder names]. */
function textsWithPlaceholders(locale: string): [string, string[]][] {
  const found: [string, string[]][] = []
  const bundle = getI18n().store.data[locale] as Record<string, Record<string, unknown>>
  const walk = (ns: string, prefix: string, node: unknown) => {
    if (typeof node === 'string') {
      const names = [...node.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!.trim())
      if (names.length) found.push([`${ns}:${prefix}`, names])
    } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(ns, prefix ? `${prefix}.${k}` : k, v)
  }
  for (const [ns, tree] of Object.entries(bundle)) walk(ns, '', tree)
  return found
}

describe('translator', () => {
  it('When a plain key is translated twice, then both answers equal what i18next gives, per language', () => {
    const nl = translator('nl')
    const en = translator('en')
    expect(nl('common:nav.mandates')).toBe(getI18n().getFixedT('nl')('common:nav.mandates'))
    expect(nl('common:nav.mandates')).toBe('Machtigingen')
    expect(en('common:nav.mandates')).toBe(getI18n().getFixedT('en')('common:nav.mandates'))
    expect(en('common:nav.mandates')).not.toBe(nl('common:nav.mandates'))
  })

  it('When a key is translated with options, then they are applied every time (not remembered)', () => {
    const nl = translator('nl')
    expect(nl('common:loggedInAs', { name: 'Anna' })).toContain('Anna')
    expect(nl('common:loggedInAs', { name: 'Bram' })).toContain('Bram')
  })

  it('When any catalogue text is filled with plain values, then the result equals what i18next gives', () => {
    for (const locale of LOCALES) {
      const t = translator(locale)
      const i18next = getI18n().getFixedT(locale)
      const texts = textsWithPlaceholders(locale).filter(([key]) => !/_(one|other|zero)$/.test(key))
      expect(texts.length).toBeGreaterThan(50)
      for (const [key, names] of texts) {
        const values = Object.fromEntries(names.map((name, i) => [name, i % 2 ? `<${name} & co>` : 7 + i]))
        expect(t(key, values), key).toBe(i18next(key, values))
        expect(t(key, values), key).toBe(i18next(key, values)) // the remembered text, filled again
      }
    }
  })

  it('When a call needs i18next (plural count, a missing value, a missing key), then i18next answers it', () => {
    const nl = translator('nl')
    const i18next = getI18n().getFixedT('nl')
    const plural = textsWithPlaceholders('nl')
      .find(([key]) => key.endsWith('_one'))![0]
      .replace(/_one$/, '')
    expect(nl(plural, { count: 1 })).toBe(i18next(plural, { count: 1 }))
    expect(nl(plural, { count: 5 })).toBe(i18next(plural, { count: 5 }))
    expect(nl('common:loggedInAs', {})).toBe(i18next('common:loggedInAs', {}))
    expect(nl('common:doesNotExist', { name: 'x' })).toBe(i18next('common:doesNotExist', { name: 'x' }))
  })

  it('When any plural text is filled with a count (and plain values), then the result equals what i18next gives, for every count category and 0', () => {
    for (const locale of LOCALES) {
      const t = translator(locale)
      const i18next = getI18n().getFixedT(locale)
      const plurals = new Map<string, Set<string>>()
      for (const [key, names] of textsWithPlaceholders(locale)) {
        const base = key.replace(/_(one|other|zero)$/, '')
        if (base !== key) plurals.set(base, new Set([...(plurals.get(base) ?? []), ...names]))
      }
      // Texts with {{count}} but no plural forms, and a key the catalogue lacks.
      plurals.set('common:doesNotExist', new Set(['count']))
      expect(plurals.size).toBeGreaterThan(10)
      for (const [key, names] of plurals) {
        for (const count of [0, 1, 2, 5, 21, 1000, 1.5, -1, 0, 1]) {
          const values = { ...Object.fromEntries([...names].filter((n) => n !== 'count').map((n) => [n, `<${n}>`])), count }
          expect(t(key, values), `${locale} ${key} ${count}`).toBe(i18next(key, values))
        }
        expect(t(key, { count: 3 }), `${locale} ${key} without its values`).toBe(i18next(key, { count: 3 }))
      }
    }
  })

  it('When a key is translated with only a defaultValue, then the answer equals what i18next gives, for every catalogue key and for missing ones', () => {
    for (const locale of LOCALES) {
      const t = translator(locale)
      const i18next = getI18n().getFixedT(locale)
      const keys: string[] = []
      const bundle = getI18n().store.data[locale] as Record<string, Record<string, unknown>>
      const walk = (ns: string, prefix: string, node: unknown) => {
        if (typeof node === 'string') keys.push(`${ns}:${prefix}`)
        else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(ns, prefix ? `${prefix}.${k}` : k, v)
      }
      for (const [ns, tree] of Object.entries(bundle)) walk(ns, '', tree)
      expect(keys.length).toBeGreaterThan(500)
      // The codes Logboek shows through the catalogue (audit:value.status.<code>), and ones it lacks.
      keys.push('audit:value.status.active', 'audit:value.status.noSuchStatus', 'common:levels.EH9', 'audit:value', 'common:doesNotExist')
      for (const key of keys) {
        for (const defaultValue of ['suspended', 'a {{name}} default']) {
          expect(t(key, { defaultValue }), key).toBe(i18next(key, { defaultValue }))
          expect(t(key, { defaultValue }), key).toBe(i18next(key, { defaultValue })) // remembered
        }
      }
    }
  })

  it('When the same language is asked for again, then the same translator is returned', () => {
    expect(translator('nl')).toBe(translator('nl'))
  })
})
