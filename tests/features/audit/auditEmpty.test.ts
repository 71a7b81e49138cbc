// Logboek with nothing to show: without a filter it says nothing has been logged yet; with one, that
// nothing matches the filters. The demo's admin starts with an empty Logboek (his own sign-ins are
// personal entries, which only the back office sees).
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

describe('Logboek when it has nothing to show', () => {
  it('When an admin opens an empty Logboek, then it says nothing has been logged yet; with a filter chosen, that nothing matches the filters', async () => {
    const agent = await t.loginAs('sanne')
    const page = cheerio.load((await agent.get(links.auditLog())).text)
    expect(page('tbody tr')).toHaveLength(0)
    expect(page('main').text()).toContain('Er is nog niets vastgelegd in het logboek.')
    expect(page('main').text()).not.toContain('Er zijn geen regels die aan de filters voldoen.')

    const action = page('select[name="actie"] option')
      .toArray()
      .map((o) => page(o).attr('value'))
      .find(Boolean)!
    const filtered = await submitForm(agent, links.auditLog(), (f) => f.find('select[name="actie"]').length > 0, { actie: action })
    expect(filtered.status).toBe(200)
    expect(filtered.text).toContain('Er zijn geen regels die aan de filters voldoen.')
    expect(filtered.text).not.toContain('Er is nog niets vastgelegd in het logboek.')
  })

  it("When the back office opens Logboek, then it lists the sign-ins the admin's Logboek does not show", async () => {
    await t.loginAs('sanne')
    const agent = await t.loginAs('backoffice')
    // The sign-in option as the back office's page offers it.
    const form = cheerio.load((await agent.get(links.auditLog())).text)
    const login = form('select[name="actie"] option')
      .toArray()
      .find((o) => form(o).text().trim() === 'Ingelogd')
    expect(login).toBeDefined()
    const response = await submitForm(agent, links.auditLog(), (f) => f.find('select[name="actie"]').length > 0, { actie: form(login).attr('value') ?? '' })
    const $ = cheerio.load(response.text)
    expect($('tbody tr').length).toBeGreaterThan(0)
    expect($('tbody').text()).toContain('Sanne de Vries is ingelogd')
  })
})
