import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

function current(html: string, navClass: string): string[] {
  const start = html.indexOf(`<nav class="${navClass}"`)
  if (start < 0) return []
  const nav = html.slice(start, html.indexOf('</nav>', start))
  return [...nav.matchAll(/<a [^>]*aria-current="page"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!)
}

describe('Beheer sub-tabs', () => {
  it("When an admin opens each Beheer page, then the five sub-tabs are there and the page's own is marked current", async () => {
    const sanne = await t.loginAs('sanne')
    const pages: [string, string][] = [
      ['/beheer/machtigingen', 'Machtigingen'],
      ['/beheer/machtigingen/nieuw/organisatie', 'Machtigingen'],
      ['/beheer/gebruikers', 'Gebruikers'],
      ['/beheer/gebruikers/toevoegen', 'Gebruikers'],
      ['/beheer/verzoeken', 'Verzoeken'],
      ['/beheer/verzoeken/nieuw', 'Verzoeken'],
      ['/beheer/aanvragen', 'Aanvragen'],
      ['/beheer/aanvragen/beheerder', 'Aanvragen'],
      ['/beheer/logboek', 'Logboek'],
    ]
    for (const [path, tab] of pages) {
      const page = await sanne.get(path)
      expect(page.status, path).toBe(200)
      for (const label of ['Machtigingen', 'Gebruikers', 'Verzoeken', 'Aanvragen', 'Logboek']) expect(page.text, path).toContain(`>${label}</a>`)
      expect(current(page.text, 'bm-subtabs'), path).toEqual([tab])
      expect(current(page.text, 'bm-tabs'), path).toEqual(['Beheer'])
    }
  })
})

describe('Logboek', () => {
  it('When an admin opens Logboek, then he sees the changes at his own organisations only (rules 7, 14)', async () => {
    const sanne = await t.loginAs('sanne')
    const holding = await t.services.db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    await postForm(sanne, '/beheer/verzoeken/nieuw', '/beheer/verzoeken/nieuw', { organisationId: holding.id, email: 'sophie.kramer@demo.example' })
    const page = await sanne.get('/beheer/logboek')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Sanne de Vries heeft Sophie Kramer gevraagd zich te koppelen aan De Vries Holding B.V.')
    const pieter = await t.loginAs('pieter')
    const his = await pieter.get('/beheer/logboek')
    expect(his.status).toBe(200)
    expect(his.text).not.toContain('De Vries Holding B.V.</td>')
    expect(his.text).not.toContain('Sophie Kramer gevraagd')
    expect((await pieter.get('/beheer/logboek?voor=abc')).status).toBe(200)
  })

  it('When a plain user opens Logboek, then it does not exist for him', async () => {
    const jan = await t.loginAs('jan')
    expect((await jan.get('/beheer/logboek')).status).toBe(404)
  })
})

describe('Backoffice sub-tabs', () => {
  it('When the back office opens its pages, then both are reachable from the sub-navigation and the current one is marked; the dev mailbox is not offered', async () => {
    const backoffice = await t.loginAs('backoffice')
    for (const [path, tab] of [
      ['/backoffice', 'Identiteitscontroles'],
      ['/backoffice/mail', 'Uitgaande e-mail'],
    ] as const) {
      const page = await backoffice.get(path)
      expect(page.status, path).toBe(200)
      expect(page.text).toContain('href="/backoffice/mail"')
      expect(page.text).not.toContain('href="/dev/mailbox"')
      expect(current(page.text, 'bm-subtabs'), path).toEqual([tab])
      expect(current(page.text, 'bm-tabs'), path).toEqual(['Backoffice'])
    }
  })
})
