// The way out and sideways in Chromium (issue 13): a means suspended, lifted and opgezegd from the
// user's page and from Mijn gegevens; every page passes axe, and each flow also works without JavaScript.
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPage, expectErrorSummary, signedIn, startE2e, type E2e } from './helpers/browser.ts'

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

const flashText = (p: Page = page) => p.locator('.bm-alert[role="status"]').first().innerText()
const heading = (p: Page = page) => p.getByRole('heading', { level: 1 }).innerText()

/** Beheer → Gebruikers → the user found by name. */
async function openUser(p: Page, name: string) {
  await p.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click()
  await p.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Gebruikers' }).click()
  await p.getByLabel('Zoek op naam of e-mailadres').fill(name)
  await p.getByRole('button', { name: 'Filteren' }).click()
  await p.getByRole('link', { name, exact: true }).click()
}

describe('means screens', () => {
  it('When the admin suspends a means and lifts the suspension from the user page, then each confirmation lists what pauses and the flash says what happened', async () => {
    await openUser(page, 'Fatma Yılmaz')
    await checkPage(page)
    await page.getByRole('link', { name: 'Middel schorsen' }).click()
    expect(await heading()).toBe('Middel schorsen')
    expect(await page.locator('main').innerText()).toMatch(/met het middel geschorst/)
    await checkPage(page)
    await page.getByRole('button', { name: 'Middel schorsen' }).click()
    expect(await flashText()).toMatch(/Het middel is geschorst/)
    await page.getByRole('link', { name: 'Schorsing opheffen' }).click()
    await checkPage(page)
    await page.getByRole('button', { name: 'Schorsing opheffen' }).click()
    expect(await flashText()).toMatch(/De schorsing is opgeheven/)
  })

  it('When the admin cancels a means with a date in the past, then the reason is at the field; with a date within a year it is opgezegd per that date', async () => {
    await openUser(page, 'Mark Visser')
    await page.getByRole('link', { name: 'Middel opzeggen' }).click()
    expect(await heading()).toBe('Middel opzeggen')
    await checkPage(page)
    await page.getByLabel('Op een datum (binnen een jaar)').check()
    await page.getByLabel('Datum', { exact: true }).fill('2020-01-01')
    await page.getByRole('button', { name: 'Middel opzeggen' }).click()
    await expectErrorSummary(page)
    expect(await page.locator('main').innerText()).toContain('De datum ligt in het verleden')
    await checkPage(page)
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel('Datum', { exact: true }).fill(day)
    await page.getByRole('button', { name: 'Middel opzeggen' }).click()
    expect(await flashText()).toMatch(/Het middel is opgezegd per/)
    expect(await page.locator('main').innerText()).toContain('Opgezegd per')
    await checkPage(page)
  })

  it('When JavaScript is off and Jan cancels his own means today in Mijn gegevens, then it has ended', async () => {
    const { context: noJs, page: p } = await signedIn(e2e, 'jan', { javaScriptEnabled: false })
    try {
      await p.goto('/mijn-gegevens')
      await p.getByRole('link', { name: /^Opzeggen/ }).click()
      expect(await heading(p)).toBe('Mijn middel opzeggen')
      await p.getByLabel('Vandaag').check()
      await p.getByRole('button', { name: 'Middel opzeggen' }).click()
      await p.waitForURL('**/mijn-gegevens')
      expect(await flashText(p)).toMatch(/Het middel is opgezegd en werkt niet meer/)
      expect(await p.locator('main').innerText()).toContain('Ingetrokken')
    } finally {
      await noJs.close()
    }
  })
})

describe('afmelden', () => {
  it('When the admin signs a user off from the user page, then the confirmation lists what ends, and "Toon ook inactieve gebruikers" shows the user afterwards', async () => {
    await openUser(page, 'Ingrid Mulder')
    await page.getByRole('link', { name: 'Afmelden bij Bakkerij De Vries B.V.' }).click()
    expect(await heading()).toBe('Afmelden bij Bakkerij De Vries B.V.')
    expect(await page.locator('main').innerText()).toMatch(/1 gebruiker wordt afgemeld; aantal machtigingen dat wordt ingetrokken: \d+/)
    await checkPage(page)
    await page.getByRole('button', { name: 'Afmelden' }).click()
    expect(await flashText()).toMatch(/1 gebruiker is afgemeld/)
    await checkPage(page)
    expect(await page.getByLabel('Toon ook inactieve gebruikers').isChecked()).toBe(true)
    // Still linked to the holding, so still an active user there
    expect(await page.locator('main').innerText()).toContain('Ingrid Mulder')
  })

  it('When JavaScript is off and the admin ticks two users in Gebruikers and clicks Afmelden, then both are signed off after the confirmation', async () => {
    const { context: noJs, page: p } = await signedIn(e2e, 'sanne', { javaScriptEnabled: false })
    try {
      await p.goto('/beheer/gebruikers')
      await p.getByLabel('Organisatie').selectOption({ label: 'Bakkerij De Vries B.V.' })
      await p.getByRole('button', { name: 'Filteren' }).click()
      await p.getByLabel('Selecteer Mark Visser').check()
      await p.getByLabel('Selecteer Ruud Peters').check()
      await p.getByRole('button', { name: 'Afmelden' }).click()
      expect(await heading(p)).toBe('Afmelden bij Bakkerij De Vries B.V.')
      await p.getByRole('button', { name: '2 gebruikers afmelden' }).click()
      expect(await flashText(p)).toMatch(/2 gebruikers zijn afgemeld/)
      expect(await p.locator('main').innerText()).toContain('Afgemeld')
    } finally {
      await noJs.close()
    }
  })
})

describe('bulk actions and history in Machtigingen', () => {
  /** Beheer → Machtigingen filtered on a user. */
  async function listFor(p: Page, name: string, options: { inactive?: boolean } = {}) {
    await p.goto('/beheer/machtigingen')
    await p.getByLabel('Gebruiker (naam of e-mailadres)').fill(name)
    if (options.inactive) await p.getByLabel('Toon ook inactieve machtigingen').check()
    await p.getByRole('button', { name: 'Filteren' }).click()
  }

  it('When the admin ticks all rows and clicks "Machtigingen schorsen", then the confirmation counts them and the result lists each one', async () => {
    await listFor(page, 'Fatma')
    await page.getByLabel('Alles selecteren').check()
    const count = await page.locator('input[name="id"]').count()
    await page.getByRole('button', { name: 'Machtigingen schorsen' }).click()
    expect(await heading()).toBe('Machtigingen schorsen')
    expect(await page.locator('main').innerText()).toContain(`De ${count} geselecteerde machtigingen`)
    await checkPage(page)
    await page.getByRole('button', { name: 'Machtigingen schorsen' }).click()
    expect(await heading()).toBe('Resultaat van het schorsen')
    expect(await page.locator('tbody tr').count()).toBe(count)
    await checkPage(page)
  })

  it('When the admin follows the scope of a row to its history, then every event is listed with who and why', async () => {
    await listFor(page, 'Fatma', { inactive: true })
    // The scope in each row links to its history
    await page.locator('table.bm-mandates tbody tr').first().locator('td').nth(2).getByRole('link').click()
    expect(await heading()).toBe('Geschiedenis van de machtiging')
    expect(await page.locator('main').innerText()).toContain('Geschorst')
    await checkPage(page)
  })

  it('When JavaScript is off and the admin revokes all mandates matching the filter, then the confirmation and the result work without scripts', async () => {
    const { context: noJs, page: p } = await signedIn(e2e, 'sanne', { javaScriptEnabled: false })
    try {
      await listFor(p, 'Sanne')
      await p.getByRole('button', { name: 'Machtigingen intrekken' }).click()
      expect(await heading(p)).toBe('Machtigingen intrekken')
      expect(await p.getByLabel('Alle machtigingen die aan het huidige filter voldoen').isChecked()).toBe(true)
      await p.getByRole('button', { name: 'Machtigingen intrekken' }).click()
      expect(await heading(p)).toBe('Resultaat van het intrekken')
      expect(await p.locator('main').innerText()).toMatch(/\d+ ingetrokken/)
    } finally {
      await noJs.close()
    }
  })
})

describe('means for users from Gebruikers', () => {
  it('When a known person has no working means, then "Nieuw Middel Aanvragen" on his page gives one, and "Middel upgraden" for the ticked user raises it', async () => {
    await openUser(page, 'Jan Smit')
    const form = page.locator('section', { has: page.getByRole('heading', { name: 'Nieuw Middel Aanvragen' }) })
    await form.getByRole('button', { name: 'Nieuw Middel Aanvragen' }).click()
    await expectErrorSummary(page)
    await checkPage(page)
    await form.getByLabel('Betrouwbaarheidsniveau').selectOption({ label: 'EH2+' })
    await form.getByLabel('1 jaar').check()
    await form.getByRole('button', { name: 'Nieuw Middel Aanvragen' }).click()
    expect(await flashText()).toMatch(/Het nieuwe middel \(EH2\+\) is actief/)

    await page.goto('/beheer/gebruikers')
    await page.getByLabel('Selecteer Jan Smit').check()
    await page.getByRole('button', { name: 'Middel upgraden' }).click()
    expect(await heading()).toBe('Middel upgraden')
    await page.getByLabel('Nieuw betrouwbaarheidsniveau').selectOption({ label: 'EH3' })
    await page.getByLabel('Aanvraag namens').selectOption({ label: 'Bakkerij De Vries B.V.' })
    await page.getByRole('button', { name: 'Controleren' }).click()
    expect(await page.locator('main').innerText()).toContain('1 van 1 gebruikers wordt geüpgraded naar EH3')
    await checkPage(page)
    await page.getByRole('button', { name: '1 middel upgraden' }).click()
    expect(await flashText()).toMatch(/1 upgrade naar EH3: 0 direct, 1 wacht op de identiteitscontrole/)
  })

  it('When JavaScript is off and the admin renews a means on the user page, then it is renewed', async () => {
    const { context: noJs, page: p } = await signedIn(e2e, 'sanne', { javaScriptEnabled: false })
    try {
      await openUser(p, 'Fatma Yılmaz')
      const form = p.locator('section', { has: p.getByRole('heading', { name: 'Middel verlengen' }) })
      await form.getByLabel('3 jaar').check()
      await form.getByRole('button', { name: 'Middel verlengen' }).click()
      expect(await flashText(p)).toMatch(/Het middel is verlengd tot/)
    } finally {
      await noJs.close()
    }
  })
})
