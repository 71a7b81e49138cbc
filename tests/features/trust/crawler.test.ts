// Issue 19 (g): a crawler logs in as the demo admin and as the back office, follows every link it can
// reach (no logout, no state-changing forms; GET forms are submitted as rendered) and fails on any
// answer of 400 or more; for a link that carries a filter, every listed row must match it.
import type * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { crawl } from '../../helpers/crawl.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

/** The filter a link carries, checked against the rows the page lists. */
function filterProblems(url: URL, $: cheerio.CheerioAPI): string[] {
  const problems: string[] = []
  const rows = $('main tbody tr').toArray()
  const actie = url.searchParams.get('actie')
  if (url.pathname === '/beheer/logboek' && actie) {
    for (const row of rows) if ($(row).attr('data-action') !== actie) problems.push(`${url.pathname}${url.search}: row ${$(row).attr('data-action')}`)
  }
  for (const param of ['organisatie', 'status']) {
    const value = url.searchParams.get(param)
    if (!value) continue
    const select = $(`main select[name="${param}"]`)
    if (select.length === 0) continue
    const selected = select.find('option[selected]')
    if (selected.attr('value') !== value) {
      problems.push(`${url.pathname}${url.search}: the ${param} filter shows "${selected.text()}", not ${value}`)
      continue
    }
    const label = selected.text().trim()
    for (const row of rows) {
      if (!$(row).text().includes(label))
        problems.push(`${url.pathname}${url.search}: a row without "${label}": ${$(row).text().replace(/\s+/g, ' ').slice(0, 120)}`)
    }
  }
  return problems
}

describe('crawler (issue 19)', () => {
  it('When the demo admin follows every link and filter form he can reach, then no page answers 400 or more and filtered lists show only matching rows', async () => {
    const agent = await t.loginAs('sanne')
    const { failures, pages } = await crawl(agent, ['/overzicht', '/beheer/machtigingen', '/mijn-gegevens'], filterProblems)
    expect(failures).toEqual([])
    expect(pages).toBeGreaterThan(30)
  }, 300_000)

  it('When the back office follows every link and filter form it can reach, then no page answers 400 or more', async () => {
    const agent = await t.loginAs('backoffice')
    const { failures, pages } = await crawl(agent, ['/overzicht', '/backoffice', '/backoffice/mail', '/beheer/logboek'], filterProblems)
    expect(failures).toEqual([])
    expect(pages).toBeGreaterThan(5)
  }, 300_000)
})
