// Beheer → Machtigingen: "Machtigingen Verlengen" (the selected rows, or everything matching the
// filter), and one mandate: revoke (trash can), renew (renew icon), activate (expired ones).
import { Router, type Request, type Response } from 'express'
import { actorFrom } from '../../shared/actor.ts'
import { NotFoundError } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { isoDate } from '../../domain/dates.ts'
import { TERMS } from '../../domain/terms.ts'
import { formatDate } from '../../web/format.ts'
import { principal } from '../../web/principal.ts'
import { fromFieldMessages, keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import type { MandateLifecycleService } from './lifecycleService.ts'
import type { MandateListService } from './listService.ts'
import type { ListFilter, RenewOutcome } from './model.ts'
import { beheer, idParam, renderStoredResult, ruleFailure } from './routeHelpers.ts'
import { termPageChoices } from './termChoices.ts'
import { bulkRenewSchema, filterFromQuery, filterParams, idList, listQuerySchema, termSchema } from './schemas.ts'

type Deps = { mandateListService: MandateListService; mandateLifecycleService: MandateLifecycleService }
type Extra = Record<string, unknown>

// -------------------------------------------------------------------------------------------
// Machtigingen Verlengen (bulk)

function renderBulk(req: Request, res: Response, source: Record<string, unknown>, status = 200, extra: Extra = {}) {
  const parsed = listQuerySchema.safeParse(source)
  const q = parsed.success ? parsed.data : {}
  const ids = idList(source.id)
  res.status(status).render('pages/mandates/bulk-renew', {
    ...beheer(req, req.t('mandates:bulk.title'), [{ label: req.t('mandates:bulk.title') }]),
    ids,
    params: filterParams(q),
    terms: TERMS,
    values: { selection: ids.length ? 'selected' : 'filter', termYears: '' },
    ...extra,
  })
}

/** The outcome kept in the session for the result page: refusals first, so the reasons are always on the page; at most 500 rows. */
function storeRenewResult(req: Request, outcomes: RenewOutcome[], termYears: number): number {
  const renewed = outcomes.filter((o) => !o.refusal).length
  req.session.mandateRenewResult = {
    termYears,
    total: outcomes.length,
    renewed,
    refused: outcomes.length - renewed,
    outcomes: [...outcomes.filter((o) => o.refusal), ...outcomes.filter((o) => !o.refusal)].slice(0, 500).map((o) => ({
      ...o,
      oldUntil: isoDate(o.oldUntil),
      newUntil: o.newUntil ? isoDate(o.newUntil) : null,
    })),
  }
  return renewed
}

async function postBulkRenew(service: MandateLifecycleService, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const parsed = parseForm(bulkRenewSchema, body, req.t, ['selection', 'termYears'])
  if (!parsed.ok) return renderBulk(req, res, body, 400, { errors: parsed.errors, values: parsed.values })
  const ids = idList(body.id)
  if (parsed.data.selection === 'selected' && ids.length === 0) {
    return renderBulk(req, res, body, 422, { errors: fromFieldMessages({ selection: req.t('mandates:errors.noneSelected') }), values: keepValues(req.body) })
  }
  const listQuery = listQuerySchema.safeParse(body)
  if (!listQuery.success) throw new NotFoundError()
  const q = listQuery.data
  if (q.organisatie) assertAdministers(principal(req), q.organisatie)
  const filter: ListFilter = filterFromQuery(q)
  const outcomes = await service.renew(actorFrom(req), parsed.data.selection === 'selected' ? { ids } : { filter }, parsed.data.termYears)
  if (parsed.data.selection === 'selected' && outcomes.length === 0) throw new NotFoundError()
  const renewed = storeRenewResult(req, outcomes, parsed.data.termYears)
  flash(req, renewed ? 'success' : 'warning', req.t('mandates:renew.flash', { renewed, total: outcomes.length }))
  res.redirect(303, links.mandatesBulkRenewResult())
}

function showBulkRenewResult(req: Request, res: Response) {
  renderStoredResult(req, res, req.session.mandateRenewResult, 'pages/mandates/renew-result', 'mandates:renew.resultTitle')
}

// -------------------------------------------------------------------------------------------
// One mandate

async function showRevoke(list: MandateListService, req: Request, res: Response) {
  const mandate = await list.getForAdmin(principal(req), idParam(req))
  res.render('pages/mandates/revoke', {
    ...beheer(req, req.t('mandates:revoke.title'), [{ label: req.t('mandates:revoke.title') }]),
    mandate,
  })
}

async function postRevoke({ mandateListService: list, mandateLifecycleService: service }: Deps, req: Request, res: Response) {
  const id = idParam(req)
  try {
    const result = await service.revoke(actorFrom(req), id)
    flash(req, 'success', req.t('mandates:revoke.flash', { name: result.userName }))
    res.redirect(303, links.mandates())
  } catch (error) {
    const v = ruleFailure(error)
    const mandate = await list.getForAdmin(principal(req), id)
    res.status(422).render('pages/mandates/revoke', {
      ...beheer(req, req.t('mandates:revoke.title'), [{ label: req.t('mandates:revoke.title') }]),
      mandate,
      errors: ruleErrors(v, req.t),
    })
  }
}

// -------------------------------------------------------------------------------------------
// Schorsen / opheffen schorsing (rule 18)

type StatusMode = 'suspend' | 'lift'

async function renderStatusPage(list: MandateListService, req: Request, res: Response, mode: StatusMode, status = 200, extra: Extra = {}) {
  const mandate = await list.getForAdmin(principal(req), idParam(req))
  res.status(status).render('pages/mandates/status', {
    ...beheer(req, req.t(`mandates:${mode}.title`), [{ label: req.t(`mandates:${mode}.title`) }]),
    mode,
    mandate,
    action: mode === 'suspend' ? links.mandateSuspend(mandate.id) : links.mandateLift(mandate.id),
    ...extra,
  })
}

async function postStatus({ mandateListService: list, mandateLifecycleService: service }: Deps, req: Request, res: Response, mode: StatusMode) {
  const id = idParam(req)
  try {
    const result = mode === 'suspend' ? await service.suspend(actorFrom(req), id) : await service.lift(actorFrom(req), id)
    flash(req, 'success', req.t(`mandates:${mode}.flash`, { name: result.userName }))
    res.redirect(303, links.mandates({ inactief: 1 }))
  } catch (error) {
    const v = ruleFailure(error)
    await renderStatusPage(list, req, res, mode, 422, { errors: ruleErrors(v, req.t) })
  }
}

async function renderTermPage(list: MandateListService, req: Request, res: Response, mode: 'renew' | 'activate', status = 200, extra: Extra = {}) {
  const mandate = await list.getForAdmin(principal(req), idParam(req))
  res.status(status).render('pages/mandates/term', {
    ...beheer(req, req.t(`mandates:${mode}.title`), [{ label: req.t(`mandates:${mode}.title`) }]),
    mode,
    mandate,
    ...termPageChoices(mandate, mode, principal(req)),
    action: mode === 'renew' ? links.mandateRenew(mandate.id) : links.mandateActivate(mandate.id),
    formatDate,
    ...extra,
  })
}

async function postRenew({ mandateListService: list, mandateLifecycleService: service }: Deps, req: Request, res: Response) {
  const id = idParam(req)
  const parsed = parseForm(termSchema, req.body, req.t)
  if (!parsed.ok) return renderTermPage(list, req, res, 'renew', 400, { errors: parsed.errors, values: parsed.values })
  const [outcome] = await service.renew(actorFrom(req), { ids: [id] }, parsed.data.termYears)
  if (!outcome) throw new NotFoundError()
  if (outcome.refusal) {
    const errors = ruleErrors({ messageKey: `mandates:refusals.${outcome.refusal}`, field: 'termYears', params: {} }, req.t)
    return renderTermPage(list, req, res, 'renew', 422, { errors, values: keepValues(req.body) })
  }
  flash(req, 'success', req.t('mandates:renew.flashOne', { name: outcome.userName, date: formatDate(outcome.newUntil, req.locale) }))
  res.redirect(303, links.mandates())
}

async function postActivate({ mandateListService: list, mandateLifecycleService: service }: Deps, req: Request, res: Response) {
  const id = idParam(req)
  const parsed = parseForm(termSchema, req.body, req.t)
  if (!parsed.ok) return renderTermPage(list, req, res, 'activate', 400, { errors: parsed.errors, values: parsed.values })
  try {
    const result = await service.activate(actorFrom(req), id, parsed.data.termYears)
    flash(req, 'success', req.t('mandates:activate.flash', { name: result.userName, date: formatDate(result.validUntil, req.locale) }))
    res.redirect(303, links.mandates({ inactief: 1 }))
  } catch (error) {
    const v = ruleFailure(error)
    await renderTermPage(list, req, res, 'activate', 422, { errors: ruleErrors({ ...v, field: 'termYears' }, req.t), values: keepValues(req.body) })
  }
}

export function lifecycleRoutes(deps: Deps): Router {
  const router = Router()
  const list = deps.mandateListService
  router.get(paths.mandates.bulkRenew, allow('admin'), (req, res) => renderBulk(req, res, req.query as Record<string, unknown>))
  router.post(paths.mandates.bulkRenew, allow('admin'), (req, res) => postBulkRenew(deps.mandateLifecycleService, req, res))
  router.get(paths.mandates.bulkRenewResult, allow('admin'), showBulkRenewResult)
  router.get(paths.mandates.revoke, allow('admin'), (req, res) => showRevoke(list, req, res))
  router.post(paths.mandates.revoke, allow('admin'), (req, res) => postRevoke(deps, req, res))
  router.get(paths.mandates.suspend, allow('admin'), (req, res) => renderStatusPage(list, req, res, 'suspend'))
  router.post(paths.mandates.suspend, allow('admin'), (req, res) => postStatus(deps, req, res, 'suspend'))
  router.get(paths.mandates.lift, allow('admin'), (req, res) => renderStatusPage(list, req, res, 'lift'))
  router.post(paths.mandates.lift, allow('admin'), (req, res) => postStatus(deps, req, res, 'lift'))
  router.get(paths.mandates.renew, allow('admin'), (req, res) => renderTermPage(list, req, res, 'renew'))
  router.post(paths.mandates.renew, allow('admin'), (req, res) => postRenew(deps, req, res))
  router.get(paths.mandates.activate, allow('admin'), (req, res) => renderTermPage(list, req, res, 'activate'))
  router.post(paths.mandates.activate, allow('admin'), (req, res) => postActivate(deps, req, res))
  return router
}
