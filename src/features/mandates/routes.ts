// Beheer → Machtigingen: the list, the "Nieuwe Machtigingen Aanvragen" wizard (server-side steps,
// state in the session), revoke, renew (one or many) and activate. Handlers parse and render only.
import { Router, type Request, type Response } from 'express'
import { actorFrom } from '../../shared/actor.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { isoDate } from '../../domain/dates.ts'
import { formatDate } from '../../web/format.ts'
import { fromFieldMessages, keepValues, parseForm, ruleErrors, type FormErrors } from '../../web/forms.ts'
import { fill, listIcons, listTexts, scopeFilterOptions } from './listView.ts'
import { LEVELS, PAGE_SIZES, TERMS, type ListFilter } from './mandateService.ts'
import {
  bulkRenewSchema,
  cursorFromQuery,
  filterFromQuery,
  filterParams,
  idList,
  isUuid,
  levelStepSchema,
  listQuerySchema,
  organisationStepSchema,
  scopeItemFrom,
  servicesStepSchema,
  termSchema,
  termStepSchema,
  userStepSchema,
  type ListQuery,
} from './schemas.ts'
import type { MandateWizard } from './session.ts'

const BASE = paths.beheer.mandates
export const mandatePaths = {
  list: BASE,
  wizard: `${BASE}/nieuw`,
  organisation: `${BASE}/nieuw/organisatie`,
  user: `${BASE}/nieuw/gebruiker`,
  level: `${BASE}/nieuw/niveau`,
  services: `${BASE}/nieuw/diensten`,
  term: `${BASE}/nieuw/termijn`,
  confirm: `${BASE}/nieuw/bevestigen`,
  result: `${BASE}/nieuw/resultaat`,
  bulkRenew: `${BASE}/verlengen`,
  bulkRenewResult: `${BASE}/verlengen/resultaat`,
  revoke: (id: string) => `${BASE}/${id}/intrekken`,
  renew: (id: string) => `${BASE}/${id}/verlengen`,
  activate: (id: string) => `${BASE}/${id}/activeren`,
  newMeans: `${paths.beheer.users}/toevoegen`,
}

const STEPS = ['organisation', 'user', 'level', 'services', 'term', 'confirm'] as const
type Step = (typeof STEPS)[number]

function query(params: Record<string, string>): string {
  const s = new URLSearchParams(params).toString()
  return s ? `?${s}` : ''
}

/** A route id that is not a uuid does not exist (404, never a 500). */
function idParam(req: Request): string {
  const id = req.params.id
  if (!isUuid(id)) throw new NotFoundError()
  return id.toLowerCase()
}

function beheer(req: Request, title: string, crumbs: { label: string; href?: string }[] = []) {
  return {
    title,
    section: 'beheer',
    subsection: 'mandates',
    breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.root }, { label: req.t('common:nav.mandates'), href: BASE }, ...crumbs],
  }
}

function ruleFailure(error: unknown): RuleViolation {
  if (error instanceof RuleViolation) return error
  throw error
}

export function mandateRoutes({ mandateService }: Services): Router {
  const router = Router()

  router.get(paths.beheer.root, allow('admin'), (_req, res) => res.redirect(303, BASE))

  // -------------------------------------------------------------------------------------------
  // The list

  router.get(BASE, allow('admin'), async (req, res) => {
    const parsed = listQuerySchema.safeParse(req.query)
    let q: ListQuery = {}
    let errors: FormErrors | undefined
    if (parsed.success) q = parsed.data
    else {
      // A filter we cannot read: say so at the filter, show the unfiltered list.
      const fields: Record<string, string> = {}
      for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= req.t('mandates:errors.filter')
      errors = fromFieldMessages(fields)
      res.status(400)
    }
    if (q.organisatie && !req.user!.adminOrganisations.some((o) => o.id === q.organisatie)) throw new NotFoundError()
    const filter = filterFromQuery(q)
    const page = await mandateService.list(req.user!, filter, cursorFromQuery(q))
    const params = filterParams(q)
    const scopeOptions = scopeFilterOptions(await mandateService.catalogueForFilter(), req.t)
    res.render('pages/mandates/list', {
      ...beheer(req, req.t('mandates:list.title')),
      breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.root }, { label: req.t('common:nav.mandates') }],
      rows: page.rows,
      organisations: req.user!.adminOrganisations,
      scopeOptions,
      levels: LEVELS,
      pageSizes: PAGE_SIZES,
      q,
      params,
      ...(errors ? { errors, values: keepValues(req.query) } : { values: q }),
      pagination: {
        firstHref: page.previous ? BASE + query(params) : null,
        previousHref: page.previous ? BASE + query({ ...params, voor: `${page.previous.date}_${page.previous.id}` }) : null,
        nextHref: page.next ? BASE + query({ ...params, na: `${page.next.date}_${page.next.id}` }) : null,
      },
      paths: mandatePaths,
      icons: listIcons,
      texts: listTexts(req.t),
      fill,
    })
  })

  // -------------------------------------------------------------------------------------------
  // Nieuwe Machtigingen Aanvragen: one step per page, state in the session

  const wizardOf = (req: Request): MandateWizard => (req.session.mandateWizard ??= { items: [] })

  /** The first step whose input is missing; a later step cannot be opened before it. */
  function missingStep(w: MandateWizard, upTo: Step): Step | null {
    const done: Record<Step, boolean> = {
      organisation: Boolean(w.organisationId),
      user: Boolean(w.userId),
      level: Boolean(w.level),
      services: w.items.length > 0,
      term: Boolean(w.termYears),
      confirm: false,
    }
    for (const step of STEPS) {
      if (step === upTo) return null
      if (!done[step]) return step
    }
    return null
  }
  const stepPath: Record<Step, string> = {
    organisation: mandatePaths.organisation,
    user: mandatePaths.user,
    level: mandatePaths.level,
    services: mandatePaths.services,
    term: mandatePaths.term,
    confirm: mandatePaths.confirm,
  }
  function guard(req: Request, res: Response, step: Step): MandateWizard | null {
    const w = wizardOf(req)
    const missing = missingStep(w, step)
    if (missing) {
      res.redirect(303, stepPath[missing])
      return null
    }
    return w
  }
  function wizardLocals(req: Request, step: Step) {
    return {
      ...beheer(req, req.t(`mandates:wizard.${step}.title`), [{ label: req.t('mandates:wizard.title'), href: mandatePaths.wizard }, { label: req.t(`mandates:wizard.${step}.title`) }]),
      stepNumber: STEPS.indexOf(step) + 1,
      stepCount: STEPS.length,
      paths: mandatePaths,
      backHref: step === 'organisation' ? BASE : stepPath[STEPS[STEPS.indexOf(step) - 1]!],
    }
  }

  router.get(mandatePaths.wizard, allow('admin'), (req, res) => {
    req.session.mandateWizard = { items: [] }
    const org = typeof req.query.organisatie === 'string' ? req.query.organisatie : ''
    if (org && req.user!.adminOrganisations.some((o) => o.id === org)) {
      req.session.mandateWizard.organisationId = org
      return res.redirect(303, mandatePaths.user)
    }
    res.redirect(303, mandatePaths.organisation)
  })

  // Step 1: organisation
  const renderOrganisation = (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const w = wizardOf(req)
    res.status(status).render('pages/mandates/wizard-organisation', {
      ...wizardLocals(req, 'organisation'),
      organisations: req.user!.adminOrganisations,
      values: { organisationId: w.organisationId ?? '' },
      ...extra,
    })
  }
  router.get(mandatePaths.organisation, allow('admin'), (req, res) => renderOrganisation(req, res))
  router.post(mandatePaths.organisation, allow('admin'), (req, res) => {
    const parsed = parseForm(organisationStepSchema, req.body, req.t)
    if (!parsed.ok) return renderOrganisation(req, res, 400, { errors: parsed.errors, values: parsed.values })
    const id = parsed.data.organisationId
    if (!isUuid(id) || !req.user!.adminOrganisations.some((o) => o.id === id)) throw new NotFoundError()
    const w = wizardOf(req)
    if (w.organisationId !== id) req.session.mandateWizard = { items: [], organisationId: id }
    res.redirect(303, mandatePaths.user)
  })

  // Step 2: user ("Toon niet gekoppelde gebruikers")
  const renderUser = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const w = wizardOf(req)
    const showUnlinked = req.query.toonNietGekoppeld === '1' || (req.body as Record<string, unknown> | undefined)?.toonNietGekoppeld === '1'
    const users = await mandateService.candidateUsers(req.user!, w.organisationId!, showUnlinked)
    const org = mandateService.adminOrganisation(req.user!, w.organisationId!)
    res.status(status).render('pages/mandates/wizard-user', {
      ...wizardLocals(req, 'user'),
      organisation: org,
      users,
      showUnlinked,
      values: { userId: w.userId ?? '', toonNietGekoppeld: showUnlinked ? '1' : '' },
      ...extra,
    })
  }
  router.get(mandatePaths.user, allow('admin'), async (req, res) => {
    if (!guard(req, res, 'user')) return
    await renderUser(req, res)
  })
  router.post(mandatePaths.user, allow('admin'), async (req, res) => {
    const w = guard(req, res, 'user')
    if (!w) return
    const parsed = parseForm(userStepSchema, req.body, req.t)
    if (!parsed.ok) return renderUser(req, res, 400, { errors: parsed.errors })
    if (!isUuid(parsed.data.userId)) throw new NotFoundError()
    const userId = parsed.data.userId.toLowerCase()
    const result = await mandateService.chooseHolder(actorFrom(req), w.organisationId!, userId)
    if (w.userId !== userId) {
      w.level = undefined
    }
    w.userId = userId
    w.linkRequestCreated = result.linkRequestCreated || (w.linkRequestCreated && w.userId === userId)
    if (result.linkRequestCreated) flash(req, 'info', req.t('mandates:wizard.user.linkRequestSent'))
    res.redirect(303, mandatePaths.level)
  })

  // Step 3: level (rules 1 and 2)
  const renderLevel = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const w = wizardOf(req)
    const choices = await mandateService.levelChoices(req.user!, w.organisationId!, w.userId!)
    res.status(status).render('pages/mandates/wizard-level', { ...wizardLocals(req, 'level'), ...choices, values: { level: w.level ?? '' }, ...extra })
  }
  router.get(mandatePaths.level, allow('admin'), async (req, res) => {
    if (!guard(req, res, 'level')) return
    await renderLevel(req, res)
  })
  router.post(mandatePaths.level, allow('admin'), async (req, res) => {
    const w = guard(req, res, 'level')
    if (!w) return
    const parsed = parseForm(levelStepSchema, req.body, req.t)
    if (!parsed.ok) return renderLevel(req, res, 400, { errors: parsed.errors, values: parsed.values })
    const { choices, adminLevel, meansLevel } = await mandateService.levelChoices(req.user!, w.organisationId!, w.userId!)
    const choice = choices.find((c) => c.level === parsed.data.level)!
    if (!choice.allowed) {
      const key = choice.reason === 'adminLevel' ? 'mandates:errors.adminLevel' : 'mandates:errors.meansLevel'
      const level = choice.reason === 'adminLevel' ? adminLevel : meansLevel
      const errors = ruleErrors({ messageKey: key, field: 'level', params: { level: level ? req.t('common:levels.' + level) : '-' } }, req.t)
      return renderLevel(req, res, 422, { errors, values: keepValues(req.body) })
    }
    w.level = parsed.data.level
    res.redirect(303, mandatePaths.services)
  })

  // Step 4: services (search, "alle", "Machtiging toevoegen" adds to the list on the page)
  const renderServices = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const w = wizardOf(req)
    const search = typeof req.query.zoek === 'string' ? req.query.zoek.slice(0, 100) : typeof req.body?.zoek === 'string' ? String(req.body.zoek).slice(0, 100) : ''
    const [results, added] = await Promise.all([mandateService.searchCatalogue(search), mandateService.describeScopes(w.items).catch(() => [])])
    res.status(status).render('pages/mandates/wizard-services', {
      ...wizardLocals(req, 'services'),
      search,
      results,
      added,
      level: w.level,
      levelRank: (l: string) => LEVELS.indexOf(l as never),
      values: { choice: '', zoek: search },
      ...extra,
    })
  }
  router.get(mandatePaths.services, allow('admin'), async (req, res) => {
    if (!guard(req, res, 'services')) return
    await renderServices(req, res)
  })
  router.post(mandatePaths.services, allow('admin'), async (req, res) => {
    const w = guard(req, res, 'services')
    if (!w) return
    const parsed = parseForm(servicesStepSchema, req.body, req.t)
    if (!parsed.ok) return renderServices(req, res, 400, { errors: parsed.errors })
    const search = parsed.data.zoek ?? ''
    const back = mandatePaths.services + query(search ? { zoek: search } : {})
    if (parsed.data.action === 'remove' || parsed.data.remove !== undefined) {
      w.items = w.items.filter((_, index) => String(index) !== parsed.data.remove)
      return res.redirect(303, back)
    }
    if (parsed.data.action === 'add') {
      const item = scopeItemFrom(parsed.data.choice)
      if (!parsed.data.choice) {
        return renderServices(req, res, 400, { errors: fromFieldMessages({ choice: req.t('mandates:errors.choiceRequired') }) })
      }
      try {
        const described = await mandateService.describeAddable(item, w.level!)
        const key = described.key
        const existing = await mandateService.describeScopes(w.items)
        if (existing.some((e) => e.key === key)) throw new RuleViolation('mandates:errors.duplicateItem', 'choice', { name: described.serviceName ?? described.providerName ?? req.t('mandates:scope.all') })
        w.items.push(item!) // describeAddable refused a missing item
        flash(req, 'success', req.t('mandates:wizard.services.added', { name: described.serviceName ?? (described.providerName ? req.t('mandates:scope.provider', { name: described.providerName }) : req.t('mandates:scope.all')) }))
      } catch (error) {
        const v = ruleFailure(error)
        return renderServices(req, res, 422, { errors: ruleErrors({ ...v, field: 'choice' }, req.t), values: { choice: parsed.data.choice ?? '', zoek: search } })
      }
      return res.redirect(303, back)
    }
    if (w.items.length === 0) {
      return renderServices(req, res, 422, { errors: fromFieldMessages({ choice: req.t('mandates:errors.noServices') }) })
    }
    res.redirect(303, mandatePaths.term)
  })

  // Step 5: term and optional branch (rules 4 and 6)
  const renderTerm = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const w = wizardOf(req)
    const branches = await mandateService.branches(req.user!, w.organisationId!)
    res.status(status).render('pages/mandates/wizard-term', {
      ...wizardLocals(req, 'term'),
      branches,
      terms: TERMS,
      values: { termYears: w.termYears ? String(w.termYears) : '', branchId: w.branchId ?? '' },
      ...extra,
    })
  }
  router.get(mandatePaths.term, allow('admin'), async (req, res) => {
    if (!guard(req, res, 'term')) return
    await renderTerm(req, res)
  })
  router.post(mandatePaths.term, allow('admin'), async (req, res) => {
    const w = guard(req, res, 'term')
    if (!w) return
    const parsed = parseForm(termStepSchema, req.body, req.t, ['termYears', 'branchId'])
    if (!parsed.ok) return renderTerm(req, res, 400, { errors: parsed.errors, values: parsed.values })
    const branchId = parsed.data.branchId
    if (branchId) {
      const branches = await mandateService.branches(req.user!, w.organisationId!)
      if (!isUuid(branchId) || !branches.some((b) => b.id === branchId)) {
        return renderTerm(req, res, 422, { errors: ruleErrors({ messageKey: 'mandates:errors.branch', field: 'branchId', params: {} }, req.t), values: keepValues(req.body) })
      }
    }
    w.termYears = parsed.data.termYears
    w.branchId = branchId || null
    res.redirect(303, mandatePaths.confirm)
  })

  // Step 6: confirm
  const renderConfirm = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const w = wizardOf(req)
    const [choices, scopes, branches] = await Promise.all([
      mandateService.levelChoices(req.user!, w.organisationId!, w.userId!),
      mandateService.describeScopes(w.items).catch(() => []),
      mandateService.branches(req.user!, w.organisationId!),
    ])
    const org = mandateService.adminOrganisation(req.user!, w.organisationId!)
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
  router.get(mandatePaths.confirm, allow('admin'), async (req, res) => {
    if (!guard(req, res, 'confirm')) return
    await renderConfirm(req, res)
  })
  router.post(mandatePaths.confirm, allow('admin'), async (req, res) => {
    const w = guard(req, res, 'confirm')
    if (!w) return
    try {
      const result = await mandateService.grant(actorFrom(req), {
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
        linkRequestCreated: Boolean(w.linkRequestCreated),
      }
      req.session.mandateWizard = { items: [] }
      flash(req, 'success', req.t('mandates:wizard.result.flash', { count: result.mandates.length }))
      res.redirect(303, mandatePaths.result)
    } catch (error) {
      const v = ruleFailure(error)
      await renderConfirm(req, res, 422, { errors: ruleErrors({ ...v, field: undefined }, req.t) })
    }
  })

  router.get(mandatePaths.result, allow('admin'), (req, res) => {
    const result = req.session.mandateGrantResult
    if (!result) return res.redirect(303, BASE)
    res.render('pages/mandates/wizard-result', {
      ...beheer(req, req.t('mandates:wizard.result.title'), [{ label: req.t('mandates:wizard.result.title') }]),
      result,
      paths: mandatePaths,
    })
  })

  // -------------------------------------------------------------------------------------------
  // Machtigingen Verlengen (bulk): the selected rows, or everything matching the filter

  const renderBulk = (req: Request, res: Response, source: Record<string, unknown>, status = 200, extra: Record<string, unknown> = {}) => {
    const parsed = listQuerySchema.safeParse(source)
    const q = parsed.success ? parsed.data : {}
    const ids = idList(source.id)
    res.status(status).render('pages/mandates/bulk-renew', {
      ...beheer(req, req.t('mandates:bulk.title'), [{ label: req.t('mandates:bulk.title') }]),
      ids,
      params: filterParams(q),
      terms: TERMS,
      values: { selection: ids.length ? 'selected' : 'filter', termYears: '' },
      paths: mandatePaths,
      ...extra,
    })
  }
  router.get(mandatePaths.bulkRenew, allow('admin'), (req, res) => renderBulk(req, res, req.query as Record<string, unknown>))
  router.post(mandatePaths.bulkRenew, allow('admin'), async (req, res) => {
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
    if (q.organisatie && !req.user!.adminOrganisations.some((o) => o.id === q.organisatie)) throw new NotFoundError()
    const filter: ListFilter = filterFromQuery(q)
    const outcomes = await mandateService.renew(actorFrom(req), parsed.data.selection === 'selected' ? { ids } : { filter }, parsed.data.termYears)
    if (parsed.data.selection === 'selected' && outcomes.length === 0) throw new NotFoundError()
    const renewed = outcomes.filter((o) => !o.refusal).length
    req.session.mandateRenewResult = {
      termYears: parsed.data.termYears,
      total: outcomes.length,
      renewed,
      refused: outcomes.length - renewed,
      // Refusals first, so the reasons are always on the page; at most 500 rows are kept.
      outcomes: [...outcomes.filter((o) => o.refusal), ...outcomes.filter((o) => !o.refusal)].slice(0, 500).map((o) => ({
        ...o,
        oldUntil: isoDate(o.oldUntil),
        newUntil: o.newUntil ? isoDate(o.newUntil) : null,
      })),
    }
    flash(req, renewed ? 'success' : 'warning', req.t('mandates:renew.flash', { renewed, total: outcomes.length }))
    res.redirect(303, mandatePaths.bulkRenewResult)
  })
  router.get(mandatePaths.bulkRenewResult, allow('admin'), (req, res) => {
    const result = req.session.mandateRenewResult
    if (!result) return res.redirect(303, BASE)
    res.render('pages/mandates/renew-result', {
      ...beheer(req, req.t('mandates:renew.resultTitle'), [{ label: req.t('mandates:renew.resultTitle') }]),
      result,
      paths: mandatePaths,
    })
  })

  // -------------------------------------------------------------------------------------------
  // One mandate: revoke (trash can), renew (renew icon), activate (expired ones)

  router.get(`${BASE}/:id/intrekken`, allow('admin'), async (req, res) => {
    const mandate = await mandateService.getForAdmin(req.user!, idParam(req))
    res.render('pages/mandates/revoke', { ...beheer(req, req.t('mandates:revoke.title'), [{ label: req.t('mandates:revoke.title') }]), mandate, paths: mandatePaths })
  })
  router.post(`${BASE}/:id/intrekken`, allow('admin'), async (req, res) => {
    const id = idParam(req)
    try {
      const result = await mandateService.revoke(actorFrom(req), id)
      flash(req, 'success', req.t('mandates:revoke.flash', { name: result.userName }))
      res.redirect(303, BASE)
    } catch (error) {
      const v = ruleFailure(error)
      const mandate = await mandateService.getForAdmin(req.user!, id)
      res.status(422).render('pages/mandates/revoke', {
        ...beheer(req, req.t('mandates:revoke.title'), [{ label: req.t('mandates:revoke.title') }]),
        mandate,
        paths: mandatePaths,
        errors: ruleErrors(v, req.t),
      })
    }
  })

  const renderTermPage = async (req: Request, res: Response, mode: 'renew' | 'activate', status = 200, extra: Record<string, unknown> = {}) => {
    const mandate = await mandateService.getForAdmin(req.user!, idParam(req))
    res.status(status).render('pages/mandates/term', {
      ...beheer(req, req.t(`mandates:${mode}.title`), [{ label: req.t(`mandates:${mode}.title`) }]),
      mode,
      mandate,
      terms: TERMS,
      action: mode === 'renew' ? mandatePaths.renew(mandate.id) : mandatePaths.activate(mandate.id),
      paths: mandatePaths,
      formatDate,
      ...extra,
    })
  }
  router.get(`${BASE}/:id/verlengen`, allow('admin'), (req, res) => renderTermPage(req, res, 'renew'))
  router.post(`${BASE}/:id/verlengen`, allow('admin'), async (req, res) => {
    const id = idParam(req)
    const parsed = parseForm(termSchema, req.body, req.t)
    if (!parsed.ok) return renderTermPage(req, res, 'renew', 400, { errors: parsed.errors, values: parsed.values })
    const [outcome] = await mandateService.renew(actorFrom(req), { ids: [id] }, parsed.data.termYears)
    if (!outcome) throw new NotFoundError()
    if (outcome.refusal) {
      const errors = ruleErrors({ messageKey: `mandates:refusals.${outcome.refusal}`, field: 'termYears', params: {} }, req.t)
      return renderTermPage(req, res, 'renew', 422, { errors, values: keepValues(req.body) })
    }
    flash(req, 'success', req.t('mandates:renew.flashOne', { name: outcome.userName, date: formatDate(outcome.newUntil, req.locale) }))
    res.redirect(303, BASE)
  })

  router.get(`${BASE}/:id/activeren`, allow('admin'), (req, res) => renderTermPage(req, res, 'activate'))
  router.post(`${BASE}/:id/activeren`, allow('admin'), async (req, res) => {
    const id = idParam(req)
    const parsed = parseForm(termSchema, req.body, req.t)
    if (!parsed.ok) return renderTermPage(req, res, 'activate', 400, { errors: parsed.errors, values: parsed.values })
    try {
      const result = await mandateService.activate(actorFrom(req), id, parsed.data.termYears)
      flash(req, 'success', req.t('mandates:activate.flash', { name: result.userName, date: formatDate(result.validUntil, req.locale) }))
      res.redirect(303, `${BASE}?inactief=1`)
    } catch (error) {
      const v = ruleFailure(error)
      await renderTermPage(req, res, 'activate', 422, { errors: ruleErrors({ ...v, field: 'termYears' }, req.t), values: keepValues(req.body) })
    }
  })

  return router
}
