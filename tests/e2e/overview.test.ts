// Overzicht for an accountant (many organisations), in Chromium: 20 cards a page, the search on name or
// KvK number by its label, the pages by their links; axe (WCAG 2.2 AA) on each state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { addYears, todayUtc } from '../../src/domain/dates.ts'
import { links } from '../../src/paths.ts'
import { checkPage, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
let context: BrowserContext
let page: Page

beforeAll(async () => {
  e2e = await startE2e()
  const db = e2e.t.database.db
  const johan = await db.user.findFirstOrThrow({ where: { emailKey: 'johan.vandijk@demo.example' } })
  for (let i = 1; i <= 30; i++) {
    const org = await db.organisation.create({ data: { kvkNumber: String(92000000 + i), name: `Cliënt ${String(i).padStart(2, '0')} B.V.` } })
    await db.mandate.create({
      data: {
        kind: 'admin',
        userId: johan.id,
        organisationId: org.id,
        scope: 'all',
        level: 'EH3',
        validFrom: todayUtc(),
        validUntil: addYears(todayUtc(), 1),
        status: 'active',
      },
    })
  }
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
})
