// The time-out warning in Chromium, by keyboard only: it takes the focus, is announced, "Blijf
// ingelogd" keeps the session without leaving the page; without JavaScript a time-out followed by
// logging in again returns to the page. And "Exporteren als CSV" on Machtigingen downloads the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { checkPage, logIn, saveScreenshots, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

describe('session time-out and export in Chromium', () => {
  it('When the warning opens, then it has the focus, passes axe, and Enter on "Blijf ingelogd" keeps the admin on the page', async () => {
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.goto(links.mandates({ inactief: '1' }))
    await page.evaluate('window.bmSessionTimeout.show()')
    const dialog = page.getByRole('alertdialog', { name: 'Blijft u ingelogd?' })
    await expect.poll(() => dialog.isVisible()).toBe(true)
    await expect.poll(() => page.evaluate('document.activeElement?.textContent?.trim()')).toBe('Blijf ingelogd')
    await checkPage(page)
    await saveScreenshots(page, 'sessie-verloopt')
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement?.textContent?.trim()')).toBe('Sluiten')
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement?.textContent?.trim()')).toBe('Blijf ingelogd')
    await page.keyboard.press('Enter')
    await expect.poll(() => dialog.isVisible()).toBe(false)
    await expect.poll(() => page.locator('#session-timeout-status').textContent()).toBe('U blijft ingelogd.')
    expect(new URL(page.url()).search).toBe('?inactief=1')
    await page.evaluate('window.bmSessionTimeout.show()')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.isVisible()).toBe(false)
    await context.close()
  })

  it('When JavaScript is off and the session timed out, then logging in again returns to the page', async () => {
    const { context, page } = await signedIn(e2e, 'sanne', { javaScriptEnabled: false })
    await e2e.t.database.db.$executeRaw`delete from session`
    await page.goto(links.mandates({ inactief: '1', niveau: 'EH3' }))
    expect(new URL(page.url()).pathname).toBe(links.login())
    await logIn(page, 'sanne')
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(links.mandates({ inactief: '1', niveau: 'EH3' }))
    await context.close()
  })

  it('When the admin clicks "Exporteren als CSV", then the filtered list downloads as a CSV file', async () => {
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.goto(links.mandates({ inactief: '1' }))
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporteren als CSV' }).click()])
    expect(download.suggestedFilename()).toMatch(/^machtigingen-\d{4}-\d{2}-\d{2}\.csv$/)
    await context.close()
  })
})
