// Browser tests: the app on a private demo database, served on a free local port, driven through
// playwright-core in Debian's Chromium (/usr/bin/chromium), with axe-core checking every page.
import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { currentTotp } from '../../../src/shared/totp.ts'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { ACCOUNTS, allowTotpAgain, createTestApp, type AccountName, type TestApp } from '../../helpers/app.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]
/**
 * Where the screenshots go: test-results/screenshots (ignored by git), so a test run leaves the clone
 * clean; the README's docs/screenshots only with UPDATE_SCREENSHOTS=1.
 */
export const screenshotsDir = path.resolve(
  import.meta.dirname,
  '../../..',
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots',
)

export type E2e = { t: TestApp; baseUrl: string; browser: Browser; close: () => Promise<void> }

/** The running app's test database, so logIn can clear the TOTP replay marker (see allowTotpAgain). */
let currentDatabase: TestApp['database'] | undefined

export async function startE2e(): Promise<E2e> {
  const t = await createTestApp({ env: { BASE_URL: 'http://127.0.0.1' } })
  currentDatabase = t.database
  const server: Server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close().catch(() => {})
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await t.close()
    },
  }
}

export async function newPage(
  e2e: E2e,
  options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e2e.browser.newContext({
    baseURL: e2e.baseUrl,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: 'nl-NL',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.setDefaultNavigationTimeout(15_000)
  return { context, page }
}

/** Axe (WCAG 2.0/2.1 A and AA) must report no violation on the page as it is now. Needs JavaScript on in the context. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    url: page.url(),
  }))
  expect(violations).toEqual([])
}

export async function logIn(page: Page, account: AccountName): Promise<void> {
  const { email, totp } = ACCOUNTS[account]
  if (currentDatabase) await allowTotpAgain(currentDatabase.db, email)
  await page.goto('/inloggen')
  await page.getByLabel('E-mailadres').fill(email)
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD)
  if (totp) await page.getByLabel('Verificatiecode').fill(currentTotp(totp))
  await page.getByRole('button', { name: 'Inloggen' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/inloggen'))
}

/** Saves <screenshotsDir>/<name>-desktop.png and -phone.png of the current page. */
export async function saveScreenshots(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true })
  const original = page.viewportSize()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.screenshot({ path: path.join(screenshotsDir, `${name}-desktop.png`), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: path.join(screenshotsDir, `${name}-phone.png`), fullPage: true })
  if (original) await page.setViewportSize(original)
}

/** No catalogue key (e.g. "mandates:list.title") is shown instead of its text. */
export async function expectNoRawKeys(page: Page): Promise<void> {
  const text = await page.locator('body').innerText()
  expect(text.match(/\b[a-z]+:[a-zA-Z]+\.[\w.]+\b/g) ?? []).toEqual([])
}

/** The checks every visited page gets: axe (WCAG 2.0, 2.1 and 2.2 A/AA) and no raw catalogue keys. */
export async function checkPage(page: Page): Promise<void> {
  await expectNoRawKeys(page)
  await expectAccessible(page)
}

/** A new context and page, logged in as the account. */
export async function signedIn(
  e2e: E2e,
  account: AccountName,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(e2e, options)
  await logIn(opened.page, account)
  return opened
}

/** After a refused form: the title starts with "Fout:", the summary has the focus (with JS) and links to the field. */
export async function expectErrorSummary(page: Page, options: { focus?: boolean } = {}): Promise<void> {
  await expect.poll(() => page.title()).toMatch(/^Fout: /)
  const summary = page.locator('#error-summary')
  expect(await summary.count()).toBe(1)
  const hrefs = await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  expect(hrefs.length).toBeGreaterThan(0)
  for (const href of hrefs) expect(await page.locator(href).count(), `target of ${href}`).toBe(1)
  if (options.focus ?? true) await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('error-summary')
}

// Evaluated in the page (strings: the project's TypeScript has no DOM types).
const FOCUSED = `(() => {
  const a = document.activeElement
  if (!a) return null
  const label = a.getAttribute('aria-label') ?? (a.labels && a.labels[0] ? a.labels[0].textContent ?? '' : '')
  return { tag: a.tagName.toLowerCase(), type: a.type ?? '', text: (a.textContent ?? '').trim(), label: label.trim(), name: a.name ?? '', value: a.value ?? '' }
})()`
const FOCUSED_RADIO_LABEL = `(() => {
  const a = document.activeElement
  return a && a.type === 'radio' && a.labels && a.labels[0] ? (a.labels[0].textContent ?? '').trim() : null
})()`

/** Presses Tab (or Shift+Tab) until the focused element matches, and returns; fails after `max` presses. */
export async function tabTo(
  page: Page,
  matches: (el: { tag: string; type: string; text: string; label: string; name: string; value: string }) => boolean,
  options: { back?: boolean; max?: number } = {},
): Promise<void> {
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab')
    const el = await page.evaluate<Parameters<typeof matches>[0] | null>(FOCUSED)
    if (el && matches(el)) return
  }
  throw new Error('tabTo: no matching element reached with the keyboard')
}

/** In a focused radio group, presses ArrowDown until the radio labelled `label` is focused (and so checked). */
export async function arrowToRadio(page: Page, label: string | RegExp, max = 60): Promise<void> {
  const labelOf = () => page.evaluate<string | null>(FOCUSED_RADIO_LABEL)
  const ok = (text: string | null) => text !== null && (typeof label === 'string' ? text === label : label.test(text))
  for (let i = 0; i < max; i++) {
    const current = await labelOf()
    if (ok(current)) {
      await page.keyboard.press('Space')
      return
    }
    await page.keyboard.press('ArrowDown')
  }
  throw new Error(`arrowToRadio: no radio labelled ${String(label)}`)
}
