// Hulp, the statements and contact in Chromium: reached from the footer, axe on each, the search with
// odd characters, and "Hoe werkt dit?" from every Beheer page to its guide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { helpTopicFor } from '../../src/web/helpTopics.ts'
import { checkPage, newPage, saveScreenshots, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

describe('help, statements and contact in Chromium', () => {
  it('When a visitor follows the footer links from the login page, then each statement opens and passes axe', async () => {
    const { context, page } = await newPage(e2e)
    for (const [name, heading] of [
      ['Privacy', 'Privacyverklaring'],
      ['Toegankelijkheid', 'Toegankelijkheidsverklaring'],
      ['Contact', 'Contact'],
      ['Hulp', 'Hulp'],
    ] as const) {
      await page.goto(links.login())
      await page.getByRole('navigation', { name: 'Over deze website' }).getByRole('link', { name, exact: true }).click()
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading)
      await checkPage(page)
    }
    await page.goto(links.accessibility())
    for (const h2 of ['Status', 'Wat hebben wij getest en hoe', 'Bekende problemen', 'Contact'])
      expect(await page.getByRole('heading', { level: 2, name: h2 }).count(), h2).toBe(1)
    await saveScreenshots(page, 'toegankelijkheidsverklaring')
    await context.close()
  })

  it('When the help is searched, also with odd characters or too long, then results or a message show and axe passes', async () => {
    const { context, page } = await newPage(e2e)
    await page.goto(links.help())
    await page.getByRole('searchbox', { name: 'Zoek in de stappenplannen' }).fill('alle')
    await page.getByRole('button', { name: 'Zoeken' }).click()
    await page.getByRole('link', { name: 'Nieuwe machtigingen aanvragen' }).first().click()
    expect(new URL(page.url()).pathname).toBe(links.helpGuide('machtigingen-aanvragen'))
    expect(await page.locator('ol li').count()).toBeGreaterThan(5)
    await checkPage(page)
    await saveScreenshots(page, 'hulp-stappenplan')
    await page.goto(links.help())
    await page.getByRole('searchbox', { name: 'Zoek in de stappenplannen' }).fill('<img src=x onerror=alert(1)> "\'%')
    await page.getByRole('button', { name: 'Zoeken' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toContain('Geen stappenplan gevonden')
    await checkPage(page)
    await page.goto(links.help({ zoek: 'x'.repeat(120) }))
    await expect.poll(() => page.title()).toMatch(/^Fout: /)
    await checkPage(page)
    await context.close()
  })

  it('When the admin opens each Beheer page, then "Hoe werkt dit?" leads to the guide for it', async () => {
    const { context, page } = await signedIn(e2e, 'sanne')
    const pages = [
      links.mandates(),
      links.mandateWizard(),
      links.users(),
      links.usersAdd(),
      links.requests(),
      links.requestsNew(),
      links.applications(),
      links.adminAppointment(),
      links.auditLog(),
      links.chains(),
      links.chainClients(),
      links.who(),
      links.apiClients(),
    ]
    for (const path of pages) {
      await page.goto(path)
      const slug = helpTopicFor(new URL(page.url()).pathname)
      expect(slug, path).toBeDefined()
      await page.getByRole('link', { name: 'Hoe werkt dit?' }).click()
      await page.waitForURL((url) => url.pathname === links.helpGuide(slug!))
      expect(await page.getByRole('heading', { level: 1 }).count(), path).toBe(1)
    }
    await page.goto(links.mandates())
    await checkPage(page)
    await context.close()
  })
})
