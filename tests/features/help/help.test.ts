// Hulp, the statements and contact: open to everyone, linked from every page's footer, the supplier
// from the settings, a search that takes any characters, and "Hoe werkt dit?" on the Beheer pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guides, searchGuides } from '../../../src/features/help/content.ts'
import { LOCALES } from '../../../src/i18n/index.ts'
import { links } from '../../../src/paths.ts'
import { HELP_TOPIC_SLUGS, helpTopicFor } from '../../../src/web/helpTopics.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ env: { SUPPLIER_NAME: 'Testleverancier B.V.', SUPPLIER_EMAIL: 'hulp@test.example', SUPPLIER_PHONE: '010 765 43 21' } })
})
afterAll(async () => {
  await t.close()
})

describe('help and statements', () => {
  it('When anyone opens the login page, then its footer links to help, contact, privacy and accessibility', async () => {
    const page = await t.agent().get(links.login())
    for (const href of [links.help(), links.contact(), links.privacy(), links.accessibility()]) expect(page.text).toContain(`href="${href}"`)
  })

  it('When the statements and contact page are opened, then they name the supplier from the settings, in Dutch and English', async () => {
    const agent = t.agent()
    const privacy = await agent.get(links.privacy())
    expect(privacy.status).toBe(200)
    expect(privacy.text).toContain('Testleverancier B.V.')
    const accessibility = await agent.get(links.accessibility())
    for (const heading of ['Status', 'Wat hebben wij getest en hoe', 'Bekende problemen', 'Contact']) expect(accessibility.text).toContain(heading)
    expect(accessibility.text).toContain('hulp@test.example')
    const contact = await agent.get(links.contact())
    expect(contact.text).toContain('href="tel:0107654321"')
    const english = await t.agent().get(links.accessibility()).set('Cookie', 'bm.lang=en')
    expect(english.text).toContain('Accessibility statement')
  })

  it('When the help is searched for "alle", then the guide for new mandates is found; other words narrow it down', async () => {
    const page = await t.agent().get(links.help({ zoek: 'alle' }))
    expect(page.status).toBe(200)
    expect(page.text).toContain(`href="${links.helpGuide('machtigingen-aanvragen')}"`)
    expect(searchGuides('nl', 'CSV kopregel').map((g) => g.slug)).toEqual(['gebruikers-toevoegen'])
    expect(searchGuides('nl', 'VERLENGEN').map((g) => g.slug)[0]).toBe('machtigingen-verlengen')
    expect(searchGuides('nl', 'geen-woord-dat-bestaat')).toEqual([])
  })

  it('When the search holds odd characters, then the page answers 200 with them escaped, and a too long one gets a message next to the field', async () => {
    const agent = t.agent()
    for (const odd of ['<script>alert(1)</script>', "'; drop table users; --", '.*(+[', '%00\u202e\u200b', '😀 ÄÖÜ', '\\']) {
      const page = await agent.get(links.help()).query({ zoek: odd })
      expect(page.status, odd).toBe(200)
      expect(page.text).not.toContain('<script>alert(1)</script>')
    }
    // A NUL byte is refused before any handler, on every route (src/middleware/setUpRequestParsing.ts).
    expect((await agent.get(links.help()).query({ zoek: 'a\u0000b' })).status).toBe(400)
    const long = await agent.get(links.help()).query({ zoek: 'x'.repeat(101) })
    expect(long.status).toBe(200)
    expect(long.text).toContain('Gebruik een zoekterm van hoogstens 100 tekens')
    expect(long.text).toContain('aria-invalid="true"')
  })

  it('When a guide that does not exist is asked for, then the answer is 404', async () => {
    expect((await t.agent().get(links.helpGuide('bestaat-niet'))).status).toBe(404)
    expect((await t.agent().get('/hulp/..%2Fetc')).status).toBe(404)
  })

  it('When the pages link to guides, then every guide exists in every language with steps', () => {
    for (const locale of LOCALES) {
      const slugs = guides(locale).map((g) => g.slug)
      for (const slug of HELP_TOPIC_SLUGS) expect(slugs, `${locale}: ${slug}`).toContain(slug)
      for (const g of guides(locale)) expect(g.steps.length, g.slug).toBeGreaterThan(1)
    }
    expect(helpTopicFor('/beheer/machtigingen?status=active')).toBe('machtigingen')
    expect(helpTopicFor('/beheer/machtigingen/nieuw/diensten')).toBe('machtigingen-aanvragen')
    expect(helpTopicFor('/beheer/machtigingen/3f1c/intrekken')).toBe('machtiging-intrekken')
    expect(helpTopicFor('/beheer/gebruikers/toevoegen/bestand')).toBe('gebruikers-toevoegen')
    expect(helpTopicFor('/beheer/machtigingenx')).toBeUndefined()
    expect(helpTopicFor('/overzicht')).toBeUndefined()
  })

  it('When an admin opens a Beheer page, then "Hoe werkt dit?" links to its guide', async () => {
    const agent = await t.loginAs('sanne')
    const page = await agent.get(links.mandates())
    expect(page.text).toContain(`<a class="utrecht-link" href="${links.helpGuide('machtigingen')}">Hoe werkt dit?</a>`)
    const users = await agent.get(links.usersAdd())
    expect(users.text).toContain(`href="${links.helpGuide('gebruikers-toevoegen')}"`)
  })
})
