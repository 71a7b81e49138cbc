// Browser tests: the app on a private demo database, served on a free local port, driven through
// playwright-core in Debian's Chromium (/usr/bin/chromium), with axe-core checking every page.
import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { currentTotp } from '../../../src/features/auth/totp.ts'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { ACCOUNTS, createTestApp, type AccountName, type TestApp } from '../../helpers/app.ts'

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
export const screenshotsDir = path.resolve(import.meta.dirname, '../../../docs/screenshots')

export type E2e = { t: TestApp; baseUrl: string; browser: Browser; close: () => Promise<void> }

export async function startE2e(): Promise<E2e> {
  const t = await createTestApp({ env: { BASE_URL: 'http://127.0.0.1' } })
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

export async function newPage(e2e: E2e, options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
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
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
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
  await page.goto('/inloggen')
  await page.getByLabel('E-mailadres').fill(email)
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD)
  if (totp) await page.getByLabel('Verificatiecode').fill(currentTotp(totp))
  await page.getByRole('button', { name: 'Inloggen' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/inloggen'))
}

/** Saves docs/screenshots/<name>-desktop.png and -phone.png of the current page. */
export async function saveScreenshots(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true })
  const original = page.viewportSize()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.screenshot({ path: path.join(screenshotsDir, `${name}-desktop.png`), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: path.join(screenshotsDir, `${name}-phone.png`), fullPage: true })
  if (original) await page.setViewportSize(original)
}
