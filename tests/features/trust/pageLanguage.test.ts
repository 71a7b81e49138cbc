// Issue 19: every page the crawler reaches as the demo admin, the back office and a plain user, read in
// English and in Dutch: no catalogue key, template placeholder, "undefined", agreement error ("1 rows"),
// double full stop, and no Dutch interface words on an English page; the error pages too.
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type AccountName, type TestApp } from '../../helpers/app.ts'
import { crawl } from '../../helpers/crawl.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const START: Partial<Record<AccountName, string[]>> = {
  sanne: ['/overzicht', '/beheer/machtigingen', '/mijn-gegevens'],
  backoffice: ['/overzicht', '/backoffice', '/backoffice/mail', '/backoffice/organisaties'],
  johan: ['/overzicht', '/beheer/ketenmachtigingen'],
  jan: ['/overzicht', '/mijn-gegevens'],
}

/** Dutch interface words that no demo name, organisation or service contains. */
const DUTCH =
  /\b(machtiging(en)?|gebruikers?|aanvra(ag|gen)|niet|wordt|worden|terug|bevestig(en)?|opslaan|annuleren|verlengen|intrekken|ingetrokken|verlopen|geldig|bekijk|uw|jaar|maand|wacht|uitloggen|ingelogd|zoeken|alle|geen|kies|naar|referentie|pagina)\b/i
const EVERYWHERE: [string, RegExp][] = [
  ['catalogue key', /\b[a-z]+:[a-zA-Z]+\.[\w.]+\b/],
  ['placeholder', /\{\{|\}\}|\bundefined\b|\[object |\bNaN\b|Invalid Date/],
  ['double full stop', /[^.]\.\.(\s|$)/],
  ['agreement', /\b1 (rijen|gebruikers|middelen|machtigingen|dagen|jaren|rows|users|means|mandates|days|years)\b/],
]

function problems(lang: 'nl' | 'en', url: URL, $: cheerio.CheerioAPI): string[] {
  $('script, style, [lang="nl"], [hreflang]').remove()
  const where = `${lang} ${url.pathname}${url.search}`
  const found: string[] = []
  const text = $('body').text().replace(/\s+/g, ' ')
  for (const [what, re] of EVERYWHERE) {
    const m = re.exec(text)
    if (m) found.push(`${where}: ${what} "${text.slice(Math.max(0, m.index - 40), m.index + 40)}"`)
  }
  if (lang === 'en') {
    // Names and data (td, th of a row) may be Dutch; the interface around them may not.
    $('tbody, option, .bm-data, address').remove()
    const ui = $('body').text().replace(/\s+/g, ' ')
    const m = DUTCH.exec(ui)
    if (m) found.push(`${where}: Dutch "${ui.slice(Math.max(0, m.index - 40), m.index + 40)}"`)
  }
  return found
}

describe('every page in both languages (issue 19)', () => {
  for (const lang of ['en', 'nl'] as const) {
    it(`When the demo accounts read every page they can reach in ${lang}, then no page shows a raw key, a placeholder, an agreement error or${lang === 'en' ? ' Dutch interface text' : ' a double full stop'}`, async () => {
      const found: string[] = []
      for (const account of Object.keys(START) as AccountName[]) {
        const agent = await t.loginAs(account)
        agent.set('Cookie', `bm.lang=${lang}`)
        const seenShapes = new Set<string>()
        await crawl(agent, START[account]!, (url, $) => {
          const shape = `${url.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`
          if (seenShapes.has(shape)) return
          seenShapes.add(shape)
          found.push(...problems(lang, url, $))
        })
        // The error pages (not found, a malformed address) are reached by no link.
        for (const bad of ['/bestaat-niet', '/beheer/gebruikers/%E0%A4%A']) {
          const response = await agent.get(bad)
          found.push(...problems(lang, new URL(bad, 'http://portal.test'), cheerio.load(response.text)))
        }
      }
      expect([...new Set(found)]).toEqual([])
    }, 600_000)
  }
})
