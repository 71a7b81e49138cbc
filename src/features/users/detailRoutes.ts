// Beheer → Gebruikers → one user: the detail page and the request to raise the level of the means.
import { Router, type Request, type Response } from 'express'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import { formText, fromFieldMessages, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { LEVELS, levelLabel, parseLevel } from '../../domain/levels.ts'
import { isoDate } from '../../domain/dates.ts'
import { TERMS } from '../../domain/terms.ts'
import { uuidFrom } from './schemas.ts'
import type { MeansRequestService } from './meansRequests.ts'
import { personName } from '../../domain/names.ts'
import { describeEvent } from '../../shared/eventText.ts'
import { formatDate } from '../../web/format.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import type { UsersService } from './usersService.ts'
import { crumbs, usersPage } from './pageLocals.ts'

async function renderDetail(usersService: UsersService, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  const { user, audit } = await usersService.detail(principal(req), parseParams(idParam, req.params).id)
  const activeMeans = user.means.find((m) => m.status === 'active')
  // "Middel verlengen": the latest active or expired means; "Nieuw Middel Aanvragen": no live means.
  const renewableMeans = user.means.find((m) => m.status === 'active' || m.status === 'expired')
  const canRequestNew = !user.means.some((m) => m.status === 'active' || m.status === 'requested' || m.status === 'suspended')
  res.status(status).render(
    'pages/users/detail',
    usersPage({
      title: personName(user),
      breadcrumbs: crumbs(req, { label: personName(user) }),
      person: user,
      audit: audit.map((e) => describeEvent({ ...e, actorName: e.actor ? personName(e.actor) : null }, req.t, (d) => formatDate(d, req.locale))),
      activeMeans,
      renewableMeans,
      canRequestNew,
      terms: TERMS,
      isoDate,
      levels: LEVELS,
      levelLabel,
      upgradeOrganisations: principal(req).adminOrganisations.filter((o) => user.links.some((l) => l.organisationId === o.id)),
      ...extra,
    }),
  )
}

async function postUpgrade(usersService: UsersService, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const level = parseLevel(formText(body, 'level'))
  const organisationId = formText(body, 'organisationId')
  if (!level || !/^[0-9a-f-]{36}$/.test(organisationId)) {
    return renderDetail(usersService, req, res, 400, { errors: fromFieldMessages({ level: req.t('users:upgrade.errors.level') }), values: body })
  }
  try {
    const status = await usersService.requestUpgrade(principal(req), actorFrom(req), { userId: parseParams(idParam, req.params).id, organisationId, level })
    flash(req, 'success', req.t(`users:upgrade.done.${status}`, { level: levelLabel(level) }))
    res.redirect(303, links.userDetail(String(req.params.id)))
  } catch (error) {
    if (!(error instanceof RuleViolation)) throw error
    await renderDetail(usersService, req, res, 422, { errors: ruleErrors(error, req.t), values: body })
  }
}

/** "Middel verlengen" and "Nieuw Middel Aanvragen" on the user page: a refusal is shown at its field, nothing changed. */
async function postMeansRequest(deps: Deps, req: Request, res: Response, kind: 'renew' | 'new') {
  const body = (req.body ?? {}) as Record<string, unknown>
  const userId = parseParams(idParam, req.params).id
  // Each form on the page has its own field names (renew…, new…), so ids and errors never collide.
  const field = (name: string) => `${kind}${name}`
  const organisationId = uuidFrom(body[field('OrganisationId')])
  const termYears = Number(formText(body, field('TermYears')))
  const level = parseLevel(formText(body, field('Level')))
  const errors: Record<string, string> = {}
  if (!organisationId) errors[field('OrganisationId')] = req.t('users:upgrade.errors.organisation')
  if (![1, 3, 5].includes(termYears)) errors[field('TermYears')] = req.t('mandates:errors.term')
  if (kind === 'new' && !level) errors[field('Level')] = req.t('users:upgrade.errors.level')
  const extra = { values: body }
  if (Object.keys(errors).length) return renderDetail(deps.usersService, req, res, 400, { errors: fromFieldMessages(errors), ...extra })
  try {
    if (kind === 'renew') {
      const input = { userId, organisationId, termYears, meansId: uuidFrom(body.meansId), seenUntil: formText(body, 'seenUntil') }
      const result = await deps.meansRequestService.renew(principal(req), actorFrom(req), input)
      flash(req, 'success', req.t('users:meansRequest.renewed', { date: formatDate(result.validUntil, req.locale) }))
    } else {
      const status = await deps.meansRequestService.requestNew(principal(req), actorFrom(req), { userId, organisationId, termYears, level: level! })
      flash(req, 'success', req.t(`users:meansRequest.new.${status}`, { level: levelLabel(level!) }))
    }
    res.redirect(303, links.userDetail(userId))
  } catch (error) {
    if (!(error instanceof RuleViolation)) throw error
    const refusal = error.field
      ? { ...error, messageKey: error.messageKey, params: error.params, field: field(error.field[0]!.toUpperCase() + error.field.slice(1)) }
      : error
    await renderDetail(deps.usersService, req, res, 422, { errors: ruleErrors(refusal, req.t), ...extra })
  }
}

type Deps = { usersService: UsersService; meansRequestService: MeansRequestService }

export function userDetailRoutes(deps: Deps): Router {
  const { usersService } = deps
  const router = Router()
  router.get(paths.beheer.userDetail, allow('admin'), (req, res) => renderDetail(usersService, req, res, 200))
  router.post(paths.beheer.userUpgrade, allow('admin'), (req, res) => postUpgrade(usersService, req, res))
  router.post(paths.beheer.userMeansRenew, allow('admin'), (req, res) => postMeansRequest(deps, req, res, 'renew'))
  router.post(paths.beheer.userMeansNew, allow('admin'), (req, res) => postMeansRequest(deps, req, res, 'new'))
  return router
}
