// Beheer → Ketenmachtigingen for the client's admin: the list of those given, "Nieuwe
// ketenmachtiging" (a per-dienst scope searched as in the machtigingen wizard, then a confirmation
// page showing what is signed, bound to a digest, and "Ondertekenen"), and renew. Revoke, suspend
// and lift are in statusRoutes.ts.
import { Router, type Request, type Response } from 'express'
import { ConflictError, RuleViolation } from '../../errors.ts'
import { TERMS } from '../../domain/terms.ts'
import { links, paths } from '../../paths.ts'
import { allow } from '../../policy/access.ts'
import { actorFrom } from '../../shared/actor.ts'
import { digestFrom } from '../../shared/confirmation.ts'
import { flash } from '../../web/flash.ts'
import { formText, fromFieldMessages, keepValues, parseForm, ruleErrors, type FormErrors } from '../../web/forms.ts'
import { resolveOrganisationField } from '../../web/organisationChoice.ts'
import { principal } from '../../web/principal.ts'
import type { ChainService, GiveInput } from './chainService.ts'
import { chainsPage, routeId } from './routeHelpers.ts'
import { giveSchema, termSchema } from './schemas.ts'

const FIELDS = ['organisationId', 'kvkNumber', 'intermediaryName', 'scope', 'providerId', 'zoek', 'serviceId', 'level', 'termYears']
const SEARCH_PAGE_SIZE = 10

export function giveRoutes(deps: { chainService: ChainService }): Router {
  const router = Router()
  const service = deps.chainService

  router.get(paths.chains.list, allow('admin'), async (req, res) => {
    const given = await service.given(principal(req))
    res.render('pages/chains/list', { ...chainsPage(req, req.t('chains:list.title')), given, terms: TERMS })
  })

  /** The form; its service search (field zoek, page zoekpagina) is part of the posted form, so typed values stay without JavaScript. */
  async function renderGive(req: Request, res: Response, status: number, extra: { values?: Record<string, unknown>; errors?: unknown } = {}) {
    const p = principal(req)
    const defaults = { organisationId: p.adminOrganisations.length === 1 ? p.adminOrganisations[0]!.id : '', scope: 'all', level: 'EH3', termYears: '1' }
    const values: Record<string, unknown> = extra.values ?? defaults
    const search = formText(values, 'zoek').slice(0, 100)
    const page = Math.min(1000, Math.max(1, Number.parseInt(formText(values, 'zoekpagina'), 10) || 1))
    const [providers, results, chosen] = await Promise.all([
      service.providers(),
      service.searchServices(search, page, SEARCH_PAGE_SIZE),
      service.chosenService(formText(values, 'serviceId')),
    ])
    res.status(status).render('pages/chains/give', {
      ...chainsPage(req, req.t('chains:give.title'), [{ label: req.t('chains:give.title') }]),
      organisations: p.adminOrganisations,
      providers,
      results,
      chosen: chosen && !results.services.some((s) => s.id === chosen.id) ? chosen : null,
      search,
      page,
      levels: service.offeredLevels(p),
      terms: TERMS,
      ...extra,
      values,
    })
  }

  function inputOf(d: ReturnType<typeof giveSchema.parse>): GiveInput {
    return { ...d, providerId: d.providerId || undefined, serviceId: d.serviceId || undefined }
  }

  async function renderConfirm(req: Request, res: Response, input: GiveInput, status = 200, extra: Record<string, unknown> = {}) {
    const preview = await service.preview(actorFrom(req), input)
    res.status(status).render('pages/chains/give-confirm', {
      ...chainsPage(req, req.t('chains:confirm.title'), [
        { label: req.t('chains:give.title'), href: links.chainGive() },
        { label: req.t('chains:confirm.title') },
      ]),
      preview,
      values: keepValues(req.body),
      ...extra,
    })
  }

  /**
   * The organisation as chosen (an id) or typed (a name or KvK number, when the admin has too many
   * for a list): from here on the body carries its id (also into the confirmation page's fields);
   * a text that fits none or several gives the form again with the field's message.
   */
  function organisationOf(req: Request): { errors: FormErrors; values: Record<string, unknown> } | null {
    const { body, message } = resolveOrganisationField(principal(req).adminOrganisations, req.body, 'organisationId', req.t)
    if (message) return { errors: fromFieldMessages({ organisationId: message }, FIELDS), values: keepValues(req.body) }
    req.body = body
    return null
  }

  router.get(paths.chains.give, allow('admin'), (req, res) => renderGive(req, res, 200))

  // "Zoeken", another page of results or "Wijzigen" (from the confirmation page): the form again, as typed.
  // Otherwise "Controleren": every check, then the confirmation page (nothing is written yet).
  router.post(paths.chains.give, allow('admin'), async (req, res) => {
    const action = formText(req.body, 'action')
    if (action === 'search' || action === 'edit' || formText(req.body, 'zoekpagina')) return renderGive(req, res, 200, { values: keepValues(req.body) })
    const organisation = organisationOf(req)
    if (organisation) return renderGive(req, res, 400, organisation)
    const parsed = parseForm(giveSchema, req.body, req.t, FIELDS)
    if (!parsed.ok) return renderGive(req, res, 400, { errors: parsed.errors, values: parsed.values })
    try {
      return await renderConfirm(req, res, inputOf(parsed.data))
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      return renderGive(req, res, 422, { errors: ruleErrors(error, req.t, FIELDS), values: keepValues(req.body) })
    }
  })

  // "Ondertekenen": given only when the page signed is what it would give now.
  router.post(paths.chains.giveSign, allow('admin'), async (req, res) => {
    const organisation = organisationOf(req)
    if (organisation) return renderGive(req, res, 400, organisation)
    const parsed = parseForm(giveSchema, req.body, req.t, FIELDS)
    if (!parsed.ok) return renderGive(req, res, 400, { errors: parsed.errors, values: parsed.values })
    const input = inputOf(parsed.data)
    try {
      const result = await service.give(actorFrom(req), input, digestFrom((req.body as Record<string, unknown>).digest))
      flash(req, 'success', req.t(result.intermediaryIsCustomer ? 'chains:give.done' : 'chains:give.doneFacts', { name: result.intermediaryName }))
      res.redirect(303, links.chains())
    } catch (error) {
      if (error instanceof ConflictError) return renderConfirm(req, res, input, 409, { changed: true }).catch((again: unknown) => refuse(req, res, again))
      return refuse(req, res, error)
    }
  })

  function refuse(req: Request, res: Response, error: unknown) {
    if (!(error instanceof RuleViolation)) throw error
    return renderGive(req, res, 422, { errors: ruleErrors(error, req.t, FIELDS), values: keepValues(req.body) })
  }

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
