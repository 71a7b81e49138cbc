// Beheer → Ketenmachtigingen for the client's admin: the list of those given, "Nieuwe
// ketenmachtiging", revoke and renew.
import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { ADMIN_LEVELS } from '../../domain/levels.ts'
import { chainLevelAllowed } from '../../domain/rules.ts'
import { TERMS } from '../../domain/terms.ts'
import { links, paths } from '../../paths.ts'
import { allow } from '../../policy/access.ts'
import { actorFrom } from '../../shared/actor.ts'
import { flash } from '../../web/flash.ts'
import { keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import { principal } from '../../web/principal.ts'
import type { ChainService } from './chainService.ts'
import { chainsPage, routeId } from './routeHelpers.ts'
import { giveSchema, termSchema } from './schemas.ts'

const FIELDS = ['organisationId', 'kvkNumber', 'intermediaryName', 'scope', 'providerId', 'serviceId', 'level', 'termYears']

export function giveRoutes(deps: { chainService: ChainService }): Router {
  const router = Router()
  const service = deps.chainService

  router.get(paths.chains.list, allow('admin'), async (req, res) => {
    const given = await service.given(principal(req))
    res.render('pages/chains/list', { ...chainsPage(req, req.t('chains:list.title')), given, terms: TERMS })
  })

  async function renderGive(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const p = principal(req)
    const catalogue = await service.catalogue()
    res.status(status).render('pages/chains/give', {
      ...chainsPage(req, req.t('chains:give.title'), [{ label: req.t('chains:give.title') }]),
      organisations: p.adminOrganisations,
      providers: catalogue.providers,
      services: catalogue.services,
      levels: ADMIN_LEVELS.filter(chainLevelAllowed),
      terms: TERMS,
      values: { organisationId: p.adminOrganisations.length === 1 ? p.adminOrganisations[0]!.id : '', scope: 'all', level: 'EH3', termYears: '1' },
      ...extra,
    })
  }

  router.get(paths.chains.give, allow('admin'), (req, res) => renderGive(req, res, 200))

  router.post(paths.chains.give, allow('admin'), async (req, res) => {
    const parsed = parseForm(giveSchema, req.body, req.t, FIELDS)
    if (!parsed.ok) return renderGive(req, res, 400, { errors: parsed.errors, values: parsed.values })
    const d = parsed.data
    try {
      const result = await service.give(actorFrom(req), { ...d, providerId: d.providerId || undefined, serviceId: d.serviceId || undefined })
      flash(req, 'success', req.t(result.intermediaryIsCustomer ? 'chains:give.done' : 'chains:give.doneFacts', { name: result.intermediaryName }))
      res.redirect(303, links.chains())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      return renderGive(req, res, 422, { errors: ruleErrors(error, req.t, FIELDS), values: keepValues(req.body) })
    }
  })

  router.post(paths.chains.revoke, allow('admin'), async (req, res) => {
    const id = routeId(req)
    try {
      const result = await service.revoke(actorFrom(req), id)
      flash(req, 'success', req.t('chains:revoke.done', { count: result.ended }))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey, error.params))
    }
    res.redirect(303, links.chains())
  })

  router.post(paths.chains.renew, allow('admin'), async (req, res) => {
    const id = routeId(req)
    const parsed = termSchema.safeParse(req.body ?? {})
    try {
      // A term that is not a number still goes to the service: another organisation's id is 404 first.
      const result = await service.renew(actorFrom(req), id, parsed.success ? parsed.data.termYears : Number.NaN)
      flash(req, 'success', req.t('chains:renew.done', { date: result.validUntil.toISOString().slice(0, 10) }))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      flash(req, 'error', req.t(error.messageKey, error.params))
    }
    res.redirect(303, links.chains())
  })

  return router
}
