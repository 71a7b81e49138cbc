import { describe, expect, it } from 'vitest'
import { getI18n, translator } from '../../src/i18n/index.ts'

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

  it('When the same language is asked for again, then the same translator is returned', () => {
    expect(translator('nl')).toBe(translator('nl'))
  })
})
