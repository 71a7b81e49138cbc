import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { parseForm, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { beheerCrumbs, type Crumb } from '../../web/breadcrumbs.ts'

const newRequestSchema = z.object({
  organisationId: z.uuid('requests:errors.organisation'),
  email: z.string().trim().min(1, 'requests:errors.emailRequired').max(254, 'requests:errors.email'),
})
const ORDER = ['organisationId', 'email']

export function requestRoutes({ requestsService }: Services): Router {
  const router = Router()
  const crumbs = (req: Request, ...more: Crumb[]) => beheerCrumbs(req, 'requests', ...more)

  router.get(paths.beheer.requests, allow('admin'), async (req, res) => {
    const requests = await requestsService.listForAdmin(principal(req))
    res.render('pages/requests/list', { title: req.t('requests:list.title'), section: 'beheer', subsection: 'requests', breadcrumbs: crumbs(req), requests })
  })

  function renderNew(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const orgs = principal(req).adminOrganisations
    res.status(status).render('pages/requests/new', {
      title: req.t('requests:new.title'),
      section: 'beheer',
      subsection: 'requests',
      breadcrumbs: crumbs(req, { label: req.t('requests:new.title') }),
      organisations: orgs,
      values: orgs.length === 1 ? { organisationId: orgs[0]!.id } : {},
      ...extra,
    })
  }

  router.get(paths.beheer.requestsNew, allow('admin'), (req, res) => renderNew(req, res, 200))

  router.post(paths.beheer.requestsNew, allow('admin'), async (req, res) => {
    const parsed = parseForm(newRequestSchema, req.body, req.t, ORDER)
    if (!parsed.ok) return renderNew(req, res, 400, { errors: parsed.errors, values: parsed.values })
    try {
      await requestsService.create(principal(req), actorFrom(req), parsed.data)
      // The same answer whether or not the address has an account (docs/SECURITY.md, "No oracles").
      flash(req, 'success', req.t('requests:new.done', { email: parsed.data.email }))
      res.redirect(303, links.requests())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      renderNew(req, res, error.status, { errors: ruleErrors(error, req.t, ORDER), values: parsed.data })
    }
  })

  router.post(paths.beheer.requestCancel, allow('admin'), async (req, res) => {
    try {
      await requestsService.cancel(principal(req), actorFrom(req), parseParams(idParam, req.params).id)
      flash(req, 'success', req.t('requests:list.cancelled'))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey))
    }
    res.redirect(303, links.requests())
  })

  return router
}
