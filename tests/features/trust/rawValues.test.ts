// Issue 19 (screenshot review): an application's page showed the mandate kind as its code ("use")
// under "What is requested"; every listed fact must be words from the catalogue in both languages.
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pathFor, paths } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

/** Codes the app stores that must never be shown as such. */
const CODES = ['use', 'admin', 'renewal', 'all', 'provider', 'service', 'EH2_PLUS', 'new_means', 'admin_appointment']

describe('facts in words (issue 19)', () => {
  it('When an admin opens the applications of his organisations in nl and en, then no fact shows a stored code', async () => {
    const agent = await t.loginAs('sanne')
    const apps = await t.database.db.application.findMany({ where: { organisation: { name: { in: ['Bakkerij De Vries B.V.', 'De Vries Holding B.V.'] } } } })
    expect(apps.length).toBeGreaterThan(0)
    for (const lang of ['nl', 'en']) {
      agent.set('Cookie', `bm.lang=${lang}`)
      for (const app of apps) {
        const page = await agent.get(pathFor(paths.beheer.applicationDetail, { id: app.id }))
        if (page.status !== 200) continue
        const $ = cheerio.load(page.text)
        const values = $('main dl dd')
          .toArray()
          .map((dd) => $(dd).text().trim())
        expect(
          values.filter((v) => CODES.includes(v)),
          `${lang} ${app.type}`,
        ).toEqual([])
      }
    }
  })
})
