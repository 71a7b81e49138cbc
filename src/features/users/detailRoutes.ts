// Beheer → Gebruikers → one user: the detail page and the request to raise the level of the means.
import { Router, type Request, type Response } from 'express'
import { ConflictError, RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import { formText, fromFieldMessages, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { LEVELS, levelAtLeast, levelLabel, needsIdentityCheck, parseLevel } from '../../domain/levels.ts'
import type { Level } from '../../generated/prisma/client.ts'
import { uuidFrom } from './schemas.ts'
import { isoDate } from '../../domain/dates.ts'
import { TERMS } from '../../domain/terms.ts'
import type { MeansRequestService } from './meansRequests.ts'
import { personName } from '../../domain/names.ts'
import { formatDate } from '../../web/format.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import type { UsersService } from './usersService.ts'
import type { Db } from '../../db/tx.ts'
import { parseMailLocale, setMailLocale } from '../../shared/mailLocale.ts'

type Deps = {
  db: Db
  usersService: UsersService
  meansRequestService: MeansRequestService
}
import { formatDateTime } from '../../web/format.ts'
import { auditChanges, auditSentence } from '../../shared/auditSentences.ts'
import { crumbs, usersPage } from './pageLocals.ts'
import { resolveOrganisationField } from '../../web/organisationChoice.ts'

/** The levels an upgrade may go to: above the means, at most the admin's highest level here (rule 2); the rest with its reason. */
function upgradeLevels(current: Level | undefined, organisations: { level: Level }[]) {
  const adminLevel = organisations.map((o) => o.level).reduce<Level | null>((best, l) => (!best || levelAtLeast(l, best) ? l : best), null)
  const higher = current ? LEVELS.filter((l) => !levelAtLeast(current, l)) : []
  const offered = adminLevel ? higher.filter((l) => levelAtLeast(adminLevel, l)) : []
  return { offered, leftOut: higher.filter((l) => !offered.includes(l)), adminLevel }
}

async function renderDetail(deps: Deps, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  const { user, activated, history: audit } = await deps.usersService.detail(principal(req), parseParams(idParam, req.params).id, { history: true })
  const activeMeans = user.means.find((m) => m.status === 'active')
  const upgradeOrganisations = principal(req).adminOrganisations.filter((o) => user.links.some((l) => l.organisationId === o.id))
  const names = await deps.usersService.auditNames(principal(req), req.t, audit)
  const history = audit.map((e) => ({
    at: e.at,
    when: formatDateTime(e.at, req.locale),
    sentence: auditSentence(req.t, req.locale, names, { ...e, organisationName: null }),
    changes: auditChanges(req.t, req.locale, e),
  }))
  // "Middel verlengen": the latest active or expired means; "Nieuw Middel Aanvragen": no live means.
  const renewableMeans = user.means.find((m) => m.status === 'active' || m.status === 'expired')
  // Offer the renewal only where it can succeed: a means above every level the admin has here is refused (rule 2).
  const renewLevelAllowed = !renewableMeans || upgradeOrganisations.some((o) => levelAtLeast(o.level, renewableMeans.level))
  const canRequestNew = !user.means.some((m) => m.status === 'active' || m.status === 'requested' || m.status === 'suspended')
  res.status(status).render(
    'pages/users/detail',
    usersPage({
      title: personName(user),
      breadcrumbs: crumbs(req, { label: personName(user) }),
      person: user,
      audit: history,
      activeMeans,
      renewableMeans,
      renewLevelAllowed,
      canRequestNew,
      terms: TERMS,
      isoDate,
      levels: LEVELS,
      levelLabel,
      upgradeOrganisations,
      upgradeLevels: upgradeLevels(activeMeans?.level, upgradeOrganisations),
      activated,
      ...extra,
    }),
  )
}

/** "Middel upgraden": first a page that says what will happen, then the confirmation bound to it. */
async function postUpgrade(deps: Deps, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>
  // The organisation as chosen (an id) or typed (a name or KvK number, when there are too many for a list).
  const chosen = resolveOrganisationField(principal(req).adminOrganisations, body, 'organisationId', req.t)
  if (chosen.message) return renderDetail(deps, req, res, 400, { errors: fromFieldMessages({ organisationId: chosen.message }), values: body })
  const level = parseLevel(formText(body, 'level'))
  const organisationId = formText(chosen.body, 'organisationId')
  if (!level || !/^[0-9a-f-]{36}$/.test(organisationId)) {
    return renderDetail(deps, req, res, 400, { errors: fromFieldMessages({ level: req.t('users:upgrade.errors.level') }), values: body })
  }
  const input = { userId: parseParams(idParam, req.params).id, organisationId, level }
  const version = formText(body, 'versie')
  try {
    if (!version) return await showUpgradeConfirm(deps, req, res, input, 200)
    const status = await deps.usersService.requestUpgrade(principal(req), actorFrom(req), { ...input, version })
    flash(req, 'success', req.t(`users:upgrade.done.${status}`, { level: levelLabel(level) }))
    res.redirect(303, links.userDetail(input.userId))
  } catch (error) {
    if (error instanceof ConflictError) {
      try {
        return await showUpgradeConfirm(deps, req, res, input, 409, true)
      } catch (stale) {
        if (!(stale instanceof RuleViolation)) throw stale
        return renderDetail(deps, req, res, 409, { errors: ruleErrors(stale, req.t), values: body })
      }
    }
    if (!(error instanceof RuleViolation)) throw error
    await renderDetail(deps, req, res, version ? 409 : 422, { errors: ruleErrors(error, req.t), values: body })
  }
}

async function showUpgradeConfirm(
  deps: Deps,
  req: Request,
  res: Response,
  input: { userId: string; organisationId: string; level: Level },
  status: number,
  stale = false,
) {
  const preview = await deps.usersService.previewUpgrade(principal(req), input)
  if (preview.alreadyOpen) throw new RuleViolation('users:upgrade.errors.alreadyOpen', 'level')
  res.status(status).render(
    'pages/users/upgrade-confirm',
    usersPage({
      title: req.t('users:upgrade.confirmTitle'),
      breadcrumbs: crumbs(req, { label: personName(preview.user), href: links.userDetail(preview.user.id) }, { label: req.t('users:upgrade.heading') }),
      preview,
      level: input.level,
      identityCheck: needsIdentityCheck(input.level),
      name: personName(preview.user),
      levelLabel,
      stale,
    }),
  )
}

/** "Middel verlengen" and "Nieuw Middel Aanvragen" on the user page: a refusal is shown at its field, nothing changed. */
async function postMeansRequest(deps: Deps, req: Request, res: Response, kind: 'renew' | 'new') {
  const body = (req.body ?? {}) as Record<string, unknown>
  const userId = parseParams(idParam, req.params).id
  // Each form on the page has its own field names (renew…, new…), so ids and errors never collide.
  const field = (name: string) => `${kind}${name}`
  // The organisation as chosen (an id) or typed (a name or KvK number, when there are too many for a list).
  const chosen = resolveOrganisationField(principal(req).adminOrganisations, body, field('OrganisationId'), req.t)
  const organisationId = uuidFrom((chosen.body as Record<string, unknown>)[field('OrganisationId')])
  const termYears = Number(formText(body, field('TermYears')))
  const level = parseLevel(formText(body, field('Level')))
  const errors: Record<string, string> = {}
  if (!organisationId) errors[field('OrganisationId')] = chosen.message ?? req.t('users:upgrade.errors.organisation')
  if (![1, 3, 5].includes(termYears)) errors[field('TermYears')] = req.t('mandates:errors.term')
  if (kind === 'new' && !level) errors[field('Level')] = req.t('users:upgrade.errors.level')
  const extra = { values: body }
  if (Object.keys(errors).length) return renderDetail(deps, req, res, 400, { errors: fromFieldMessages(errors), ...extra })
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
    await renderDetail(deps, req, res, 422, { errors: ruleErrors(refusal, req.t), ...extra })
  }
}

/** "Taal van e-mails" on the user page: the admin sets the language of every mail to this person. */
async function postMailLocale(deps: Deps, req: Request, res: Response) {
  const userId = parseParams(idParam, req.params).id
  // 404 unless the admin administers this person (the same check as the page itself).
  await deps.usersService.detail(principal(req), userId)
  const mailLocale = parseMailLocale(formText(req.body, 'mailLocale'))
  if (!mailLocale) return renderDetail(deps, req, res, 422, { errors: fromFieldMessages({ mailLocale: req.t('common:mailLocale.invalid') }) })
  const changed = await setMailLocale(deps.db, actorFrom(req), userId, mailLocale)
  flash(req, 'success', req.t(changed ? 'common:mailLocale.done' : 'common:mailLocale.unchanged'))
  res.redirect(303, links.userDetail(userId))
}

export function userDetailRoutes(deps: Deps): Router {
  const router = Router()
  router.get(paths.beheer.userDetail, allow('admin'), (req, res) => renderDetail(deps, req, res, 200))
  router.post(paths.beheer.userUpgrade, allow('admin'), (req, res) => postUpgrade(deps, req, res))
  router.post(paths.beheer.userMeansRenew, allow('admin'), (req, res) => postMeansRequest(deps, req, res, 'renew'))
  router.post(paths.beheer.userMeansNew, allow('admin'), (req, res) => postMeansRequest(deps, req, res, 'new'))
  router.post(paths.beheer.userMailLocale, allow('admin'), (req, res) => postMailLocale(deps, req, res))
  return router
}
