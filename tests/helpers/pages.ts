// Walks a paged list as a user does: from the first page, following each "Volgende pagina" link
// (rel="next") until there is none. `rowsOf` reads one page's rows (and may assert on the page).
import { expect } from 'vitest'
import type { Agent } from './app.ts'

export async function followPages(
  agent: Agent,
  start: string,
  rowsOf: (html: string, page: number, href: string) => string[],
): Promise<{ seen: string[]; pages: number }> {
  const seen: string[] = []
  let href: string | null = start
  let pages = 0
  while (href) {
    const response = await agent.get(href)
    expect(response.status).toBe(200)
    pages++
    seen.push(...rowsOf(response.text, pages, href))
    const next = /rel="next" href="([^"]+)"/.exec(response.text)?.[1]
    href = next ? next.replaceAll('&amp;', '&').replace(/#.*$/, '') : null
  }
  return { seen, pages }
}
