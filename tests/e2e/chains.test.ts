// Ketenmachtigingen in Chromium (issue 14, "Done when"): Sanne (admin of De Vries Holding) gives a
// ketenmachtiging for one service, searched as in the machtigingen wizard, to the demo intermediary
// and signs it on the confirmation page; Johan (its admin) assigns an employee under it, "Wie mag
// wat" shows that employee with the chain as the path, suspending hides it and lifting brings it
// back, and revoking on the client's side (with its confirmation) removes it everywhere. Every page visited passes axe (WCAG 2.1 A/AA, Dutch) at desktop and at phone width.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPage, expectErrorSummary, saveScreenshots, signedIn, startE2e, type E2e } from './helpers/browser.ts'

const INTERMEDIARY = 'Administratiekantoor Van Dijk & Partners B.V.'
const INTERMEDIARY_KVK = '81937204'
const CLIENT = 'De Vries Holding B.V.'
const SERVICE = 'Mijn Belastingdienst Zakelijk (Belastingdienst)'
const SERVICE_NAME = 'Mijn Belastingdienst Zakelijk'
const CHAIN_PATH = `Ketenmachtiging via ${INTERMEDIARY} (KvK ${INTERMEDIARY_KVK}), deze dienst`

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
  it('When Sanne gives a ketenmachtiging for one searched service to the demo intermediary, then a bad KvK number is pointed out first, the confirmation shows what she signs, and after Ondertekenen it is listed as active', async () => {
    await openChains(sanne)
    await checkBothWidths(sanne)
    await sanne.getByRole('link', { name: 'Nieuwe ketenmachtiging' }).click()
    expect(await heading(sanne)).toBe('Nieuwe ketenmachtiging')
    await checkBothWidths(sanne)

    await sanne.getByLabel('Voor organisatie').selectOption({ label: `${CLIENT} (85124096)` })
    await sanne.getByLabel('KvK-nummer van de intermediair').fill('8193720')
    await sanne.getByRole('button', { name: 'Controleren' }).click()
    await expectErrorSummary(sanne)
    expect(await sanne.getByLabel('KvK-nummer van de intermediair').inputValue()).toBe('8193720')
    await checkBothWidths(sanne)

    await sanne.getByLabel('KvK-nummer van de intermediair').fill(INTERMEDIARY_KVK)
    await sanne.getByLabel('Eén dienst').check()
    await sanne.getByLabel('Dienst zoeken').fill('belasting')
    await sanne.getByRole('button', { name: 'Zoeken' }).click()
    // The search keeps what was typed (no JavaScript needed).
    expect(await sanne.getByLabel('KvK-nummer van de intermediair').inputValue()).toBe(INTERMEDIARY_KVK)
    expect(await sanne.getByLabel('Eén dienst').isChecked()).toBe(true)
    await checkBothWidths(sanne)
    await sanne.getByLabel(SERVICE_NAME, { exact: true }).check()
    await sanne.getByLabel('EH3', { exact: true }).check()
    await sanne.getByLabel('1 jaar').check()
    await sanne.getByRole('button', { name: 'Controleren' }).click()

    expect(await heading(sanne)).toBe('Controleren en ondertekenen')
    const facts = await sanne.locator('main').innerText()
    for (const text of [CLIENT, '85124096', INTERMEDIARY, INTERMEDIARY_KVK, SERVICE_NAME, 'EH3', '1 jaar', 'Door te ondertekenen'])
      expect(facts).toContain(text)
    await checkBothWidths(sanne)
    await saveScreenshots(sanne, 'ketenmachtiging-ondertekenen')
    await sanne.getByRole('button', { name: 'Ondertekenen' }).click()
    expect(await flashText(sanne)).toContain(`De ketenmachtiging aan ${INTERMEDIARY} is gegeven`)
    const row = sanne.locator('tbody tr', { hasText: CLIENT }).filter({ hasText: SERVICE_NAME })
    expect(await row.innerText()).toContain('Actief')
    await checkBothWidths(sanne)
    await saveScreenshots(sanne, 'ketenmachtigingen')
  })

  it('When Johan opens Klanten and assigns Sophie for the service, then a missing choice is pointed out first and then she is listed', async () => {
    await openChains(johan)
    await johan.getByRole('link', { name: 'Klanten' }).click()
    expect(await heading(johan)).toBe('Klanten')
    await checkBothWidths(johan)
    await saveScreenshots(johan, 'ketenmachtigingen-klanten')

    // The holding's row for the service (Sanne's other organisation's chains are there too).
    await johan.locator('tbody tr', { hasText: SERVICE_NAME }).getByRole('link', { name: CLIENT }).click()
    expect(await heading(johan)).toBe(`Medewerkers machtigen voor ${CLIENT}`)
    await checkBothWidths(johan)
    await johan.getByRole('button', { name: 'Medewerker machtigen' }).click()
    await expectErrorSummary(johan)
    await checkBothWidths(johan)

    const employee = johan.getByLabel('Medewerker', { exact: true })
    const sophie = (await employee.locator('option').allInnerTexts()).find((label) => label.startsWith('Sophie Kramer'))
    expect(sophie).toBeDefined()
    await employee.selectOption({ label: sophie! })
    const scope = johan.getByLabel('Dienst of diensten')
    const serviceOption = (await scope.locator('option').allInnerTexts()).find((label) => label.startsWith(SERVICE_NAME))
    await scope.selectOption({ label: serviceOption! })
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

  it('When Sanne suspends the ketenmachtiging, then the confirmation counts Sophie, she is gone from "Wie mag wat", and lifting the suspension brings her back', async () => {
    await openChains(sanne)
    await sanne
      .getByRole('link', { name: `Ketenmachtiging van ${CLIENT} aan ${INTERMEDIARY} schorsen` })
      .first()
      .click()
    expect(await heading(sanne)).toBe('Ketenmachtiging schorsen')
    expect(await sanne.locator('#effect').innerText()).toBe('1 toegewezen medewerker van de intermediair kan dan niet meer handelen.')
    await checkBothWidths(sanne)
    await sanne.getByRole('button', { name: 'Schorsen' }).click()
    expect(await flashText(sanne)).toContain('De ketenmachtiging is geschorst')
    expect(await sanne.locator('tbody tr', { hasText: SERVICE_NAME }).innerText()).toContain('Geschorst')

    await whoMayAct(sanne)
    expect(await sanne.locator('main').innerText()).not.toContain('Sophie Kramer')

    await openChains(sanne)
    await sanne.getByRole('link', { name: `Schorsing van de ketenmachtiging van ${CLIENT} aan ${INTERMEDIARY} opheffen` }).click()
    expect(await heading(sanne)).toBe('Schorsing opheffen')
    await checkBothWidths(sanne)
    await sanne.getByRole('button', { name: 'Schorsing opheffen' }).click()
    expect(await flashText(sanne)).toContain('De schorsing is opgeheven')
    await whoMayAct(sanne)
    expect(await sanne.locator('tbody tr', { hasText: 'Sophie Kramer' }).innerText()).toContain(CHAIN_PATH)
  })

  it('When Sanne revokes the ketenmachtiging, then the confirmation counts Sophie, and after it Sophie is gone from "Wie mag wat", the chain from Klanten, and her assignment is revoked', async () => {
    await openChains(sanne)
    const row = sanne.locator('tbody tr', { hasText: SERVICE_NAME })
    // The links name the client as well: Sanne's other organisation has a ketenmachtiging to the same intermediary.
    await row.getByRole('link', { name: `Ketenmachtiging van ${CLIENT} aan ${INTERMEDIARY} intrekken` }).click()
    expect(await heading(sanne)).toBe('Ketenmachtiging intrekken')
    expect(await sanne.locator('#effect').innerText()).toBe('1 toegewezen medewerker van de intermediair verliest daarmee de machtiging.')
    await checkBothWidths(sanne)
    await sanne.getByRole('button', { name: 'Intrekken' }).click()
    expect(await flashText(sanne)).toContain('De ketenmachtiging is ingetrokken; 1 medewerker')
    expect(await sanne.locator('tbody tr', { hasText: SERVICE_NAME }).filter({ hasText: 'Actief' }).count()).toBe(0)
    await checkBothWidths(sanne)

    await whoMayAct(sanne)
    expect(await sanne.locator('main').innerText()).not.toContain('Sophie Kramer')
    await checkBothWidths(sanne)

    const chainPage = johan.url()
    await beheerNav(johan).getByRole('link', { name: 'Ketenmachtigingen' }).click()
    await johan.getByRole('link', { name: 'Klanten' }).click()
    expect(await johan.locator('tbody tr', { hasText: SERVICE_NAME }).count()).toBe(0)
    await checkBothWidths(johan)
    await johan.goto(chainPage)
    expect(await johan.locator('tbody tr', { hasText: 'Sophie Kramer' }).innerText()).toContain('Ingetrokken')
    // The stale form: assigning again is refused with the reason, nothing changes.
    const employee = johan.getByLabel('Medewerker', { exact: true })
    const sophie = (await employee.locator('option').allInnerTexts()).find((label) => label.startsWith('Sophie Kramer'))!
    await employee.selectOption({ label: sophie })
    const scope = johan.getByLabel('Dienst of diensten')
    const serviceOption = (await scope.locator('option').allInnerTexts()).find((label) => label.startsWith(SERVICE_NAME))
    await scope.selectOption({ label: serviceOption! })
    await johan.getByLabel('EH3', { exact: true }).check()
    await johan.getByRole('button', { name: 'Medewerker machtigen' }).click()
    await expectErrorSummary(johan)
    expect(await johan.locator('#error-summary').innerText()).toContain('De klant heeft deze ketenmachtiging ingetrokken')
    expect(await johan.locator('tbody tr', { hasText: 'Sophie Kramer' }).filter({ hasText: 'Actief' }).count()).toBe(0)
    await checkBothWidths(johan)
  })
})
