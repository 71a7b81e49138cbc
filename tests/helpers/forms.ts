// Fills a form as a browser would: reads the page's HTML, takes the form's own fields (hidden inputs,
// checked boxes and radios, selected options, textareas), changes only fields the form really has,
// and posts exactly those to the form's action. A field-name mismatch between view and handler fails.
//   const response = await submitForm(agent, '/backoffice', (form) => form.attr('action')!.endsWith('/afwijzen'), { reason: 'x' })
import * as cheerio from 'cheerio'
import type { Cheerio } from 'cheerio'
import type { Element } from 'domhandler'
import { postForm, type Agent } from './app.ts'

export type FormPick = (form: Cheerio<Element>, $: cheerio.CheerioAPI) => boolean

export type ParsedForm = {
  action: string
  method: string
  fields: [string, string][]
  names: Set<string>
  /** For a select, radio or checkbox name: the values the page offers (a browser can send no other). */
  offered: Map<string, Set<string>>
  /** The form's submit buttons: a name/value pair a browser sends for the one clicked, a formaction. */
  buttons: { name?: string; value: string; formaction?: string; text: string }[]
}

/** What the submit button that is clicked is known by: its value, its formaction or its text. */
export type SubmitOptions = { button?: string }

/** The fields a browser would send for `form` untouched, plus every field name it has. */
export function readForm($: cheerio.CheerioAPI, form: Cheerio<Element>, pageUrl: string): ParsedForm {
  const fields: [string, string][] = []
  const names = new Set<string>()
  const offered = new Map<string, Set<string>>()
  const offer = (name: string, value: string) => offered.set(name, (offered.get(name) ?? new Set()).add(value))
  form.find('input, select, textarea').each((_i, el) => {
    const field = $(el)
    const name = field.attr('name')
    if (!name || field.is('[disabled]')) return
    names.add(name)
    const tag = el.tagName.toLowerCase()
    const type = (field.attr('type') ?? 'text').toLowerCase()
    if (tag === 'select') {
      field.find('option:not([disabled])').each((_j, o) => void offer(name, $(o).attr('value') ?? $(o).text()))
      const selected = field.find('option[selected]').first()
      const option = selected.length ? selected : field.find('option').first()
      if (option.length) fields.push([name, option.attr('value') ?? option.text()])
    } else if (tag === 'textarea') fields.push([name, field.text()])
    else if (type === 'checkbox' || type === 'radio') {
      offer(name, field.attr('value') ?? 'on')
      if (field.is('[checked]')) fields.push([name, field.attr('value') ?? 'on'])
    } else if (type !== 'submit' && type !== 'button' && type !== 'file') fields.push([name, field.attr('value') ?? ''])
  })
  const buttons = form
    .find('button, input[type="submit"]')
    .toArray()
    .map((el) => $(el))
    .filter((b) => (b.attr('type') ?? 'submit').toLowerCase() === 'submit' && !b.is('[disabled]'))
    .map((b) => ({ name: b.attr('name'), value: b.attr('value') ?? '', formaction: b.attr('formaction'), text: b.text().trim() }))
  const action = form.attr('action') || pageUrl
  return { action, method: (form.attr('method') ?? 'get').toLowerCase(), fields, names, offered, buttons }
}

/**
 * GETs `pageUrl`, picks the first form `pick` accepts, sets `values` (each name must be a field of
 * the form; an array sets a multi-value field, `null` removes it) and submits it.
 */
export async function submitForm(
  agent: Agent,
  pageUrl: string,
  pick: FormPick,
  values: Record<string, string | string[] | null> = {},
  options: SubmitOptions = {},
) {
  const page = await agent.get(pageUrl)
  if (page.status >= 400) throw new Error(`${pageUrl} answered ${page.status}`)
  return submitFormIn(agent, page.text, pageUrl, pick, values, options)
}

/** As `submitForm`, for a page already fetched (a confirmation page a POST answered with). */
export async function submitFormIn(
  agent: Agent,
  html: string,
  pageUrl: string,
  pick: FormPick,
  values: Record<string, string | string[] | null> = {},
  options: SubmitOptions = {},
) {
  const $ = cheerio.load(html)
  const form = $('form')
    .toArray()
    .map((el) => $(el))
    .find((f) => pick(f, $))
  if (!form) throw new Error(`no such form on ${pageUrl}`)
  const parsed = readForm($, form, pageUrl)
  for (const name of Object.keys(values)) {
    if (!parsed.names.has(name)) throw new Error(`the form on ${pageUrl} has no field "${name}" (it has: ${[...parsed.names].join(', ')})`)
    const choices = parsed.offered.get(name)
    for (const v of [values[name]].flat()) {
      if (choices && v !== null && v !== undefined && !choices.has(v))
        throw new Error(`the form on ${pageUrl} offers no "${v}" for "${name}" (it offers: ${[...choices].join(', ')})`)
    }
  }
  let action = parsed.action
  if (parsed.buttons.length === 0) throw new Error(`the form on ${pageUrl} has no submit button: a browser cannot send it`)
  if (options.button !== undefined) {
    const b = options.button
    const button = parsed.buttons.find((x) => x.value === b || x.formaction === b || x.text === b)
    if (!button) throw new Error(`the form on ${pageUrl} has no button "${b}" (it has: ${parsed.buttons.map((x) => x.text).join(', ')})`)
    if (button.formaction) action = button.formaction
    if (button.name) values = { ...values, [button.name]: button.value }
  }
  let fields = parsed.fields.filter(([name]) => !(name in values))
  for (const [name, value] of Object.entries(values)) {
    if (value === null) continue
    for (const v of Array.isArray(value) ? value : [value]) fields = [...fields, [name, v]]
  }
  const body = new URLSearchParams(fields).toString()
  if (parsed.method === 'get') return agent.get(`${action.split('?')[0]}?${body}`)
  return agent.post(action).type('form').send(body)
}

/** "Middel upgraden" through its confirmation page: the form's fields, then the confirmation as shown. */
export async function upgradeConfirmed(agent: Agent, userId: string, fields: Record<string, string>) {
  const detail = `/beheer/gebruikers/${userId}`
  const preview = await postForm(agent, detail, `${detail}/upgrade`, fields)
  if (preview.status !== 200) return preview
  return submitFormIn(agent, preview.text, `${detail}/upgrade`, (form) => form.find('input[name="versie"]').length > 0)
}
