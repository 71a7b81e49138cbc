// Pages are sent without the templates' indentation (HTML_TEMPLATE_OPTIONS in src/web/views.ts):
// a long list page stays under the 65,536 characters at which V8 pays to flatten it, while what a
// user typed or a record holds keeps every space and line break.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { noErrors } from '../../src/web/forms.ts'
import { partialRenderer, strictRenderer } from '../../src/web/views.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

const indented = (html: string) => html.split('\n').filter((line) => /^[ \t]/.test(line))

describe('Pages without indentation', () => {
  it('When an admin opens Overzicht, Machtigingen, Gebruikers or Logboek, then no line of the page is indented', async () => {
    const agent = await t.loginAs('sanne')
    for (const path of [links.overview(), links.mandates(), links.users(), links.auditLog()]) {
      const page = await agent.get(path)
      expect(page.status, path).toBe(200)
      expect(indented(page.text), path).toEqual([])
    }
  })

  it('When a textarea shows what was typed, then its spaces and line breaks are kept as typed', () => {
    const typed = '  Eerste regel\n\n    ingesprongen regel  \n'
    const render = partialRenderer(strictRenderer(true), { t: (key: string) => key, locale: 'nl', errors: noErrors(), values: { reason: typed } })
    const html = render('/partials/textarea', { name: 'reason', label: 'Reden' })
    expect(html).toContain(`>${typed}</textarea>`)
    expect(indented(html.replace(typed, ''))).toEqual([])
  })
})
