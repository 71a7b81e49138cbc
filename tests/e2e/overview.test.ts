// Overzicht for an accountant (many organisations), in Chromium: 20 cards a page, the search on name or
// KvK number by its label, the pages by their links; axe (WCAG 2.2 AA) on each state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { giveAdminOrganisations } from '../helpers/adminOrganisations.ts'
import { ACCOUNTS } from '../helpers/app.ts'
import { links } from '../../src/paths.ts'
import { checkPage, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
let context: BrowserContext
let page: Page

beforeAll(async () => {
  e2e = await startE2e()
  await giveAdminOrganisations(e2e.t.database.db, ACCOUNTS.johan.email, { count: 30, prefix: 'Cliënt', firstKvk: 92000000 })
  ;({ context, page } = await signedIn(e2e, 'johan'))
})

afterAll(async () => {
  await context?.close()
  await e2e?.close()
})

describe('Overzicht of an accountant', () => {
  it('When an admin of many organisations searches and pages Overzicht, then he finds each organisation, and every state passes axe', async () => {
    await page.goto(e2e.baseUrl + links.overview())
    expect(await page.locator('section.bm-card').count()).toBe(20)
    await checkPage(page)
    await page.getByRole('link', { name: 'Volgende' }).click()
    await page.waitForURL(/pagina=2/)
    expect(await page.getByText(/Pagina 2 van \d/).count()).toBe(1)
    await checkPage(page)
    await page.getByLabel('Zoek een organisatie (naam of KvK-nummer)').fill('92000017')
    await page.getByRole('button', { name: 'Zoeken' }).click()
    await page.waitForURL(/q=92000017/)
    expect(await page.locator('section.bm-card').count()).toBe(1)
    expect(await page.getByRole('heading', { name: 'Cliënt 17 B.V.' }).count()).toBe(1)
    expect(await page.getByRole('status').filter({ hasText: 'van uw' }).innerText()).toMatch(/^1 van uw \d+ organisaties gevonden/)
    await checkPage(page)
  })

  it('When he holds more own mandates than Overzicht shows, then its link leads to Mijn gegevens, whose pages list them; Aanvragen and Verzoeken page too; every state passes axe', async () => {
    const db = e2e.t.database.db
    await giveAdminOrganisations(db, ACCOUNTS.johan.email, { count: 30, prefix: 'Relatie', firstKvk: 93000000 })
    const johan = await db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.johan.email } })
    const relatie = await db.organisation.findFirstOrThrow({ where: { name: 'Relatie 01 B.V.' } })
    for (let n = 0; n < 30; n++) {
      await db.application.create({
        data: { organisationId: relatie.id, type: 'mandates', status: 'issued', level: 'EH3', termYears: 1, requestedById: johan.id },
      })
    }
    await page.goto(e2e.baseUrl + links.overview())
    await page.getByRole('link', { name: 'Al uw machtigingen op Mijn gegevens' }).click()
    await page.waitForURL(/\/mijn-gegevens#mijn-machtigingen$/)
    expect(await page.getByText('Mijn machtigingen, pagina 1').count()).toBe(1)
    await checkPage(page)
    await page.getByRole('link', { name: 'Volgende pagina' }).click()
    await page.waitForURL(/pagina=2#mijn-machtigingen$/)
    expect(await page.getByText('Mijn machtigingen, pagina 2').count()).toBe(1)
    await checkPage(page)

    await page.goto(e2e.baseUrl + links.applications())
    await page.getByRole('link', { name: 'Volgende pagina' }).click()
    await page.waitForURL(/na=/)
    await checkPage(page)
    await page.getByRole('link', { name: 'Eerste pagina' }).click()
    await page.waitForURL((url) => !url.search.includes('na='))
    await checkPage(page)

    for (let n = 0; n < 30; n++) {
      await db.linkRequest.create({
        data: { email: `relatie-${n}@elders.example`, organisationId: relatie.id, requestedById: johan.id, expiresAt: new Date(Date.now() + 30 * 86400000) },
      })
    }
    await page.goto(e2e.baseUrl + links.requests())
    await page.getByRole('link', { name: 'Volgende pagina' }).click()
    await page.waitForURL(/na=/)
    await checkPage(page)
  })
  it("When he filters Machtigingen and Gebruikers and starts new mandates by typing an organisation, then it is that organisation's, a text that fits several is said at the field, and every state passes axe", async () => {
    await page.goto(e2e.baseUrl + links.mandates())
    const field = page.getByLabel('Organisatie', { exact: true })
    expect(await field.getAttribute('type')).toBe('search')
    await field.fill('Cliënt 17')
    await page.getByRole('button', { name: 'Filteren' }).click()
    await page.waitForURL(/organisatie=/)
    expect(await page.getByLabel('Organisatie', { exact: true }).inputValue()).toBe('Cliënt 17 B.V. (KvK 92000017)')
    await checkPage(page)
    await page.getByLabel('Organisatie', { exact: true }).fill('Cliënt')
    await page.getByRole('button', { name: 'Filteren' }).click()
    await page.waitForURL(/organisatie=Cli/)
    expect(await page.getByText(/‘Cliënt’ past bij 30 organisaties, onder meer: Cliënt 01 B\.V\. \(KvK 92000001\)/).count()).toBeGreaterThan(0)
    expect(await page.getByLabel('Organisatie', { exact: true }).inputValue()).toBe('Cliënt')
    await checkPage(page)

    await page.goto(e2e.baseUrl + links.mandateWizard())
    await page.getByLabel('Organisatie', { exact: true }).fill('Cliënt 1')
    await page.getByRole('button', { name: 'Volgende stap' }).click()
    expect(await page.getByText(/‘Cliënt 1’ past bij 10 organisaties/).count()).toBeGreaterThan(0)
    await checkPage(page)
    await page.getByLabel('Organisatie', { exact: true }).fill('92000017')
    await page.getByRole('button', { name: 'Volgende stap' }).click()
    await page.waitForURL(/\/nieuw\/gebruiker/)
    await page.getByRole('link', { name: 'Vorige stap' }).click()
    expect(await page.getByLabel('Organisatie', { exact: true }).inputValue()).toBe('Cliënt 17 B.V. (KvK 92000017)')

    await page.goto(e2e.baseUrl + links.users())
    await page.getByLabel('Organisatie', { exact: true }).fill('92000017')
    await page.getByRole('button', { name: 'Filteren' }).click()
    await page.waitForURL(/organisationId=/)
    expect(await page.getByLabel('Organisatie', { exact: true }).inputValue()).toBe('Cliënt 17 B.V. (KvK 92000017)')
    await checkPage(page)
  })
})
