// Small helpers for the form-fill tests (tests/features/trust/formFill*.test.ts): pick a form by its
// action, and read the choices a page offers for a field, as a browser user would see them.
//   const levels = await offered(agent, page, 'level')
import * as cheerio from 'cheerio'
import type { Agent } from './app.ts'
import type { FormPick } from './forms.ts'

/** Picks the form with `method` (post unless told) whose action, or a button's formaction, is exactly `action`. */
export const byAction =
  (action: string, method = 'post'): FormPick =>
  (form) =>
    (form.attr('method') ?? 'get').toLowerCase() === method && (form.attr('action') === action || form.find(`[formaction="${action}"]`).length > 0)

/** The values a page offers for `name` (select options, radios, checkboxes), in page order. */
export function offeredIn(html: string, name: string): string[] {
  const $ = cheerio.load(html)
  return [
    ...$(`select[name="${name}"] option:not([disabled])`)
      .toArray()
      .map((o) => $(o).attr('value') ?? ''),
    ...$(`input[name="${name}"]:not([disabled])`)
      .toArray()
      .filter((i) => ['radio', 'checkbox'].includes(($(i).attr('type') ?? '').toLowerCase()))
      .map((i) => $(i).attr('value') ?? 'on'),
  ].filter(Boolean)
}

export async function offered(agent: Agent, pageUrl: string, name: string): Promise<string[]> {
  return offeredIn((await agent.get(pageUrl)).text, name)
}

/** The text of `main` on a page, whitespace folded. */
export const mainText = (html: string) => cheerio.load(html)('main').text().replace(/\s+/g, ' ')
