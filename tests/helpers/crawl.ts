// Follows every same-site link and GET form (with each of its formaction buttons) a signed-in agent can reach (no logout, no POST), as the
// crawler test (tests/features/trust/crawler.test.ts) and the form inventory do.
//   const { failures, pages } = await crawl(agent, ['/overzicht'], (url, $) => { ... })
import * as cheerio from 'cheerio'
import type { Agent } from './app.ts'
import { readForm } from './forms.ts'

const SKIP = [/^\/uitloggen/, /^\/assets\//, /^\/taal/, /^\/dev\//]
/** At most this many variants (query strings) per path, so keyset pages do not run on forever. */
const VARIANTS_PER_PATH = 12
const MAX_PAGES = 400

export type PageVisitor = (url: URL, $: cheerio.CheerioAPI) => string[] | void

/** Visits every page reachable from `start`; `visit` sees each HTML page and returns its problems. */
export async function crawl(agent: Agent, start: string[], visit: PageVisitor = () => {}) {
  const seen = new Set<string>()
  const perPath = new Map<string, number>()
  const queue = [...start]
  const failures: string[] = []
  while (queue.length && seen.size < MAX_PAGES) {
    const href = queue.shift()!
    const url = new URL(href, 'http://portal.test')
    const key = `${url.pathname}${url.search}`
    if (seen.has(key) || SKIP.some((p) => p.test(url.pathname))) continue
    const variants = perPath.get(url.pathname) ?? 0
    if (variants >= VARIANTS_PER_PATH) continue
    perPath.set(url.pathname, variants + 1)
    seen.add(key)
    const response = await agent.get(key)
    if (response.status >= 400) {
      failures.push(`${response.status} ${key}`)
      continue
    }
    if (response.status >= 300) {
      if (response.headers.location) queue.push(String(response.headers.location))
      continue
    }
    if (!String(response.headers['content-type']).includes('text/html')) continue
    const $ = cheerio.load(response.text)
    failures.push(...(visit(url, $) ?? []))
    $('a[href]').each((_i, a) => {
      const next = $(a).attr('href')!
      if (next.startsWith('/') && !next.startsWith('//')) queue.push(next)
    })
    $('form').each((_i, el) => {
      const form = readForm($, $(el), key)
      if (form.method !== 'get' || !form.action.startsWith('/')) return
      const query = new URLSearchParams(form.fields).toString()
      for (const action of [form.action, ...form.buttons.flatMap((b) => (b.formaction?.startsWith('/') ? [b.formaction] : []))])
        queue.push(query ? `${action.split('?')[0]}?${query}` : action)
    })
  }
  return { failures, pages: seen.size, seen }
}
