// The screenshots in the help guides come from here (#18): each guide's page, as the demo admin sees
// it, 1024 × 640 CSS px. Written into public/help/screenshots (served under /assets, shown by the
// guide with alt text) only with UPDATE_SCREENSHOTS=1, so an ordinary run leaves `git status` clean;
// otherwise into test-results/help-screenshots. Each guide with a committed screenshot shows it.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../src/paths.ts'
import { helpTopicFor } from '../../src/web/helpTopics.ts'
import { screenshotOf } from '../../src/features/help/content.ts'
import { checkPage, signedIn, startE2e, type E2e } from './helpers/browser.ts'

const root = path.resolve(import.meta.dirname, '../..')
const outDir = path.join(root, process.env.UPDATE_SCREENSHOTS === '1' ? 'public/help/screenshots' : 'test-results/help-screenshots')

let e2e: E2e
beforeAll(async () => {
  e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

/** The page each guide explains (the guides of pages that need a chosen item are left without one). */
async function guidePages(): Promise<string[]> {
  const jan = await e2e.t.database.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
  return [
    links.mandates(),
    links.mandateWizard(),
    links.users(),
    links.usersAdd(),
    links.userDetail(jan.id),
    links.requests(),
    links.applications(),
    links.adminAppointment(),
    links.chains(),
    links.apiClients(),
    links.auditLog(),
  ]
}

describe('help screenshots', () => {
  it('When the browser tests run, then each guide gets a screenshot of its page, and a guide with one shows it with alt text', async () => {
    mkdirSync(outDir, { recursive: true })
    const { context, page } = await signedIn(e2e, 'sanne')
    await page.setViewportSize({ width: 1024, height: 640 })
    const written: string[] = []
    for (const pagePath of await guidePages()) {
      await page.goto(pagePath)
      const slug = helpTopicFor(new URL(page.url()).pathname)
      expect(slug, pagePath).toBeDefined()
      // The user page explains "nieuw middel"; its path matches the Gebruikers list's topic first.
      const name = pagePath.startsWith(links.users() + '/') && pagePath !== links.usersAdd() ? 'nieuw-middel' : slug!
      await page.screenshot({ path: path.join(outDir, `${name}.png`), scale: 'css' })
      written.push(name)
    }
    expect(new Set(written).size).toBe(written.length)
    for (const slug of written.filter((s) => screenshotOf(s))) {
      await page.goto(links.helpGuide(slug))
      const image = page.locator('figure.bm-screenshot img')
      expect(await image.getAttribute('alt'), slug).toMatch(/^Schermafbeelding van de pagina waar dit stappenplan over gaat: .+/)
      await expect
        .poll(
          () =>
            page.evaluate<number>(`(() => { const i = document.querySelector('figure.bm-screenshot img'); return i && i.complete ? i.naturalWidth : 0 })()`),
          { message: slug },
        )
        .toBe(1024)
    }
    await page.goto(links.helpGuide('machtigingen'))
    await checkPage(page)
    await context.close()
  })
})
