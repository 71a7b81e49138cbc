// Issue 19: a guide names the buttons and menu items as the page in its language shows them. The
// English guides said "Beheer", "Machtigingen" and "Gebruikers" (Dutch) and labels the pages do not
// have ("Waiting for link"); every quoted label in a guide must be a text of that language's catalogues.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const LOCALES = path.resolve(import.meta.dirname, '../../src/i18n/locales')

function texts(lang: string): string[] {
  const out: string[] = []
  const walk = (value: unknown) => {
    if (typeof value === 'string') out.push(value)
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  for (const file of readdirSync(path.join(LOCALES, lang))) walk(JSON.parse(readFileSync(path.join(LOCALES, lang, file), 'utf8')))
  return out
}

/** A catalogue text as a pattern: its placeholders match anything. */
const asPattern = (text: string) => new RegExp(`^${text.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\{\s*\w+\s*\}\}/g, '.*')}$`)

describe('help guides name what the pages show (issue 19)', () => {
  for (const lang of ['nl', 'en']) {
    it(`When a ${lang} guide quotes a button or menu item, then that text is a ${lang} interface text`, () => {
      const help = readFileSync(path.join(LOCALES, lang, 'help.json'), 'utf8')
      const all = texts(lang)
      const patterns = all.map(asPattern)
      // A mail subject is quoted without its variable tail ("Activeer uw account" for "… voor {{brand}}").
      const subjectStart = (label: string) => all.some((text) => text.startsWith(`${label} `) && text.slice(label.length).includes('{{'))
      const quoted = [...new Set([...help.matchAll(/\\"([A-Z][^"\\]+)\\"/g)].map((m) => m[1]!))]
      const unknown = quoted.filter((label) => !patterns.some((p) => p.test(label) || p.test(`${label} (1)`)) && !subjectStart(label))
      expect(unknown).toEqual([])
    })
  }
})
