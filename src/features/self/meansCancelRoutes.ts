// Mijn gegevens → "Opzeggen" of one's own means (rule 17): the confirmation page lists the mandates
// that end with it; today or a date within a year. The rules are the same workflow the admins use
// (meansService.cancel with `own`): another person's means is 404.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import type { Services } from '../../services.ts'
import { actorFrom } from '../../shared/actor.ts'
import { flash } from '../../web/flash.ts'
import { formatDate } from '../../web/format.ts'
import { keepValues, refusalOf, ruleErrors } from '../../web/forms.ts'
import { cancelDateFrom, meansActionLocals, type MeansFormState } from '../../web/meansCancelForm.ts'
import { principal } from '../../web/principal.ts'

type MeansPort = Pick<Services['meansService'], 'view' | 'cancel'>

async function renderPage(service: MeansPort, req: Request, res: Response, status = 200, extra: MeansFormState = {}) {
  const id = parseParams(idParam, req.params).id
  const view = await service.view(principal(req), id, true)
  const title = req.t('self:meansCancelTitle')
  res.status(status).render('pages/users/means-action', {
    title,
    section: 'mine',
    breadcrumbs: [{ label: req.t('self:title'), href: links.mine() }, { label: title }],
    mode: 'cancel',
    ...meansActionLocals(view, links.mineMeansCancel(id), links.mine(), extra),
  })
}

async function post(service: MeansPort, req: Request, res: Response) {
  const id = parseParams(idParam, req.params).id
  const chosen = cancelDateFrom(req.body)
  if (!('date' in chosen)) return renderPage(service, req, res, 400, { errors: ruleErrors({ ...chosen, params: {} }, req.t), values: keepValues(req.body) })
  try {
    const result = await service.cancel(actorFrom(req), id, chosen.date, { own: true })
    const key = result.scheduled ? 'users:means.cancel.doneScheduled' : 'users:means.cancel.done'
    flash(req, 'success', req.t(key, { date: formatDate(chosen.date, req.locale), count: result.useMandates + result.adminMandates }))
    res.redirect(303, links.mine())
  } catch (error) {
    await renderPage(service, req, res, 422, { errors: ruleErrors(refusalOf(error), req.t), values: keepValues(req.body) })
  }
}

export function meansCancelRoutes({ meansService }: { meansService: MeansPort }): Router {
  const router = Router()
  router.get(paths.mineMeansCancel, allow('user'), (req, res) => renderPage(meansService, req, res))
  router.post(paths.mineMeansCancel, allow('user'), (req, res) => post(meansService, req, res))
  return router
}
