// Beheer → Machtigingen → "Nieuwe Machtigingen Aanvragen": one step per page (server-side, state in
// the session), then the confirmation and its result. Handlers parse and render only.
import { Router, type Request, type Response } from 'express'
import { actorFrom } from '../../shared/actor.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { adminOrganisationIds, allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { isoDate } from '../../domain/dates.ts'
import { levelRank, type Level } from '../../domain/levels.ts'
import { TERMS } from '../../domain/terms.ts'
import { principal } from '../../web/principal.ts'
import { formText, fromFieldMessages, keepValues, parseForm, ruleErrors } from '../../web/forms.ts'
import { resolveOrganisationField } from '../../web/organisationChoice.ts'
import { renderStoredResult, ruleFailure } from './routeHelpers.ts'
import { isUuid, levelStepSchema, organisationStepSchema, scopeItemFrom, servicesStepSchema, termStepSchema, userStepSchema } from './schemas.ts'
import type { MandateWizard } from './session.ts'
import type { MandateWizardService } from './wizardService.ts'
import { guard, wizardLocals, wizardOf, type Step } from './wizardSteps.ts'

type Service = MandateWizardService
type Extra = Record<string, unknown>

function startWizard(req: Request, res: Response) {
  req.session.mandateWizard = { items: [] }
  const org = typeof req.query.organisatie === 'string' ? req.query.organisatie : ''
  if (org && adminOrganisationIds(principal(req)).includes(org)) {
    req.session.mandateWizard.organisationId = org
    return res.redirect(303, links.mandateWizardUser())
  }
  res.redirect(303, links.mandateWizardOrganisation())
}

// Step 1: organisation

function renderOrganisation(req: Request, res: Response, status = 200, extra: Extra = {}) {
  const w = wizardOf(req)
  res.status(status).render('pages/mandates/wizard-organisation', {
    ...wizardLocals(req, 'organisation'),
    organisations: principal(req).adminOrganisations,
    values: { organisationId: w.organisationId ?? '' },
    ...extra,
  })
}

function postOrganisation(req: Request, res: Response) {
  // Chosen (a radio) or typed (a name or KvK number, when the admin has too many organisations for a list).
  const { body, message } = resolveOrganisationField(principal(req).adminOrganisations, req.body, 'organisationId', req.t)
  if (message) return renderOrganisation(req, res, 400, { errors: fromFieldMessages({ organisationId: message }), values: keepValues(req.body) })
  const parsed = parseForm(organisationStepSchema, body, req.t)
  if (!parsed.ok) return renderOrganisation(req, res, 400, { errors: parsed.errors, values: parsed.values })
  const id = parsed.data.organisationId
  if (!isUuid(id)) throw new NotFoundError()
  assertAdministers(principal(req), id)
  const w = wizardOf(req)
  if (w.organisationId !== id) req.session.mandateWizard = { items: [], organisationId: id }
  res.redirect(303, links.mandateWizardUser())
}

// Step 2: user ("Toon niet gekoppelde gebruikers")

async function renderUser(service: Service, req: Request, res: Response, status = 200, extra: Extra = {}) {
  const w = wizardOf(req)
  const source = { ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown> | undefined) ?? {}) }
  const showUnlinked = source.toonNietGekoppeld === '1'
  const zoek = typeof source.zoek === 'string' ? source.zoek.slice(0, 100) : ''
  const pagina = typeof source.pagina === 'string' && /^\d{1,4}$/.test(source.pagina) ? Number(source.pagina) : 0
  const { users, more } = await service.candidateUsers(principal(req), w.organisationId!, showUnlinked, zoek, pagina)
  const org = service.adminOrganisation(principal(req), w.organisationId!)
  const query = (page: number) => ({ toonNietGekoppeld: showUnlinked ? '1' : '', zoek, pagina: page || '' })
  res.status(status).render('pages/mandates/wizard-user', {
    ...wizardLocals(req, 'user'),
    organisation: org,
    users,
    showUnlinked,
    zoek,
    pagination: {
      previousHref: pagina > 0 ? links.mandateWizardUser(query(pagina - 1)) : undefined,
      nextHref: more ? links.mandateWizardUser(query(pagina + 1)) : undefined,
    },
    values: { userId: w.userId ?? '', toonNietGekoppeld: showUnlinked ? '1' : '', zoek },
    ...extra,
  })
}

async function postUser(service: Service, req: Request, res: Response) {
  const w = guard(req, res, 'user')
  if (!w) return
  const parsed = parseForm(userStepSchema, req.body, req.t)
  if (!parsed.ok) return renderUser(service, req, res, 400, { errors: parsed.errors })
  if (!isUuid(parsed.data.userId)) throw new NotFoundError()
  const userId = parsed.data.userId.toLowerCase()
  const result = await service.chooseHolder(actorFrom(req), w.organisationId!, userId)
  if (w.userId !== userId) {
    w.level = undefined
  }
  w.userId = userId
  w.linkRequestNeeded = result.linkRequestNeeded
  if (result.linkRequestNeeded) flash(req, 'info', req.t('mandates:wizard.user.linkRequestLater'))
  res.redirect(303, links.mandateWizardLevel())
}

// Step 3: level (rules 1 and 2)

async function renderLevel(service: Service, req: Request, res: Response, status = 200, extra: Extra = {}) {
  const w = wizardOf(req)
  const choices = await service.levelChoices(principal(req), w.organisationId!, w.userId!)
  res.status(status).render('pages/mandates/wizard-level', { ...wizardLocals(req, 'level'), ...choices, values: { level: w.level ?? '' }, ...extra })
}

async function postLevel(service: Service, req: Request, res: Response) {
  const w = guard(req, res, 'level')
  if (!w) return
  const parsed = parseForm(levelStepSchema, req.body, req.t)
  if (!parsed.ok) return renderLevel(service, req, res, 400, { errors: parsed.errors, values: parsed.values })
  const { choices, adminLevel, meansLevel } = await service.levelChoices(principal(req), w.organisationId!, w.userId!)
  const choice = choices.find((c) => c.level === parsed.data.level)!
  if (!choice.allowed) {
    const key = choice.reason === 'adminLevel' ? 'mandates:errors.adminLevel' : 'mandates:errors.meansLevel'
    const level = choice.reason === 'adminLevel' ? adminLevel : meansLevel
    const errors = ruleErrors({ messageKey: key, field: 'level', params: { level: level ? req.t('common:levels.' + level) : '-' } }, req.t)
    return renderLevel(service, req, res, 422, { errors, values: keepValues(req.body) })
  }
  w.level = parsed.data.level
  res.redirect(303, links.mandateWizardServices())
}

// Step 4: services (search, "alle", "Machtiging toevoegen" adds to the list on the page)

async function renderServices(service: Service, req: Request, res: Response, status = 200, extra: Extra = {}) {
  const w = wizardOf(req)
  const search = typeof req.query.zoek === 'string' ? req.query.zoek.slice(0, 100) : formText(req.body, 'zoek').slice(0, 100)
  const [results, added] = await Promise.all([service.searchCatalogue(search), service.describeScopes(w.items).catch(() => [])])
  res.status(status).render('pages/mandates/wizard-services', {
    ...wizardLocals(req, 'services'),
    search,
    results,
    added,
    level: w.level,
    levelRank: (l: string) => levelRank(l as Level),
    values: { choice: '', zoek: search },
    ...extra,
  })
}

/** "Machtiging toevoegen": adds the chosen scope to the wizard's list, or shows why it cannot (rule 5, duplicates). */
async function addService(service: Service, req: Request, res: Response, w: MandateWizard, choice: string | undefined, search: string, back: string) {
  const item = scopeItemFrom(choice)
  if (!choice) {
    return renderServices(service, req, res, 400, { errors: fromFieldMessages({ choice: req.t('mandates:errors.choiceRequired') }) })
  }
  try {
    const described = await service.describeAddable(item, w.level!)
    const key = described.key
    const existing = await service.describeScopes(w.items)
    if (existing.some((e) => e.key === key))
      throw new RuleViolation('mandates:errors.duplicateItem', 'choice', {
        name: described.serviceName ?? described.providerName ?? req.t('mandates:scope.all'),
      })
    w.items.push(item!) // describeAddable refused a missing item
    flash(
      req,
      'success',
      req.t('mandates:wizard.services.added', {
        name:
          described.serviceName ?? (described.providerName ? req.t('mandates:scope.provider', { name: described.providerName }) : req.t('mandates:scope.all')),
      }),
    )
  } catch (error) {
    const v = ruleFailure(error)
    return renderServices(service, req, res, 422, { errors: ruleErrors({ ...v, field: 'choice' }, req.t), values: { choice: choice ?? '', zoek: search } })
  }
  return res.redirect(303, back)
}

async function postServices(service: Service, req: Request, res: Response) {
  const w = guard(req, res, 'services')
  if (!w) return
  const parsed = parseForm(servicesStepSchema, req.body, req.t)
  if (!parsed.ok) return renderServices(service, req, res, 400, { errors: parsed.errors })
  const search = parsed.data.zoek ?? ''
  const back = links.mandateWizardServices({ zoek: search })
  if (parsed.data.action === 'remove' || parsed.data.remove !== undefined) {
    w.items = w.items.filter((_, index) => String(index) !== parsed.data.remove)
    return res.redirect(303, back)
  }
  if (parsed.data.action === 'add') return addService(service, req, res, w, parsed.data.choice, search, back)
  if (w.items.length === 0) {
    return renderServices(service, req, res, 422, { errors: fromFieldMessages({ choice: req.t('mandates:errors.noServices') }) })
  }
  res.redirect(303, links.mandateWizardTerm())
}

// Step 5: term and optional branch (rules 4 and 6)

async function renderTerm(service: Service, req: Request, res: Response, status = 200, extra: Extra = {}) {
  const w = wizardOf(req)
  const branches = await service.branches(principal(req), w.organisationId!)
  res.status(status).render('pages/mandates/wizard-term', {
    ...wizardLocals(req, 'term'),
    branches,
    terms: TERMS,
    values: { termYears: w.termYears ? String(w.termYears) : '', branchId: w.branchId ?? '' },
    ...extra,
  })
}

async function postTerm(service: Service, req: Request, res: Response) {
  const w = guard(req, res, 'term')
  if (!w) return
  const parsed = parseForm(termStepSchema, req.body, req.t, ['termYears', 'branchId'])
  if (!parsed.ok) return renderTerm(service, req, res, 400, { errors: parsed.errors, values: parsed.values })
  const branchId = parsed.data.branchId
  if (branchId) {
    const branches = await service.branches(principal(req), w.organisationId!)
    if (!isUuid(branchId) || !branches.some((b) => b.id === branchId)) {
      return renderTerm(service, req, res, 422, {
        errors: ruleErrors({ messageKey: 'mandates:errors.branch', field: 'branchId', params: {} }, req.t),
        values: keepValues(req.body),
      })
    }
  }
  w.termYears = parsed.data.termYears
  w.branchId = branchId || null
  res.redirect(303, links.mandateWizardConfirm())
}

// Step 6: confirm, then the result

async function renderConfirm(service: Service, req: Request, res: Response, status = 200, extra: Extra = {}) {
  const w = wizardOf(req)
  const [choices, scopes, branches] = await Promise.all([
    service.levelChoices(principal(req), w.organisationId!, w.userId!),
    service.describeScopes(w.items).catch(() => []),
    service.branches(principal(req), w.organisationId!),
  ])
  const org = service.adminOrganisation(principal(req), w.organisationId!)
  res.status(status).render('pages/mandates/wizard-confirm', {
    ...wizardLocals(req, 'confirm'),
    organisation: org,
    userName: choices.userName,
    linked: choices.linked,
    level: w.level,
    scopes,
    termYears: w.termYears,
    branch: branches.find((b) => b.id === w.branchId) ?? null,
    ...extra,
  })
}

async function postConfirm(service: Service, req: Request, res: Response) {
  const w = guard(req, res, 'confirm')
  if (!w) return
  try {
    const result = await service.grant(actorFrom(req), {
      organisationId: w.organisationId!,
      userId: w.userId!,
      level: w.level!,
      termYears: w.termYears!,
      branchId: w.branchId ?? null,
      items: w.items,
    })
    req.session.mandateGrantResult = {
      organisationName: result.organisationName,
      userName: result.userName,
      status: result.status,
      validUntil: isoDate(result.validUntil),
      scopes: result.scopes.map((s) => ({ scope: s.item.scope, serviceName: s.serviceName, providerName: s.providerName })),
      linkRequestCreated: result.linkRequestCreated,
    }
    req.session.mandateWizard = { items: [] }
    flash(
      req,
      'success',
      req.t(result.status === 'pending' ? 'mandates:wizard.result.flashPending' : 'mandates:wizard.result.flash', { count: result.mandates.length }),
    )
    res.redirect(303, links.mandateWizardResult())
  } catch (error) {
    const v = ruleFailure(error)
    await renderConfirm(service, req, res, 422, { errors: ruleErrors({ ...v, field: undefined }, req.t) })
  }
}

function showResult(req: Request, res: Response) {
  renderStoredResult(req, res, req.session.mandateGrantResult, 'pages/mandates/wizard-result', 'mandates:wizard.result.title')
}

/** A step's page, for a visitor who has done the steps before it. */
function stepPage(step: Step, service: Service, render: (service: Service, req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    if (!guard(req, res, step)) return
    await render(service, req, res)
  }
}

export function wizardRoutes({ mandateWizardService: service }: { mandateWizardService: MandateWizardService }): Router {
  const router = Router()
  router.get(paths.mandates.wizard, allow('admin'), startWizard)
  router.get(paths.mandates.wizardOrganisation, allow('admin'), (req, res) => renderOrganisation(req, res))
  router.post(paths.mandates.wizardOrganisation, allow('admin'), postOrganisation)
  router.get(paths.mandates.wizardUser, allow('admin'), stepPage('user', service, renderUser))
  router.post(paths.mandates.wizardUser, allow('admin'), (req, res) => postUser(service, req, res))
  router.get(paths.mandates.wizardLevel, allow('admin'), stepPage('level', service, renderLevel))
  router.post(paths.mandates.wizardLevel, allow('admin'), (req, res) => postLevel(service, req, res))
  router.get(paths.mandates.wizardServices, allow('admin'), stepPage('services', service, renderServices))
  router.post(paths.mandates.wizardServices, allow('admin'), (req, res) => postServices(service, req, res))
  router.get(paths.mandates.wizardTerm, allow('admin'), stepPage('term', service, renderTerm))
  router.post(paths.mandates.wizardTerm, allow('admin'), (req, res) => postTerm(service, req, res))
  router.get(paths.mandates.wizardConfirm, allow('admin'), stepPage('confirm', service, renderConfirm))
  router.post(paths.mandates.wizardConfirm, allow('admin'), (req, res) => postConfirm(service, req, res))
  router.get(paths.mandates.wizardResult, allow('admin'), showResult)
  return router
}
