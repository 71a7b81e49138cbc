// Issue 19: the screenshot review. Not a check (it asserts nothing beyond "the page loads"): with
// SHOTS=/tmp/shots it logs in as the demo admin, the back office and a plain user, visits one page per
// route pattern the crawler reaches (plus the error pages) in nl and in en, and saves full-page
// screenshots there for a person to look at. Without SHOTS it is skipped.
//   SHOTS=/tmp/shots npx vitest run --config vitest.e2e.config.ts tests/e2e/screenshotReview.test.ts
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccountName } from '../helpers/app.ts'
import { crawl } from '../helpers/crawl.ts'
import { signedIn, startE2e, type E2e } from './helpers/browser.ts'

const DIR = process.env.SHOTS ?? ''
let e2e: E2e
beforeAll(async () => {
  if (DIR) e2e = await startE2e()
})
afterAll(async () => {
  await e2e?.close()
})

const START: Partial<Record<AccountName, string[]>> = {
  sanne: ['/overzicht', '/beheer/machtigingen', '/mijn-gegevens', '/hulp'],
  backoffice: ['/overzicht', '/backoffice', '/backoffice/mail', '/backoffice/organisaties'],
  jan: ['/overzicht', '/mijn-gegevens'],
}
const EXTRA = ['/bestaat-niet', '/beheer/gebruikers/%E0%A4%A']

/** One URL per route shape: ids and query values folded, so a list is shown once, not per row. */
const shape = (url: string) => url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/=[^&]*/g, '=')

describe.skipIf(!DIR)('screenshot review (issue 19)', () => {
  for (const account of Object.keys(START) as AccountName[]) {
    it(`${account}: every page in nl and en`, async () => {
      const { context, page } = await signedIn(e2e, account)
      const urls: string[] = []
      const shapes = new Set<string>()
      const agent = e2e.t.agent()
      await e2e.t.loginAs(account).then(async (a) => {
        await crawl(a, START[account]!, (url) => {
          const key = `${url.pathname}${url.search}`
          if (!shapes.has(shape(key))) {
            shapes.add(shape(key))
            urls.push(key)
          }
        })
      })
      void agent
      urls.push(...EXTRA)
      mkdirSync(DIR, { recursive: true })
      const index: string[] = []
      for (const lang of ['nl', 'en']) {
        await context.addCookies([{ name: 'bm.lang', value: lang, url: e2e.baseUrl }])
        for (const [i, url] of urls.entries()) {
          const response = await page.goto(url)
          const file = `${account}-${lang}-${String(i).padStart(3, '0')}.png`
          await page.screenshot({ path: path.join(DIR, file), fullPage: true })
          index.push(`${file}\t${response?.status()}\t${url}`)
        }
      }
      const { writeFileSync } = await import('node:fs')
      writeFileSync(path.join(DIR, `${account}-index.txt`), index.join('\n'))
      expect(index.length).toBeGreaterThan(0)
      await context.close()
    }, 900_000)
  }
})
