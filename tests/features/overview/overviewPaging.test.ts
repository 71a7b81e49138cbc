// Overzicht for an admin of many organisations (an accountant): 20 cards a page, a search on name or
// KvK number, pages to browse; an admin of a few sees them all without a search. Odd input is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORGANISATIONS_PER_PAGE } from '../../../src/features/overview/overviewService.ts'
import { links } from '../../../src/paths.ts'
import { ACCOUNTS, createTestApp, type TestApp } from '../../helpers/app.ts'
import { giveAdminOrganisations } from '../../helpers/adminOrganisations.ts'

let t: TestApp
const EXTRA = 45

beforeAll(async () => {
  t = await createTestApp()
  await giveAdminOrganisations(t.database.db, ACCOUNTS.johan.email, { count: EXTRA, prefix: 'Klant', firstKvk: 91000000 })
}, 120_000)

afterAll(async () => {
  await t?.close()
})

const cards = (html: string) => [...html.matchAll(/<section class="bm-card" aria-labelledby="org-([0-9a-f-]+)">/g)].map((m) => m[1]!)
const nextHref = (html: string) => /<a [^>]*rel="next" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&')

describe('Overzicht with many organisations', () => {
  it('When an admin of many organisations opens Overzicht, then he sees 20 cards, a search, and pages that together hold each organisation once', async () => {
    const agent = await t.loginAs('johan')
    let page = await agent.get(links.overview())
    expect(page.status).toBe(200)
    expect(page.text).toContain('Zoek een organisatie (naam of KvK-nummer)')
    expect(page.text).toContain('Pagina 1 van 3')
    const seen = cards(page.text)
    expect(seen).toHaveLength(ORGANISATIONS_PER_PAGE)
    for (let next = nextHref(page.text); next; next = nextHref(page.text)) {
      page = await agent.get(next)
      expect(page.status).toBe(200)
      seen.push(...cards(page.text))
    }
    const principal = (await t.services.authService.loadPrincipal(
      (await t.database.db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.johan.email } })).id,
    ))!
    expect(seen).toEqual(principal.adminOrganisations.map((o) => o.id))
  })

  it('When he searches by KvK number or part of a name, then only those organisations are shown, with a count; a search without result says so', async () => {
    const agent = await t.loginAs('johan')
    const byKvk = await agent.get(links.overview({ q: '91000007' }))
    expect(cards(byKvk.text)).toHaveLength(1)
    expect(byKvk.text).toContain('Klant 07 B.V.')
    expect(byKvk.text).toMatch(/1 van uw \d+ organisaties gevonden/)
    const byName = await agent.get(links.overview({ q: 'klant 1' }))
    expect(cards(byName.text)).toHaveLength(10) // Klant 10 … Klant 19
    const none = await agent.get(links.overview({ q: '<script>' }))
    expect(none.status).toBe(200)
    expect(cards(none.text)).toHaveLength(0)
    expect(none.text).toContain('Geen van uw organisaties heeft “&lt;script&gt;”')
  })

  it('When the page number or search is odd, then the page still answers with the nearest page', async () => {
    const agent = await t.loginAs('johan')
    for (const query of ['pagina=abc', 'pagina=0', 'pagina=99999', 'q=a&q=b', `q=${'x'.repeat(500)}`]) {
      const page = await agent.get(`${links.overview()}?${query}`)
      expect(page.status, query).toBe(200)
    }
    expect((await agent.get(`${links.overview()}?pagina=99999`)).text).toContain('Pagina 3 van 3')
  })

  it('When an admin of a few organisations opens Overzicht, then he sees all of them and no search', async () => {
    const agent = await t.loginAs('sanne')
    const page = await agent.get(links.overview())
    expect(cards(page.text).length).toBeGreaterThan(0)
    expect(page.text).not.toContain('Zoek een organisatie')
    expect(page.text).not.toContain('rel="next"')
  })
})
