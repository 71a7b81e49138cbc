// Issue 19 (trust) in Chromium: pages that tell the truth, with axe on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, logIn, newPage, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

describe('trust (issue 19)', () => {
  it('When an admin reads an ordinary list on Overzicht, then its bullets are not red; a malformed address gets a 400 page that says what was wrong', async () => {
    const { context, page } = await newPage(e2e)
    await logIn(page, 'sanne')
    await page.goto('/overzicht')
    const marker = String(await page.evaluate("getComputedStyle(document.querySelector('main ul.utrecht-unordered-list li'), '::marker').color"))
    const [r, g, b] = marker.match(/\d+/g)!.map(Number)
    expect(r! - Math.max(g!, b!)).toBeLessThan(60)
    await expectAccessible(page)
    const response = await page.goto('/beheer/gebruikers/%E0%A4%A')
    expect(response?.status()).toBe(400)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ongeldig verzoek')
    expect(await page.locator('main').textContent()).toContain('Het webadres bevat tekens')
    await expectAccessible(page)
    await context.close()
  })

  it('When an admin opens an application from Aanvragen, then its page says what signing means before "Ondertekenen"; the upgrade shows a confirmation page; Logboek reads as sentences; all pass axe', async () => {
    const { context, page } = await newPage(e2e)
    await logIn(page, 'sanne')
    await page.goto('/beheer/aanvragen')
    await page
      .getByRole('link', { name: /^Ondertekenen/ })
      .first()
      .click()
    await expect.poll(() => page.locator('main').textContent()).toContain('Met uw handtekening verklaart u')
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Ondertekenen' }).click()
    await expect.poll(() => page.locator('.utrecht-alert, [role="status"]').first().textContent()).toContain('U heeft de aanvraag ondertekend')
    await expectAccessible(page)
    const jan = await e2e.t.database.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    await page.goto(`/beheer/gebruikers/${jan.id}`)
    await page.getByLabel('Nieuw betrouwbaarheidsniveau').selectOption('EH3')
    await page.getByRole('button', { name: 'Upgrade aanvragen' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Upgrade controleren en ondertekenen')
    await expectAccessible(page)
    await page.goto('/beheer/logboek')
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain('Sanne de Vries heeft de aanvraag')
    expect(main).not.toMatch(/application\.signed_by_admin|\{"/)
    await expectAccessible(page)
    await context.close()
  })

  it('When an admin opens the renew and activate pages of an active mandate, then only allowed terms are offered with the reason, and activate offers renewing instead; both pass axe', async () => {
    const { context, page } = await newPage(e2e)
    await logIn(page, 'sanne')
    const mandate = await e2e.t.database.db.mandate.findFirstOrThrow({
      where: { status: 'active', kind: 'use', level: { in: ['EH2', 'EH2_PLUS', 'EH3'] }, organisation: { name: 'Bakkerij De Vries B.V.' } },
    })
    await page.goto(`/beheer/machtigingen/${mandate.id}/verlengen`)
    expect(await page.getByLabel(/^5 jaar/).count()).toBe(0)
    expect(await page.locator('main').textContent()).toMatch(/Niet aangeboden: [^.]*5 jaar/)
    await expectAccessible(page)
    await page.goto(`/beheer/machtigingen/${mandate.id}/activeren`)
    expect(await page.getByRole('button', { name: 'Activeren' }).count()).toBe(0)
    await page.getByRole('link', { name: 'Machtiging verlengen' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/beheer/machtigingen/${mandate.id}/verlengen`)
    await expectAccessible(page)
    await context.close()
  })

  it('When the admin ticks "Toon niet gekoppelde gebruikers" in the wizard, then the list updates at once (JavaScript, CSP nonce) and a search narrows it; the page passes axe', async () => {
    const { context, page } = await newPage(e2e)
    await logIn(page, 'sanne')
    await page.goto('/beheer/machtigingen/nieuw')
    await page.getByLabel('De Vries Holding B.V.').check()
    await page.getByRole('button', { name: 'Volgende' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/beheer/machtigingen/nieuw/gebruiker')
    await page.getByLabel('Toon niet gekoppelde gebruikers').check()
    await expect.poll(() => new URL(page.url()).searchParams.get('toonNietGekoppeld')).toBe('1')
    await expect.poll(() => page.getByText('(niet gekoppeld)').count()).toBeGreaterThan(0)
    await expectAccessible(page)
    await page.getByLabel('Zoek op naam of e-mailadres').fill('visser')
    await page.getByLabel('Zoek op naam of e-mailadres').press('Enter')
    await expect.poll(() => new URL(page.url()).searchParams.get('zoek')).toBe('visser')
    const names = await page.locator('input[name="userId"]').count()
    expect(names).toBeGreaterThan(0)
    expect(await page.locator('main').textContent()).toContain('Visser')
    await expectAccessible(page)
    await context.close()
  })
})
