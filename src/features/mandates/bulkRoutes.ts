// Machtigingen, bulk: "Machtigingen Verlengen", "Machtigingen intrekken" and "Machtigingen schorsen"
// from the list's buttons (the ticked rows, or all matching the filter). GET is the confirmation page:
// the count of each choice, what the admin may not change (marked, left out), a paged list of the
// set, and the digests the form is bound to (bulkService.ts). POST acts only on that same set, else
// 409 with the set as it is now; then the result per mandate (Post/Redirect/Get).
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { actorFrom } from '../../shared/actor.ts'
import { digestFrom } from '../../shared/confirmation.ts'
import { NotFoundError } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { isoDate } from '../../domain/dates.ts'
import { TERMS } from '../../domain/terms.ts'
import { principal } from '../../web/principal.ts'
import { fromFieldMessages, keepValues, parseForm, type FormErrors } from '../../web/forms.ts'
import type { BulkOutcome, MandateBulkService } from './bulkService.ts'
import { BULK_PAGE_SIZE, type BulkAction } from './bulkSql.ts'
import { confirmationPages } from '../../web/confirmationPages.ts'
import type { RenewOutcome, RenewSelection } from './model.ts'
import { beheer, renderStoredResult } from './routeHelpers.ts'
import { filterFromQuery, filterParams, idList, listQuerySchema } from './schemas.ts'
import { withFields } from '../../shared/withFields.ts'

type Deps = { mandateBulkService: MandateBulkService }
type Extra = { errors?: FormErrors; values?: Record<string, unknown>; changed?: boolean; alreadyDone?: boolean }

const FORM = {
  renew: { action: () => links.mandatesBulkRenew(), link: links.mandatesBulkRenew },
  revoke: { action: () => links.mandatesBulkRevoke(), link: links.mandatesBulkRevoke },
  suspend: { action: () => links.mandatesBulkSuspend(), link: links.mandatesBulkSuspend },
} as const

const bulkSchema = (action: BulkAction) =>
  z.object({
    selection: z.enum(['selected', 'filter'], 'mandates:errors.selection'),
    termYears: action === 'renew' ? z.enum(['1', '3', '5'], 'mandates:errors.term').transform(Number) : z.any().optional(),
  })

/** The selection a request names: ticked ids and the list filter (a filter we cannot read, or of another organisation: 404). */
function selectionOf(req: Request, source: Record<string, unknown>) {
  const parsed = listQuerySchema.safeParse(source)
  if (!parsed.success) throw new NotFoundError()
  const q = parsed.data
  if (q.organisatie) assertAdministers(principal(req), q.organisatie)
  const ids = idList(source.id)
  const chosen = source.selection ?? source.selectie
  const choice: 'selected' | 'filter' = ids.length && chosen !== 'filter' ? 'selected' : 'filter'
  const of = (c: 'selected' | 'filter'): RenewSelection => (c === 'selected' ? { ids } : { filter: filterFromQuery(q) })
  return { ids, params: filterParams(q), choice, of }
}

async function renderConfirm(
  service: MandateBulkService,
  req: Request,
  res: Response,
  action: BulkAction,
  source: Record<string, unknown>,
  status = 200,
  extra: Extra = {},
) {
  const admin = principal(req)
  const sel = selectionOf(req, source)
  const selected = sel.ids.length ? await service.preview(admin, action, sel.of('selected')) : null
  if (sel.ids.length && !selected?.total) throw new NotFoundError()
  const filtered = await service.preview(admin, action, sel.of('filter'))
  const shown = sel.choice === 'selected' ? selected : filtered
  const pageNumber = Math.max(1, Number.parseInt(typeof source.pagina === 'string' ? source.pagina : '1', 10) || 1)
  const rows = await service.page(admin, action, sel.of(sel.choice), pageNumber)
  const pageCount = Math.max(1, Math.ceil((shown?.total ?? 0) / BULK_PAGE_SIZE))
  const query = (pagina: number, selectie = sel.choice) =>
    FORM[action].link({ ...sel.params, selectie, pagina: pagina > 1 ? pagina : undefined, id: undefined })
  const idQuery = sel.ids.map((id) => `id=${id}`).join('&')
  const withIds = (href: string) => (idQuery ? `${href}${href.includes('?') ? '&' : '?'}${idQuery}` : href)
  const title = req.t(`mandates:bulkAction.${action}.title`)
  res.status(status).render('pages/mandates/bulk-confirm', {
    ...beheer(req, title, [{ label: title }]),
    action,
    formAction: FORM[action].action(),
    ids: sel.ids,
    params: sel.params,
    terms: TERMS,
    choice: sel.choice,
    selected,
    filtered,
    shown,
    rows,
    pageNumber,
    pageCount,
    pagination: {
      summary: req.t('mandates:bulkAction.pageOf', { page: pageNumber, pages: pageCount }),
      previousHref: pageNumber > 1 ? withIds(query(pageNumber - 1)) : undefined,
      nextHref: pageNumber < pageCount ? withIds(query(pageNumber + 1)) : undefined,
    },
    otherChoiceHref: sel.ids.length ? withIds(query(1, sel.choice === 'selected' ? 'filter' : 'selected')) : undefined,
    changed: extra.changed ?? false,
    alreadyDone: extra.alreadyDone ?? false,
    values: { selection: sel.choice, termYears: '', ...extra.values },
    ...(extra.errors ? { errors: extra.errors } : {}),
  })
}

/** The renewal's outcome kept in the session for its result page: refusals first, at most 500 rows. */
function storeRenewResult(req: Request, outcomes: RenewOutcome[], termYears: number): number {
  const renewed = outcomes.filter((o) => !o.refusal).length
  req.session.mandateRenewResult = {
    termYears,
    total: outcomes.length,
    renewed,
    refused: outcomes.length - renewed,
    outcomes: [...outcomes.filter((o) => o.refusal), ...outcomes.filter((o) => !o.refusal)]
      .slice(0, 500)
      .map((o) => withFields(o, { oldUntil: isoDate(o.oldUntil), newUntil: o.newUntil ? isoDate(o.newUntil) : null })),
  }
  return renewed
}

function storeBulkResult(req: Request, action: 'revoke' | 'suspend', outcomes: BulkOutcome[]): number {
  const done = outcomes.filter((o) => o.done).length
  req.session.mandateBulkResult = {
    action,
    total: outcomes.length,
    done,
    refused: outcomes.length - done,
    outcomes: [...outcomes.filter((o) => !o.done), ...outcomes.filter((o) => o.done)].slice(0, 500),
  }
  return done
}

async function postConfirm(service: MandateBulkService, req: Request, res: Response, action: BulkAction) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const parsed = parseForm(bulkSchema(action), body, req.t, ['selection', 'termYears'])
  if (!parsed.ok) return renderConfirm(service, req, res, action, body, 400, { errors: parsed.errors, values: parsed.values })
  const sel = selectionOf(req, body)
  if (parsed.data.selection === 'selected' && sel.ids.length === 0) {
    const errors = fromFieldMessages({ selection: req.t('mandates:errors.noneSelected') })
    return renderConfirm(service, req, res, action, { ...body, selection: 'filter' }, 422, { errors, values: keepValues(body) })
  }
  const digest = digestFrom(body[`digest_${parsed.data.selection}`])
  const termYears = typeof parsed.data.termYears === 'number' ? parsed.data.termYears : undefined
  const result = await service.run(actorFrom(req), action, sel.of(parsed.data.selection), digest, termYears)
  if (result.status === 'changed') {
    const alreadyDone = Boolean(digest && req.session.mandateBulkDigests?.includes(digest))
    return renderConfirm(service, req, res, action, body, 409, { changed: true, alreadyDone, values: keepValues(body) })
  }
  req.session.mandateBulkDigests = [digest, ...(req.session.mandateBulkDigests ?? [])].slice(0, 20)
  if (result.status === 'renewed') {
    const renewed = storeRenewResult(req, result.outcomes, termYears!)
    flash(req, renewed ? 'success' : 'warning', req.t('mandates:renew.flash', { renewed, total: result.outcomes.length }))
    return res.redirect(303, links.mandatesBulkRenewResult())
  }
  const done = storeBulkResult(req, result.action, result.outcomes)
  flash(req, done ? 'success' : 'warning', req.t(`mandates:bulkAction.${action}.flash`, { done, total: result.outcomes.length }))
  res.redirect(303, links.mandatesBulkResult())
}

export function bulkRoutes({ mandateBulkService: service }: Deps): Router {
  const router = Router()
  const actions = { renew: paths.mandates.bulkRenew, revoke: paths.mandates.bulkRevoke, suspend: paths.mandates.bulkSuspend }
  confirmationPages(router, allow('admin'), actions, {
    show: (req, res, action) => renderConfirm(service, req, res, action, req.query as Record<string, unknown>),
    act: (req, res, action) => postConfirm(service, req, res, action),
  })
  router.get(paths.mandates.bulkRenewResult, allow('admin'), (req, res) =>
    renderStoredResult(req, res, req.session.mandateRenewResult, 'pages/mandates/renew-result', 'mandates:renew.resultTitle'),
  )
  router.get(paths.mandates.bulkResult, allow('admin'), (req, res) => {
    const stored = req.session.mandateBulkResult
    renderStoredResult(req, res, stored, 'pages/mandates/bulk-result', `mandates:bulkAction.${stored?.action ?? 'revoke'}.resultTitle`)
  })
  return router
}
