// The seed FAQ's Machtigingen procedures in Chromium, with the FAQ's labels: new mandates ("alle"),
// activate an expired one, revoke (trash can), renew (icon and "Machtigingen Verlengen"), error paths,
// the wizard by keyboard only and without JavaScript. Every page visited with JS passes axe.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arrowToRadio, checkPage, expectErrorSummary, saveScreenshots, signedIn, startE2e, tabTo, type E2e } from './helpers/browser.ts'

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

const next = () => page.getByRole('button', { name: 'Volgende stap' }).click()
const flashText = () => page.locator('.bm-alert[role="status"]').first().innerText()

/** Beheer → Machtigingen, filtered on a user's name (and with the inactive ones when asked). */
async function listFor(name: string, options: { inactive?: boolean } = {}) {
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click()
  await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Machtigingen', exact: true }).click()
  await page.getByLabel('Gebruiker (naam of e-mailadres)').fill(name)
  if (options.inactive) await page.getByLabel('Toon ook inactieve machtigingen').check()
  await page.getByRole('button', { name: 'Filteren' }).click()
}

describe('Machtigingen (seed FAQ procedures)', () => {
  it('When the admin follows the FAQ for new mandates with "alle" for a user not yet linked, then the wizard ends with pending mandates and every step passes axe', async () => {
    await page.goto('/overzicht')
    await page.getByRole('link', { name: 'Beheer', exact: true }).click()
    await page.getByRole('link', { name: 'Machtigingen', exact: true }).first().click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Machtigingen')
    await checkPage(page)
    await saveScreenshots(page, 'machtigingen')

    await page.getByRole('link', { name: 'Nieuwe Machtigingen Aanvragen' }).click()
    await checkPage(page)
    await saveScreenshots(page, 'wizard-organisatie')
    // The error path: no organisation chosen
    await next()
    await expectErrorSummary(page)
    await checkPage(page)
    await page.getByLabel('De Vries Holding B.V.').check()
    await next()

    // Jan is not linked to the holding: "Toon niet gekoppelde gebruikers"
    expect(await page.getByLabel(/Jan Smit/).count()).toBe(0)
    await page.getByLabel('Toon niet gekoppelde gebruikers').check()
    await page.getByRole('button', { name: 'Lijst bijwerken' }).click()
    await checkPage(page)
    await saveScreenshots(page, 'wizard-gebruiker')
    await page.getByLabel('Jan Smit (niet gekoppeld)').check()
    await next()

    await page.getByLabel('EH2+', { exact: true }).check()
    await checkPage(page)
    await next()

    await page.getByLabel('Zoek een dienst of dienstverlener').fill('alle')
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click()
    // The error path: "Machtiging toevoegen" without a choice
    await page.getByRole('button', { name: 'Machtiging toevoegen' }).click()
    await expectErrorSummary(page)
    expect(await page.getByLabel('Zoek een dienst of dienstverlener').inputValue()).toBe('alle')
    await checkPage(page)
    await page.getByLabel('Alle diensten', { exact: true }).check()
    await page.getByRole('button', { name: 'Machtiging toevoegen' }).click()
    expect(await flashText()).toContain('Alle diensten')
    await checkPage(page)
    await saveScreenshots(page, 'wizard-diensten')
    await next()

    await page.getByLabel('1 jaar').check()
    await checkPage(page)
    await next()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Controleer en bevestig')
    await checkPage(page)
    await saveScreenshots(page, 'wizard-bevestigen')
    await page.getByRole('button', { name: 'Bevestigen' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Machtigingen aangevraagd')
    expect(await page.locator('main').innerText()).toContain('wachten op het koppelverzoek')
    await checkPage(page)
    await saveScreenshots(page, 'wizard-resultaat')
  })

  it('When the admin ticks "Toon ook inactieve machtigingen" and clicks "Activeren" on an expired mandate, then it is active again', async () => {
    await listFor('Jan Smit')
    expect(await page.getByRole('link', { name: /^Activeren/ }).count()).toBe(0)
    await listFor('Jan Smit', { inactive: true })
    await checkPage(page)
    await page
      .getByRole('link', { name: /^Activeren/ })
      .first()
      .click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Machtiging activeren')
    // The error path: no term chosen
    await page.getByRole('button', { name: 'Activeren' }).click()
    await expectErrorSummary(page)
    await checkPage(page)
    await page.getByLabel('1 jaar').check()
    await page.getByRole('button', { name: 'Activeren' }).click()
    expect(await flashText()).toMatch(/is weer actief tot/)
    await checkPage(page)
  })

  it('When the admin clicks the trash can ("Machtiging intrekken") and confirms, then the mandate is revoked', async () => {
    await listFor('Mark Visser')
    const before = await page.getByRole('link', { name: 'Machtiging intrekken' }).count()
    expect(before).toBeGreaterThan(0)
    await page.getByRole('link', { name: 'Machtiging intrekken' }).first().click()
    await checkPage(page)
    await page.getByRole('button', { name: 'Machtiging intrekken' }).click()
    expect(await flashText()).toMatch(/is ingetrokken/)
    await checkPage(page)
    await listFor('Mark Visser')
    expect(await page.getByRole('link', { name: 'Machtiging intrekken' }).count()).toBe(before - 1)
  })

  it('When the admin clicks the renew icon ("Machtiging verlengen"), then a term is asked (with the error pattern) and the mandate is renewed', async () => {
    await listFor('Fatma')
    await page.getByRole('link', { name: 'Machtiging verlengen' }).first().click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Machtiging verlengen')
    await page.getByRole('button', { name: 'Verlengen' }).click()
    await expectErrorSummary(page)
    await checkPage(page)
    await page.getByLabel('1 jaar').check()
    await page.getByRole('button', { name: 'Verlengen' }).click()
    expect(await flashText()).toMatch(/is verlengd tot/)
  })

  it('When the admin ticks mandates and clicks "Machtigingen Verlengen", then the result lists each one', async () => {
    await listFor('Fatma')
    // "Alles selecteren" is added by the script in public/js
    await page.getByLabel('Alles selecteren').check()
    const boxes = page.locator('input[name="id"]')
    const count = await boxes.count()
    expect(count).toBeGreaterThan(1)
    for (let i = 0; i < count; i++) expect(await boxes.nth(i).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Machtigingen Verlengen' }).click()
    await checkPage(page)
    // The error path: no term
    await page.getByRole('button', { name: 'Machtigingen Verlengen' }).click()
    await expectErrorSummary(page)
    await page.getByLabel(`De ${count} geselecteerde machtigingen`).check()
    await page.getByLabel('3 jaar').check()
    await page.getByRole('button', { name: 'Machtigingen Verlengen' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Resultaat van de verlenging')
    expect(await page.locator('tbody tr').count()).toBe(count)
    await checkPage(page)
    await saveScreenshots(page, 'verlengen-resultaat')
  })

  it('When the admin runs the wizard with the keyboard only, then the mandate is granted', async () => {
    await page.goto('/overzicht')
    await tabTo(page, (el) => el.tag === 'a' && el.text === 'Beheer')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/beheer/machtigingen')
    await tabTo(page, (el) => el.text === 'Nieuwe Machtigingen Aanvragen')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/organisatie')
    await tabTo(page, (el) => el.type === 'radio')
    await arrowToRadio(page, 'Bakkerij De Vries B.V.')
    await tabTo(page, (el) => el.text === 'Volgende stap')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/gebruiker')
    await tabTo(page, (el) => el.type === 'radio')
    await arrowToRadio(page, 'Fatma Yılmaz')
    await tabTo(page, (el) => el.text === 'Volgende stap')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/niveau')
    await tabTo(page, (el) => el.type === 'radio')
    await arrowToRadio(page, 'EH3')
    await tabTo(page, (el) => el.text === 'Volgende stap')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/diensten')
    await tabTo(page, (el) => el.name === 'zoek' && el.tag === 'input' && el.type === 'search')
    await page.keyboard.type('alle')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/diensten?zoek=alle')
    await tabTo(page, (el) => el.type === 'radio')
    await arrowToRadio(page, 'Alle diensten')
    await tabTo(page, (el) => el.text === 'Machtiging toevoegen')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.bm-alert[role="status"]').count()).toBe(1)
    // Shift+Tab back from the end of the page to "Volgende stap"
    await page.keyboard.press('End')
    await tabTo(page, (el) => el.text === 'Volgende stap')
    await tabTo(page, (el) => el.text === 'Machtiging toevoegen', { back: true })
    await tabTo(page, (el) => el.text === 'Volgende stap')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/termijn')
    await tabTo(page, (el) => el.type === 'radio')
    await arrowToRadio(page, '3 jaar')
    await tabTo(page, (el) => el.text === 'Volgende stap')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/bevestigen')
    await tabTo(page, (el) => el.text === 'Bevestigen')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/nieuw/resultaat')
    expect(await page.locator('main').innerText()).toContain('Fatma Yılmaz')
    expect(await page.locator('main').innerText()).toContain('zijn actief tot')
  })

  it('When JavaScript is off, then the wizard still works from start to end (and the error summary is shown)', async () => {
    const { context: noJs, page: p } = await signedIn(e2e, 'sanne', { javaScriptEnabled: false })
    try {
      const step = async (button: string, url: string) => {
        await p.getByRole('button', { name: button, exact: true }).click()
        await p.waitForURL(url)
      }
      await p.getByRole('link', { name: 'Beheer', exact: true }).click()
      await p.getByRole('link', { name: 'Nieuwe Machtigingen Aanvragen' }).click()
      await p.waitForURL('**/nieuw/organisatie')
      await p.getByLabel('Bakkerij De Vries B.V.').check()
      await step('Volgende stap', '**/nieuw/gebruiker')
      await p.getByLabel('Ingrid Mulder').check()
      await step('Volgende stap', '**/nieuw/niveau')
      await p.getByLabel('EH3', { exact: true }).check()
      await step('Volgende stap', '**/nieuw/diensten')
      await p.getByLabel('Zoek een dienst of dienstverlener').fill('alle')
      await step('Zoeken', '**/nieuw/diensten?zoek=alle')
      await p.getByRole('button', { name: 'Volgende stap' }).click()
      await expect.poll(() => p.title()).toMatch(/^Fout: /)
      expect(await p.locator('#error-summary a').count()).toBeGreaterThan(0)
      await p.getByLabel('Alle diensten', { exact: true }).check()
      await step('Machtiging toevoegen', '**/nieuw/diensten?zoek=alle')
      expect(await p.locator('.bm-alert[role="status"]').innerText()).toContain('Alle diensten')
      await step('Volgende stap', '**/nieuw/termijn')
      await p.getByLabel('5 jaar').check()
      await step('Volgende stap', '**/nieuw/bevestigen')
      await step('Bevestigen', '**/nieuw/resultaat')
      expect(await p.getByRole('heading', { level: 1 }).innerText()).toBe('Machtigingen aangevraagd')
      expect(await p.locator('main').innerText()).toContain('Ingrid Mulder')
    } finally {
      await noJs.close()
    }
  })
})
