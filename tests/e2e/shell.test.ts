import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, logIn, newPage, saveScreenshots, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

describe('login and the shell in Chromium', () => {
  it('When the demo admin logs in with password and TOTP, then Overzicht shows his organisations and every page passes axe', async () => {
    const { context, page } = await newPage(e2e)
    await page.goto('/overzicht')
    await expect.poll(() => new URL(page.url()).pathname).toBe('/inloggen')
    await expectAccessible(page)
    await saveScreenshots(page, 'inloggen')
    await logIn(page, 'sanne')
    expect(new URL(page.url()).pathname).toBe('/overzicht')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Welkom, Sanne de Vries')
    expect(await page.getByRole('heading', { name: 'Bakkerij De Vries B.V.' }).count()).toBe(1)
    await expect.poll(() => page.getByRole('link', { name: 'Beheer', exact: true }).count()).toBe(1)
    await expectAccessible(page)
    await saveScreenshots(page, 'overzicht')
    await context.close()
  })

  it('When the password is wrong, then the error summary takes the focus and the title starts with "Fout:"', async () => {
    const { context, page } = await newPage(e2e)
    await page.goto('/inloggen')
    await page.getByLabel('E-mailadres').fill('sanne.devries@demo.example')
    await page.getByLabel('Wachtwoord').fill('verkeerd')
    await page.getByRole('button', { name: 'Inloggen' }).click()
    await expect.poll(() => page.title()).toMatch(/^Fout: Inloggen/)
    expect(await page.evaluate('document.activeElement?.id')).toBe('error-summary')
    expect(await page.getByLabel('E-mailadres').inputValue()).toBe('sanne.devries@demo.example')
    await expectAccessible(page)
    await saveScreenshots(page, 'inloggen-fout')
    await context.close()
  })

  it('When JavaScript is off, then logging in and switching the language still work', async () => {
    const { context, page } = await newPage(e2e, { javaScriptEnabled: false })
    await logIn(page, 'jan')
    expect(new URL(page.url()).pathname).toBe('/overzicht')
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Welcome')
    await page.getByRole('button', { name: 'Nederlands' }).click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nl')
    await context.close()
  })

  it('When the user tabs from the top of the page, then the skip link comes first and leads to the content', async () => {
    const { context, page } = await newPage(e2e)
    await logIn(page, 'jan')
    await page.keyboard.press('Tab')
    const focused = await page.evaluate('document.activeElement?.textContent?.trim()')
    expect(focused).toBe('Direct naar de inhoud')
    await page.keyboard.press('Enter')
    // Following a fragment link is a navigation Chromium may finish after the key press returns.
    await page.waitForURL((url) => url.hash === '#main', { timeout: 5_000 })
    expect(new URL(page.url()).hash).toBe('#main')
    await context.close()
  })
})
