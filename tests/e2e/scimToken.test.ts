// SCIM token on API-koppelingen in Chromium: sanne creates it for a client, sees it once with the SCIM
// URL and where to paste both in Okta and Entra ID, copies it with the button, and revokes it; the page
// passes axe in each state, and the token works on /scim/v2 until it is revoked.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addYears, todayUtc } from '../../src/domain/dates.ts'
import { links, paths } from '../../src/paths.ts'
import { systemActor } from '../../src/shared/actor.ts'
import { checkPage, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

async function oktaClient(): Promise<string> {
  const { t } = e2e
  const sanne = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
  const principal = (await t.services.authService.loadPrincipal(sanne.id))!
  const organisation = principal.adminOrganisations.find((o) => o.name.startsWith('Bakkerij'))!
  const { client } = await t.services.apiClientsService.create(
    principal,
    { ...systemActor(), principal },
    { organisationId: organisation.id, name: 'Okta', scopes: ['users:read', 'users:write'], level: 'EH2_PLUS', validUntil: addYears(todayUtc(), 1) },
  )
  return client.id
}

describe('SCIM token in Chromium', () => {
  it('When sanne creates, copies and revokes a SCIM token on API-koppelingen, then each state passes axe and the token works until revoked', async () => {
    await oktaClient()
    const { context, page } = await signedIn(e2e, 'sanne')
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl })
    await page.goto(links.apiClients())
    await checkPage(page)

    await page.getByRole('button', { name: /^SCIM-token aanmaken\s*: Okta$/ }).click()
    const shown = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'SCIM-token van Okta' }) })
    await expect.poll(() => shown.count()).toBe(1)
    const token = (await page.locator('#scim-token').textContent())!.trim()
    expect(token).toMatch(/^bmst_/)
    expect(await page.locator('#scim-base-url').textContent()).toMatch(/\/scim\/v2$/)
    expect(await shown.getByRole('heading', { name: 'In Okta' }).count()).toBe(1)
    expect(await shown.getByRole('heading', { name: 'In Microsoft Entra ID' }).count()).toBe(1)
    await page.getByRole('button', { name: 'Kopiëren' }).click()
    await expect.poll(() => page.locator('[data-copy-status="scim-token"]').textContent()).toBe('Het token is gekopieerd')
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(token)
    await checkPage(page)

    const scimUsers = () => request(e2e.t.app).get(paths.scim.users).set('Authorization', `Bearer ${token}`)
    expect((await scimUsers()).status).toBe(200)

    // Shown once: the list again holds the date, not the token.
    await page.goto(links.apiClients())
    expect(await page.locator('body').innerText()).not.toContain(token)
    expect(await page.getByRole('row', { name: /Okta/ }).innerText()).toContain('SCIM-token sinds')

    await page.getByRole('button', { name: /^SCIM-token intrekken\s*: Okta$/ }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Het SCIM-token van Okta is ingetrokken' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: /^SCIM-token intrekken\s*: Okta$/ }).count()).toBe(0)
    await checkPage(page)
    expect((await scimUsers()).status).toBe(401)
    await context.close()
  })
})
