import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { formText, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { levelLabel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { idParam, parseParams } from '../../policy/params.ts'

export function backofficeRoutes({ backofficeService }: Services): Router {
  const router = Router()

  async function render(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const { total, applications } = await backofficeService.queue()
    res.status(status).render('pages/backoffice/index', {
      title: req.t('backoffice:title'),
      section: 'backoffice',
      subsection: 'identityChecks',
      applications,
      total,
      fullName: personName,
      levelLabel,
      rejecting: null,
      ...extra,
    })
  }

  router.get(paths.backoffice, allow('backoffice'), (req, res) => render(req, res, 200))

  router.post(paths.backofficeApprove, allow('backoffice'), async (req, res) => {
    try {
      await backofficeService.approve(actorFrom(req), parseParams(idParam, req.params).id)
      flash(req, 'success', req.t('backoffice:approved'))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey))
    }
    res.redirect(303, links.backoffice())
  })

  router.post(paths.backofficeReject, allow('backoffice'), async (req, res) => {
    const { id } = parseParams(idParam, req.params)
    // The form names its field after the application (several reject forms on one page).
    const reason = formText(req.body, `reason-${id}`).slice(0, 2000)
    try {
      await backofficeService.reject(actorFrom(req), id, reason)
      flash(req, 'success', req.t('backoffice:rejected'))
      res.redirect(303, links.backoffice())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      if (!error.field) {
        flash(req, 'error', req.t(error.messageKey))
        return res.redirect(303, links.backoffice())
      }
      const errors = ruleErrors({ ...error, field: `reason-${id}` }, req.t)
      await render(req, res, 422, { errors, values: { [`reason-${id}`]: reason } })
    }
  })

  return router
}
