// Issue 19 (f): every catalogue text rendered with count 0, 1 and 2 and every other value a name
// ending in "B.V." reads correctly: no "1 rijen"-style agreement, no "B.V..", no placeholder left.
// Relative dates in mails come from the real date.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCALES, translator } from '../../src/i18n/index.ts'
import { relativeFromToday } from '../../src/features/mail/render.ts'

const dir = path.resolve(import.meta.dirname, '../../src/i18n/locales')
const PLURAL = /_(zero|one|two|few|many|other)$/
const PLURAL_NOUNS =
  /\b1 (rijen|gebruikers|middelen|machtigingen|aanvragen|pogingen|dagen|maanden|verzoeken|organisaties|rows|users|authorisations|applications|attempts|days|months|years|requests|organisations)\b/
const NAME = 'Bakkerij De Vries B.V.'

/** Every key of a catalogue (plural forms as their base key) with its text. */
function entries(lang: string): { key: string; text: string }[] {
  const found = new Map<string, string>()
  for (const file of readdirSync(path.join(dir, lang))) {
    const ns = file.replace(/\.json$/, '')
    const walk = (node: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(node)) {
        const key = prefix ? `${prefix}.${k}` : k
        if (v && typeof v === 'object') walk(v as Record<string, unknown>, key)
        else {
          const base = `${ns}:${key.replace(PLURAL, '')}`
          found.set(base, `${found.get(base) ?? ''} ${String(v)}`)
        }
      }
    }
    walk(JSON.parse(readFileSync(path.join(dir, lang, file), 'utf8')) as Record<string, unknown>, '')
  }
  return [...found].map(([key, text]) => ({ key, text }))
}

describe('catalogue texts with counts and names (issue 19)', () => {
  for (const lang of LOCALES) {
    it(`When every ${lang} text is rendered with count 0, 1 and 2 and names ending in "B.V.", then none has "1 rijen" agreement, ".." or a placeholder left`, () => {
      const t = translator(lang)
      const problems: string[] = []
      for (const { key, text } of entries(lang)) {
        const names = [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!)
        if (text.includes('$t(')) continue
        for (const count of [0, 1, 2]) {
          const values: Record<string, string | number> = { count }
          for (const name of names) if (name !== 'count') values[name] = NAME
          const out = String(t(key, values))
          if (PLURAL_NOUNS.test(out)) problems.push(`${key} (${count}): ${out}`)
          if (/[^.]\.\.(?!\.)/.test(out)) problems.push(`${key}: ${out}`)
          if (/\{\{/.test(out)) problems.push(`${key}: ${out}`)
        }
      }
      expect(problems).toEqual([])
    })
  }

  it('When an expiry mail is written 10 days before the end, then it says "over 10 dagen", not "over een maand"', () => {
    const now = new Date('2026-12-02T08:00:00Z')
    const t = translator('nl')
    expect(relativeFromToday(t, new Date('2026-12-12'), now)).toBe('over 10 dagen')
    expect(relativeFromToday(t, new Date('2026-12-03'), now)).toBe('over 1 dag')
    expect(relativeFromToday(t, new Date('2027-01-02'), now)).toBe('over ongeveer een maand')
    expect(relativeFromToday(t, new Date('2027-02-01'), now)).toBe('over ongeveer 2 maanden')
    expect(relativeFromToday(translator('en'), new Date('2026-12-12'), now)).toBe('in 10 days')
  })
})
