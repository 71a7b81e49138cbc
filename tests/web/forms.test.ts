// A form's messages (src/web/forms.ts): a schema's message that is a catalogue key is said in the
// user's language next to its field; zod's own messages become one generic Dutch text.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { translator } from '../../src/i18n/index.ts'
import { parseForm } from '../../src/web/forms.ts'

const localesDir = path.resolve(import.meta.dirname, '../../src/i18n/locales')
const t = translator('nl')

/** Every namespace's error keys ("apiClients:errors.name"), as the schemas name them. */
function errorKeys(): string[] {
  return readdirSync(path.join(localesDir, 'nl'))
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => {
      const ns = file.replace(/\.json$/, '')
      const errors = (JSON.parse(readFileSync(path.join(localesDir, 'nl', file), 'utf8')) as { errors?: Record<string, unknown> }).errors ?? {}
      return Object.entries(errors)
        .filter(([, text]) => typeof text === 'string')
        .map(([key]) => `${ns}:errors.${key}`)
    })
}

describe('parseForm', () => {
  it("When a schema's message is a catalogue key of any namespace (also one with capitals, as apiClients), then the field gets that text", () => {
    const keys = errorKeys()
    expect(keys).toContain('apiClients:errors.name')
    for (const key of keys) {
      const parsed = parseForm(z.object({ name: z.string().min(1, key) }), { name: '' }, t)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.errors.fields.name, key).toBe(t(key))
    }
  })

  it("When zod's own message is all there is, then the field gets the generic Dutch text, never zod's English", () => {
    const parsed = parseForm(z.object({ name: z.string() }), { name: 5 }, t)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.errors.fields.name).toBe(t('common:errors.badRequestText'))
  })
})
