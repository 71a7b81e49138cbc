// API-referentie in Chromium: reached from API-koppelingen, every operation of the OpenAPI document
// listed with a working in-page link, and axe passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { OPERATIONS, openApiPath } from '../../src/features/api/openapi.ts'
import { checkPage, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

describe('API reference in Chromium', () => {
  it('When the admin follows the link on API-koppelingen, then the reference lists every operation of the document and passes axe', async () => {
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.goto(links.apiClients())
    await page.getByRole('link', { name: /API-referentie/ }).click()
    expect(new URL(page.url()).pathname).toBe(links.apiReference())
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('API-referentie')
    const nav = page.getByRole('navigation', { name: 'Endpoints' })
    expect(await nav.getByRole('link').count()).toBe(OPERATIONS.length)
    for (const op of OPERATIONS) expect(await page.locator(`#${op.id}`).textContent()).toBe(`${op.method.toUpperCase()} ${openApiPath(op.path)}`)
    await nav.getByRole('link', { name: 'POST /api/v1/mandates/batch' }).click()
    expect(new URL(page.url()).hash).toBe('#batchMandates')
    await checkPage(page)
    await context.close()
  })
})
