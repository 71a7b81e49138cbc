// EJS with one layout: a page renders to `body`, then views/layout.ejs wraps it.
import { personName } from '../domain/names.ts'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import ejs from 'ejs'
import type { Express } from 'express'
import { projectRoot } from '../db/migrations.ts'
import { fieldId, noErrors } from './forms.ts'
import { formatDate, toText } from './format.ts'
import { links } from '../paths.ts'
import { helpTopicFor } from './helpTopics.ts'
import { ORGANISATION_SELECT_MAX, organisationChoiceText } from './organisationChoice.ts'

export const viewsDir = path.join(projectRoot, 'views')
const layoutFile = path.join(viewsDir, 'layout.ejs')

/**
 * Pages are compiled without the templates' indentation (EJS's rmWhitespace: each line of template
 * text loses its leading and trailing spaces; line breaks stay, so words and inline elements stay
 * apart). Indentation was up to a sixth of a page: the accountant's Overzicht went from 72,500 to
 * 60,700 characters, under the 65,536 at which V8 on this host pays about 0.6 ms to make the page
 * one string before it is sent (README, bench:scale, session 18 (7)). Data is untouched, so a
 * <pre> or <textarea> keeps its value's whitespace. Mails (src/features/mail/render.ts) keep theirs:
 * a text mail's layout is its whitespace.
 */
export const HTML_TEMPLATE_OPTIONS = { rmWhitespace: true } as const

const NEEDS_ESCAPE = /[&<>'"]/
/** EJS's escapeXML, but a value with nothing to escape (most of them) is returned as it is. */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = toText(value)
  return NEEDS_ESCAPE.test(text) ? ejs.escapeXML(text) : text
}

/**
 * Renders a partial compiled in strict mode, without EJS's `with (locals)`: inside `with`, V8 looks
 * up every name dynamically, which made the rows of the Machtigingen list (up to 100 a page) the
 * page's largest cost. Such a partial sees only the locals it is given. `view` is a path under
 * views/, without .ejs.
 */
export function strictRenderer(production: boolean): (view: string, data: Record<string, unknown>) => string {
  const compiled = new Map<string, ejs.TemplateFunction>()
  return (view, data) => {
    const names = Object.keys(data)
    const key = `${view}|${names.join(',')}`
    let template = production ? compiled.get(key) : undefined
    if (!template) {
      const file = path.join(viewsDir, `${view.replace(/^\//, '')}.ejs`)
      template = ejs.compile(readFileSync(file, 'utf8'), {
        strict: true,
        destructuredLocals: names,
        filename: file,
        compileDebug: !production,
        escape: escapeHtml,
        ...HTML_TEMPLATE_OPTIONS,
      })
      if (production) compiled.set(key, template)
    }
    return template(data)
  }
}

/**
 * `partial(view, data)` in a template: a partial rendered by the strict renderer with `data` and the
 * page's shared form locals (t, locale, errors, values, fieldId, selectOptions, formatDate, and the
 * organisation field's organisationSelectMax and organisationChoiceText; `partial` itself, for a
 * partial made of partials). EJS's
 * own include() copies every local of the page twice and runs the partial inside `with`; a form
 * partial such as views/partials/select.ejs renders several times faster this way. The partial sees
 * only those names; optional ones it reads as `locals.name`.
 */
export function partialRenderer(strict: ReturnType<typeof strictRenderer>, locals: Record<string, unknown>) {
  const render = (view: string, data: Record<string, unknown> = {}): string =>
    strict(view, {
      t: locals.t,
      locale: locals.locale,
      errors: locals.errors,
      values: locals.values,
      fieldId,
      selectOptions,
      formatDate,
      organisationSelectMax: ORGANISATION_SELECT_MAX,
      organisationChoiceText,
      partial: render,
      ...data,
    })
  return render
}

/**
 * The <option>s of a select (views/partials/select.ejs), made in plain code: a select can hold the
 * whole service catalogue, and a loop inside an EJS partial looks up every name through `with`.
 */
export function selectOptions(options: { value: unknown; label: unknown; disabled?: boolean }[], current: string): string {
  let html = ''
  for (const option of options) {
    const value = toText(option.value)
    html += `<option value="${escapeHtml(value)}"${value === current ? ' selected' : ''}${option.disabled ? ' disabled' : ''}>${escapeHtml(option.label)}</option>`
  }
  return html
}

export function setUpViews(app: Express, options: { brandName: string; production: boolean }): void {
  app.set('views', viewsDir)
  app.set('view engine', 'ejs')
  app.set('view cache', options.production)
  const strict = strictRenderer(options.production)
  app.engine('ejs', (file: string, options_: object, callback: (e: unknown, html?: string) => void) => {
    const locals = options_ as Record<string, unknown>
    locals.partial = partialRenderer(strict, locals)
    // Production: compiled once, without the line bookkeeping that only serves error messages.
    const ejsOptions = {
      ...HTML_TEMPLATE_OPTIONS,
      cache: options.production,
      compileDebug: !options.production,
      escape: escapeHtml,
      filename: file,
      root: viewsDir,
      views: [viewsDir],
    }
    ejs.renderFile(file, locals, ejsOptions, (error, body) => {
      if (error) return callback(error)
      if (locals.layout === false) return callback(null, body)
      ejs.renderFile(layoutFile, { ...locals, body }, { ...ejsOptions, filename: layoutFile }, callback)
    })
  })
  app.locals.brandName = options.brandName
  app.locals.fieldId = fieldId
  app.locals.formatDate = formatDate
  // Every link a page makes: `href="<%= links.userDetail(id) %>"` (src/paths.ts).
  app.locals.links = links
  // "Hoe werkt dit?" beside a page's heading: the guide for the page's path (src/web/helpTopics.ts).
  app.locals.helpTopicFor = helpTopicFor
  app.locals.personName = personName
  app.locals.renderStrict = strict
  app.locals.selectOptions = selectOptions
  // A page that lists organisations as radios (the wizard's first step) asks for a search field above this many.
  app.locals.organisationSelectMax = ORGANISATION_SELECT_MAX
  app.locals.errors = noErrors()
  app.locals.values = {}
  app.locals.flash = []
  app.locals.section = ''
  app.locals.subsection = ''
  app.locals.breadcrumbs = []
  app.locals.csrfToken = ''
  app.locals.user = null
  app.locals.isAdmin = false
  app.locals.currentPath = '/'
  app.locals.cspNonce = ''
  app.locals.sessionEndsAt = 0
  app.locals.idleTimeoutMs = 0
}
