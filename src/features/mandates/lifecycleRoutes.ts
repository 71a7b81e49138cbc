// Beheer → Machtigingen, one mandate: revoke (trash can), renew (renew icon), activate (expired
// ones), schorsen and opheffen. The bulk actions are in bulkRoutes.ts.
import { Router, type Request, type Response } from 'express'
import { actorFrom } from '../../shared/actor.ts'
import { NotFoundError } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { formatDate } from '../../web/format.ts'
import { principal } from '../../web/principal.ts'
import { keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import type { MandateLifecycleService } from './lifecycleService.ts'
import type { MandateListService } from './listService.ts'
import { beheer, idParam, ruleFailure } from './routeHelpers.ts'
import { termPageChoices } from './termChoices.ts'
import { termSchema } from './schemas.ts'

type Deps = { mandateListService: MandateListService; mandateLifecycleService: MandateLifecycleService }
type Extra = Record<string, unknown>

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
