// Ketenmachtigingen in Chromium (issue 14, "Done when"): Sanne (admin of De Vries Holding) gives a
// ketenmachtiging to the demo intermediary, Johan (its admin) assigns an employee under it, "Wie mag
// wat" shows that employee with the chain as the path, and revoking on the client's side removes it
// everywhere. Every page visited passes axe (WCAG 2.1 A/AA, Dutch) at desktop and at phone width.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPage, expectErrorSummary, saveScreenshots, signedIn, startE2e, type E2e } from './helpers/browser.ts'

const INTERMEDIARY = 'Administratiekantoor Van Dijk & Partners B.V.'
const INTERMEDIARY_KVK = '81937204'
const CLIENT = 'De Vries Holding B.V.'
const SERVICE = 'Mijn Belastingdienst Zakelijk (Belastingdienst)'
const CHAIN_PATH = `Ketenmachtiging via ${INTERMEDIARY} (KvK ${INTERMEDIARY_KVK}), alle diensten`

let e2e: E2e
let sanne: Page
let johan: Page
beforeAll(async () => {
  e2e = await startE2e()
  sanne = (await signedIn(e2e, 'sanne')).page
  johan = (await signedIn(e2e, 'johan')).page
})
afterAll(async () => {
  await e2e?.close()
})

/** Axe and no raw keys at 1280 px, then at phone width (390 px), then back. */
async function checkBothWidths(page: Page): Promise<void> {
  await checkPage(page)
  await page.setViewportSize({ width: 390, height: 844 })
  try {
    await checkPage(page)
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 })
  }
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText()
const flashText = (page: Page) => page.locator('.bm-alert[role="status"]').first().innerText()
const beheerNav = (page: Page) => page.getByRole('navigation', { name: 'Beheer' })

async function openChains(page: Page) {
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click()
  await beheerNav(page).getByRole('link', { name: 'Ketenmachtigingen' }).click()
  expect(await heading(page)).toBe('Ketenmachtigingen')
}

async function whoMayAct(page: Page) {
  await beheerNav(page).getByRole('link', { name: 'Wie mag wat' }).click()
  await page.getByLabel('Organisatie').selectOption({ label: CLIENT })
  await page.getByLabel('Dienst').selectOption({ label: SERVICE })
  await page.getByRole('button', { name: 'Tonen' }).click()
  expect(await heading(page)).toBe('Wie mag wat')
}

describe('Ketenmachtigingen from both sides', () => {
  it('When Sanne gives a ketenmachtiging to the demo intermediary, then a bad KvK number is pointed out first and then it is listed as active', async () => {
    await openChains(sanne)
    await checkBothWidths(sanne)
    await sanne.getByRole('link', { name: 'Nieuwe ketenmachtiging' }).click()
    expect(await heading(sanne)).toBe('Nieuwe ketenmachtiging')
    await checkBothWidths(sanne)

    await sanne.getByLabel('Voor organisatie').selectOption({ label: `${CLIENT} (85124096)` })
    await sanne.getByLabel('KvK-nummer van de intermediair').fill('8193720')
    await sanne.getByRole('button', { name: 'Ketenmachtiging geven' }).click()
    await expectErrorSummary(sanne)
    expect(await sanne.getByLabel('KvK-nummer van de intermediair').inputValue()).toBe('8193720')
    await checkBothWidths(sanne)

    await sanne.getByLabel('KvK-nummer van de intermediair').fill(INTERMEDIARY_KVK)
    await sanne.getByLabel('Alle diensten (algemene bevoegdheid)').check()
    await sanne.getByLabel('EH3', { exact: true }).check()
    await sanne.getByLabel('1 jaar').check()
    await sanne.getByRole('button', { name: 'Ketenmachtiging geven' }).click()
    expect(await flashText(sanne)).toContain(`De ketenmachtiging aan ${INTERMEDIARY} is gegeven`)
    const row = sanne.locator('tbody tr', { hasText: CLIENT }).filter({ hasText: 'Actief' })
    expect(await row.count()).toBe(1)
    await checkBothWidths(sanne)
    await saveScreenshots(sanne, 'ketenmachtigingen')
  })

  it('When Johan opens Klanten and assigns Sophie for all services, then a missing choice is pointed out first and then she is listed', async () => {
    await openChains(johan)
    await johan.getByRole('link', { name: 'Klanten' }).click()
    expect(await heading(johan)).toBe('Klanten')
    await checkBothWidths(johan)
    await saveScreenshots(johan, 'ketenmachtigingen-klanten')

    await johan.getByRole('link', { name: CLIENT }).click()
    expect(await heading(johan)).toBe(`Medewerkers machtigen voor ${CLIENT}`)
    await checkBothWidths(johan)
    await johan.getByRole('button', { name: 'Medewerker machtigen' }).click()
    await expectErrorSummary(johan)
    await checkBothWidths(johan)

    const employee = johan.getByLabel('Medewerker', { exact: true })
    const sophie = (await employee.locator('option').allInnerTexts()).find((label) => label.startsWith('Sophie Kramer'))
    expect(sophie).toBeDefined()
    await employee.selectOption({ label: sophie! })
    await johan.getByLabel('Dienst of diensten').selectOption({ label: 'Alle diensten (algemene bevoegdheid)' })
    await johan.getByLabel('EH3', { exact: true }).check()
    await johan.getByRole('button', { name: 'Medewerker machtigen' }).click()
    expect(await flashText(johan)).toBe(`Sophie Kramer mag nu namens ${CLIENT} handelen.`)
    expect(await johan.locator('tbody tr', { hasText: 'Sophie Kramer' }).innerText()).toContain('Actief')
    await checkBothWidths(johan)
    await saveScreenshots(johan, 'ketenmachtigingen-medewerkers')
  })

  it('When Sanne opens "Wie mag wat" for the holding and an EH3 service, then Sophie is there with the chain as the path', async () => {
    await whoMayAct(sanne)
    const row = sanne.locator('tbody tr', { hasText: 'Sophie Kramer' })
    expect(await row.count()).toBe(1)
    expect(await row.innerText()).toContain(CHAIN_PATH)
    await checkBothWidths(sanne)
    await saveScreenshots(sanne, 'wie-mag-wat')
  })

  it('When Sanne revokes the ketenmachtiging, then Sophie is gone from "Wie mag wat", the holding from Klanten, and her assignment is revoked', async () => {
    await openChains(sanne)
    // The buttons name the client as well: Sanne's other organisation has a ketenmachtiging to the same intermediary.
    await sanne.getByRole('button', { name: `Ketenmachtiging van ${CLIENT} aan ${INTERMEDIARY} intrekken` }).click()
    expect(await flashText(sanne)).toContain('De ketenmachtiging is ingetrokken; 1 medewerker')
    expect(await sanne.locator('tbody tr', { hasText: CLIENT }).filter({ hasText: 'Actief' }).count()).toBe(0)
    await checkBothWidths(sanne)

    await whoMayAct(sanne)
    expect(await sanne.locator('main').innerText()).not.toContain('Sophie Kramer')
    await checkBothWidths(sanne)

    const chainPage = johan.url()
    await beheerNav(johan).getByRole('link', { name: 'Ketenmachtigingen' }).click()
    await johan.getByRole('link', { name: 'Klanten' }).click()
    expect(await johan.getByRole('link', { name: CLIENT }).count()).toBe(0)
    await checkBothWidths(johan)
    await johan.goto(chainPage)
    expect(await johan.locator('tbody tr', { hasText: 'Sophie Kramer' }).innerText()).toContain('Ingetrokken')
    // The stale form: assigning again is refused with the reason, nothing changes.
    const employee = johan.getByLabel('Medewerker', { exact: true })
    const sophie = (await employee.locator('option').allInnerTexts()).find((label) => label.startsWith('Sophie Kramer'))!
    await employee.selectOption({ label: sophie })
    await johan.getByLabel('Dienst of diensten').selectOption({ label: 'Alle diensten (algemene bevoegdheid)' })
    await johan.getByLabel('EH3', { exact: true }).check()
    await johan.getByRole('button', { name: 'Medewerker machtigen' }).click()
    await expectErrorSummary(johan)
    expect(await johan.locator('#error-summary').innerText()).toContain('De klant heeft deze ketenmachtiging ingetrokken')
    expect(await johan.locator('tbody tr', { hasText: 'Sophie Kramer' }).filter({ hasText: 'Actief' }).count()).toBe(0)
    await checkBothWidths(johan)
  })
})
