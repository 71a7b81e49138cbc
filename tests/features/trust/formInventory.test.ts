// Issue 19 (g): every <form method="post"> the crawler reaches as the demo admins, the back office and
// a plain user has a form-fill test (formCoverage.ts), so a new form cannot slip in untested.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paths } from '../../../src/paths.ts'
import { createTestApp, type AccountName, type TestApp } from '../../helpers/app.ts'
import { crawl } from '../../helpers/crawl.ts'
import { appRoutes } from '../../security/routes.ts'
import { FORM_FILL_TESTS, NOT_FILLED } from './formCoverage.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

/** Every route pattern in paths.ts by its dotted name ('mandates.bulkRenew'). */
function patterns(tree: object, prefix = ''): [string, RegExp][] {
  return Object.entries(tree).flatMap(([key, value]): [string, RegExp][] => {
    const name = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') return [[name, new RegExp(`^${value.replace(/:\w+/g, '[^/]+')}$`)]]
    return patterns(value as object, name)
  })
}
const ROUTES = patterns(paths)
const nameOf = (action: string) => ROUTES.find(([, re]) => re.test(action.split('?')[0]!))?.[0] ?? `unknown ${action}`

const START: Record<AccountName, string[]> = {
  sanne: ['/overzicht', '/beheer/machtigingen', '/mijn-gegevens'],
  pieter: ['/overzicht', '/beheer/machtigingen'],
  johan: ['/overzicht', '/beheer/ketenmachtigingen', '/beheer/wie-mag-wat'],
  backoffice: ['/overzicht', '/backoffice', '/backoffice/mail', '/backoffice/organisaties'],
  jan: ['/overzicht', '/mijn-gegevens'],
}

describe('form inventory (issue 19)', () => {
  it('When every POST form the demo accounts can reach is listed, then each has a form-fill test that names its action', async () => {
    const found = new Map<string, string>()
    for (const account of Object.keys(START) as AccountName[]) {
      const agent = await t.loginAs(account)
      await crawl(agent, START[account], (url, $) => {
        $('form').each((_i, el) => {
          if (($(el).attr('method') ?? 'get').toLowerCase() !== 'post') return
          const name = nameOf($(el).attr('action') || url.pathname)
          if (!found.has(name)) found.set(name, `${account} on ${url.pathname}`)
        })
      })
    }
    if (process.env.FORMS_DEBUG) console.log([...found].map(([k, v]) => `${k}\t${v}`).join('\n'))
    const untested = [...found].filter(([name]) => !(name in FORM_FILL_TESTS)).map(([name, where]) => `${name} (${where})`)
    expect(untested).toEqual([])
    expect(found.size).toBeGreaterThan(20)
    const unnamed = Object.entries(FORM_FILL_TESTS).filter(([name, file]) => !readFileSync(new URL(file, import.meta.url), 'utf8').includes(`paths.${name}`))
    expect(unnamed).toEqual([])
  }, 600_000)

  it('When every POST route of the portal is listed, then each has a form-fill test or is named as not filled, with the reason', () => {
    const portal = appRoutes(t.app).filter((r) => r.method === 'POST' && !/^\/(api|scim|oauth|dev)\b/.test(r.path))
    const names = [...new Set(portal.map((r) => nameOf(r.path.replace(/:(\w+)/g, 'x'))))]
    expect(names.filter((n) => !(n in FORM_FILL_TESTS) && !(n in NOT_FILLED))).toEqual([])
    expect(Object.keys(NOT_FILLED).filter((n) => n in FORM_FILL_TESTS)).toEqual([])
  })
})
