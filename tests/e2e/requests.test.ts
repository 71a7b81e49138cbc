// Verzoeken → "Nieuw verzoek" (the seed FAQ's bv 1 / bv 2 example), Aanvragen, Mijn gegevens and the back
// office in Chromium, with the error path, axe on every page and the English texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPage, expectErrorSummary, expectNoRawKeys, saveScreenshots, signedIn, startE2e, type E2e } from './helpers/browser.ts'

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

describe('Verzoeken, Aanvragen, Mijn gegevens, Backoffice', () => {
  it('When the admin clicks "Opnieuw versturen" on an open request, then the mail goes again; the fourth time within the hour a Dutch message says nothing was sent', async () => {
    const db = e2e.t.database.db
    const holding = await db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const sanne = await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const sophie = await db.user.findFirstOrThrow({ where: { emailKey: 'sophie.kramer@demo.example' } })
    const request = await db.linkRequest.create({
      data: { userId: sophie.id, email: sophie.email, organisationId: holding.id, requestedById: sanne.id, expiresAt: new Date(Date.now() + 30 * 86_400_000) },
    })
    const mails = () => db.outgoingMail.count({ where: { template: 'link-request', toAddress: sophie.email } })
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click()
    await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Verzoeken' }).click()
    expect(await page.locator('tbody').innerText()).toContain(sophie.email)
    const resend = page.locator('tr', { hasText: sophie.email }).getByRole('button', { name: /^Opnieuw versturen/ })
    for (let i = 1; i <= 3; i++) {
      await resend.click()
      await expect.poll(() => page.locator('.bm-alert').innerText()).toContain('Het verzoek is opnieuw verstuurd.')
      expect(await mails()).toBe(i)
    }
    await checkPage(page)
    await resend.click()
    await expect
      .poll(() => page.locator('.bm-alert').innerText())
      .toContain('Deze e-mail is het afgelopen uur al 3 keer opnieuw verstuurd. Er is niets verstuurd')
    expect(await mails()).toBe(3)
    expect(await db.auditEvent.count({ where: { action: 'link_request.resent', subjectId: request.id } })).toBe(3)
    await checkPage(page)
    await context.close()
  })

  it('When the admin sends a "Nieuw verzoek" for a user of his other organisation, then a bad e-mail address is pointed out first and then the request is listed', async () => {
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click()
    await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Verzoeken' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Verzoeken')
    await checkPage(page)
    await saveScreenshots(page, 'verzoeken')
    await page.getByRole('link', { name: 'Nieuw verzoek' }).click()
    await checkPage(page)
    await page.getByLabel('Organisatie').selectOption({ label: 'De Vries Holding B.V.' })
    await page.getByLabel('E-mailadres van de gebruiker').fill('geen-e-mailadres')
    await page.getByRole('button', { name: 'Verzoek versturen' }).click()
    await expectErrorSummary(page)
    expect(await page.getByLabel('E-mailadres van de gebruiker').inputValue()).toBe('geen-e-mailadres')
    await checkPage(page)
    await page.getByLabel('E-mailadres van de gebruiker').fill('mark.visser@demo.example')
    await page.getByRole('button', { name: 'Verzoek versturen' }).click()
    await expect.poll(() => page.locator('.bm-alert[role="status"]').innerText()).toContain('mark.visser@demo.example')
    expect(await page.locator('tbody').innerText()).toContain('mark.visser@demo.example')
    await checkPage(page)

    await page.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Aanvragen' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Aanvragen')
    await checkPage(page)
    await saveScreenshots(page, 'aanvragen')

    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Mijn gegevens' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Mijn gegevens')
    await checkPage(page)
    await saveScreenshots(page, 'mijn-gegevens')
    await context.close()
  })

  it('When the back office logs in, then the identity checks page passes axe', async () => {
    const { context, page } = await signedIn(e2e, 'backoffice')
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Backoffice' }).click()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Identiteitscontroles')
    await checkPage(page)
    await saveScreenshots(page, 'backoffice')
    await context.close()
  })

  it('When the admin switches to English, then every Beheer page and a refused form are in English without raw keys, and the choice holds', async () => {
    const { context, page } = await signedIn(e2e, 'pieter')
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    for (const path of [
      '/overzicht',
      '/mijn-gegevens',
      '/beheer/machtigingen?inactief=1',
      '/beheer/machtigingen/nieuw/organisatie',
      '/beheer/gebruikers',
      '/beheer/gebruikers/toevoegen',
      '/beheer/verzoeken',
      '/beheer/verzoeken/nieuw',
      '/beheer/aanvragen',
      '/beheer/machtigingen/verlengen',
    ]) {
      await page.goto(path)
      expect(await page.locator('html').getAttribute('lang'), path).toBe('en')
      await expectNoRawKeys(page)
    }
    await page.goto('/beheer/verzoeken/nieuw')
    await page.getByRole('button', { name: 'Send request' }).click()
    await expect.poll(() => page.title()).toMatch(/^Error: /)
    await checkPage(page)
    await page.getByRole('button', { name: 'Nederlands' }).click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nl')
    await context.close()
  })
})
