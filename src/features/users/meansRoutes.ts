// Gebruikers → one user → a means: "Middel schorsen", "Schorsing opheffen" and "Middel opzeggen"
// (today or on a date), each a confirmation page that lists what ends or pauses with it, then the
// change (meansService.ts). A refusal (the date, or what another admin already did) is shown on the
// page with nothing changed; a means outside the admin's organisations is 404.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { actorFrom } from '../../shared/actor.ts'
import { flash } from '../../web/flash.ts'
import { keepValues, refusalOf, ruleErrors } from '../../web/forms.ts'
import { confirmationPages } from '../../web/confirmationPages.ts'
import { cancelDateFrom, meansActionLocals, type MeansFormState } from '../../web/meansCancelForm.ts'
import { principal } from '../../web/principal.ts'
import { formatDate } from '../../web/format.ts'
import type { MeansService } from './meansService.ts'
import { crumbs, usersPage } from './pageLocals.ts'

type Mode = 'suspend' | 'lift' | 'cancel'
const ACTION = { suspend: links.meansSuspend, lift: links.meansLift, cancel: links.meansCancel }

async function renderPage(service: MeansService, req: Request, res: Response, mode: Mode, status = 200, extra: MeansFormState = {}) {
  const id = parseParams(idParam, req.params).id
  const view = await service.view(principal(req), id)
  const title = req.t(`users:means.${mode}.title`)
  res.status(status).render(
    'pages/users/means-action',
    usersPage({
      title,
      breadcrumbs: crumbs(req, { label: view.holderName, href: links.userDetail(view.means.userId) }, { label: title }),
      mode,
      ...meansActionLocals(view, ACTION[mode](id), links.userDetail(view.means.userId), extra),
    }),
  )
}

async function post(service: MeansService, req: Request, res: Response, mode: Mode) {
  const id = parseParams(idParam, req.params).id
  const actor = actorFrom(req)
  try {
    if (mode === 'cancel') {
      const chosen = cancelDateFrom(req.body)
      if (!('date' in chosen))
        return renderPage(service, req, res, mode, 400, { errors: ruleErrors({ ...chosen, params: {} }, req.t), values: keepValues(req.body) })
      const result = await service.cancel(actor, id, chosen.date)
      const key = result.scheduled ? 'users:means.cancel.doneScheduled' : 'users:means.cancel.done'
      flash(req, 'success', req.t(key, { date: formatDate(chosen.date, req.locale), count: result.useMandates + result.adminMandates }))
    } else {
      const result = mode === 'suspend' ? await service.suspend(actor, id) : await service.lift(actor, id)
      flash(req, 'success', req.t(`users:means.${mode}.done`, { count: result.mandates }))
    }
  } catch (error) {
    return renderPage(service, req, res, mode, 422, { errors: ruleErrors(refusalOf(error), req.t), values: keepValues(req.body) })
  }
  const view = await service.view(principal(req), id)
  res.redirect(303, links.userDetail(view.means.userId))
}

export function meansRoutes({ meansService }: { meansService: MeansService }): Router {
  const router = Router()
  const modes = { suspend: paths.beheer.meansSuspend, lift: paths.beheer.meansLift, cancel: paths.beheer.meansCancel }
  confirmationPages(router, allow('admin'), modes, {
    show: (req, res, mode) => renderPage(meansService, req, res, mode),
    act: (req, res, mode) => post(meansService, req, res, mode),
  })
  return router
}
