// Beheer → Gebruikers → "Gebruikers toevoegen" (at the bottom of the page), as the seed FAQ describes,
// with the error pattern for a bad field, the preview and the confirmation.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPage, expectErrorSummary, saveScreenshots, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
let context: BrowserContext
let page: Page
beforeAll(async () => {
  e2e = await startE2e()
  ;({ context, page } = await signedIn(e2e, 'sanne'))
})
afterAll(async () => {
  await context?.close()
  await e2e?.close()
})

describe('Gebruikers (seed FAQ procedure)', () => {
  it('When the admin adds a user through "Gebruikers toevoegen", then a bad field is pointed out with the typed values kept, and after the preview the user is added', async () => {
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click()
    await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Gebruikers' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Gebruikers')
    await checkPage(page)
    await saveScreenshots(page, 'gebruikers')
    // "Onderaan die pagina": the button is the last thing in main
    const add = page.getByRole('link', { name: 'Gebruikers toevoegen' })
    expect(await add.count()).toBe(1)
    await add.click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Gebruikers toevoegen')
    await checkPage(page)
    await saveScreenshots(page, 'gebruikers-toevoegen')

    const row = page.getByRole('group', { name: 'Gebruiker 1' })
    await row.getByLabel('Voornaam').fill('Noor')
    await row.getByLabel('Achternaam').fill('Bos')
    await row.getByLabel('Geboortedatum').fill('1990-04-12')
    await row.getByLabel('E-mailadres').fill('noor.bos@@voorbeeld')
    await row.getByLabel('Mobiel nummer').fill('0612345678')
    await row.getByLabel('Betrouwbaarheidsniveau').selectOption({ label: 'EH2+' })
    await row.getByLabel('Looptijd').selectOption({ label: '1 jaar' })
    await row.getByLabel('Organisatie').selectOption({ index: 1 })
    await page
      .getByRole('checkbox', { name: /Ik bevestig dat elk e-mailadres/ })
      .first()
      .check()
    await page.getByRole('button', { name: 'Gegevens controleren' }).click()

    // The error path: the bad e-mail address is refused at the field, the rest of the row is kept
    await expectErrorSummary(page)
    expect(await row.getByLabel('Voornaam').inputValue()).toBe('Noor')
    expect(await row.getByLabel('E-mailadres').inputValue()).toBe('noor.bos@@voorbeeld')
    expect(await row.getByLabel('E-mailadres').getAttribute('aria-invalid')).toBe('true')
    await checkPage(page)
    await saveScreenshots(page, 'gebruikers-toevoegen-fout')
    await row.getByLabel('E-mailadres').fill('noor.bos@bakkerij-devries.example')
    await page
      .getByRole('checkbox', { name: /Ik bevestig dat elk e-mailadres/ })
      .first()
      .check()
    await page.getByRole('button', { name: 'Gegevens controleren' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Controleer de gebruikers')
    await checkPage(page)
    await saveScreenshots(page, 'gebruikers-toevoegen-controle')
    await page.getByRole('button', { name: /Bevestigen en toevoegen/ }).click()
    await expect.poll(() => page.locator('.bm-alert[role="status"]').count()).toBeGreaterThan(0)
    await checkPage(page)
    await page.getByLabel('Zoek op naam of e-mailadres').fill('Noor Bos')
    await page.getByRole('button', { name: 'Filteren' }).click()
    expect(await page.getByRole('link', { name: 'Noor Bos' }).count()).toBe(1)
  })
})
