// An accountant holds an admin mandate for each of his organisations: Overzicht shows the first
// OWN_MANDATES_SHOWN of his own mandates with a link to Mijn gegevens, which lists them all, a page
// of OWN_MANDATES_PAGE at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OWN_MANDATES_SHOWN } from '../../../src/features/overview/overviewService.ts'
import { OWN_MANDATES_PAGE } from '../../../src/features/self/selfService.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { giveAdminOrganisations } from '../../helpers/adminOrganisations.ts'
import { followPages } from '../../helpers/pages.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

/** The rows of the table under a heading (up to the next h2 or the end of main). */
function rowsUnder(html: string, heading: string): string[] {
  const start = html.indexOf(heading)
  const rest = html.slice(start)
  const end = rest.indexOf('<h2', 1)
  const section = end < 0 ? rest : rest.slice(0, end)
  const body = section.slice(section.indexOf('<tbody'), section.indexOf('</tbody>'))
  return body.split('<tr class="utrecht-table__row">').slice(1)
}

describe('Own mandates of a person who holds many', () => {
  it('When a person has fewer than the shown number, then Overzicht lists them all without a link to more', async () => {
    const page = await (await t.loginAs('jan')).get('/overzicht')
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('Al uw machtigingen op Mijn gegevens')
    const mine = await (await t.loginAs('jan')).get('/mijn-gegevens')
    expect(mine.text).not.toContain('rel="next"')
  })

  it('When an accountant holds 60 more admin mandates, then Overzicht shows the first ones and links to Mijn gegevens, whose pages list each mandate once', async () => {
    const db = t.database.db
    await giveAdminOrganisations(db, 'sanne.devries@demo.example', { count: 60, prefix: 'Klant van Sanne', firstKvk: 61000000 })
    const sanne = await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const total = await db.mandate.count({ where: { userId: sanne.id } })
    expect(total).toBeGreaterThan(OWN_MANDATES_PAGE + OWN_MANDATES_SHOWN)
    const agent = await t.loginAs('sanne')

    const overview = await agent.get('/overzicht')
    expect(rowsUnder(overview.text, 'Uw machtigingen')).toHaveLength(OWN_MANDATES_SHOWN)
    expect(overview.text).toContain(`Hierboven staan de eerste ${OWN_MANDATES_SHOWN} van uw machtigingen.`)
    expect(overview.text).toContain('href="/mijn-gegevens#mijn-machtigingen">Al uw machtigingen op Mijn gegevens</a>')

    const { seen, pages } = await followPages(agent, '/mijn-gegevens', (html, page) => {
      const rows = rowsUnder(html, 'id="mijn-machtigingen"')
      expect(rows.length).toBeLessThanOrEqual(OWN_MANDATES_PAGE)
      expect(html).toContain(`Mijn machtigingen, pagina ${page}`)
      if (page > 1) expect(html).toMatch(/rel="prev" href="\/mijn-gegevens[^"]*#mijn-machtigingen"/)
      return rows
    })
    expect(pages).toBe(Math.ceil(total / OWN_MANDATES_PAGE))
    expect(seen).toHaveLength(total)
    for (let i = 1; i <= 60; i++) expect(seen.filter((row) => row.includes(`Klant van Sanne ${String(i).padStart(2, '0')} B.V.`))).toHaveLength(1)
  })

  it('When the page number is nonsense, then Mijn gegevens shows the first page', async () => {
    const agent = await t.loginAs('sanne')
    for (const pagina of ['abc', '-1', '0', '1e9']) {
      const page = await agent.get(`/mijn-gegevens?pagina=${pagina}`)
      expect(page.status).toBe(200)
      expect(page.text).toContain('Mijn machtigingen, pagina 1')
    }
  })
})
