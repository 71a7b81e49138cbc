// Gebruikers → tick users → "Middel upgraden": choose the level and the organisation the application
// is made for, see per user whether the upgrade can be done (and why not), confirm. The admin signs;
// EH3/EH4 wait for the identity check; mandates survive (meansRequests.ts). The confirmation is bound
// to what it showed: a changed set answers 409 with the new state and changes nothing.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { digestFrom } from '../../shared/confirmation.ts'
import { LEVELS, levelAtLeast, levelLabel, parseLevel, type Level } from '../../domain/levels.ts'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { formText, fromFieldMessages, ruleErrors, type FormErrors } from '../../web/forms.ts'
import { resolveOrganisationField } from '../../web/organisationChoice.ts'
import { principal } from '../../web/principal.ts'
import type { MeansRequestService, UpgradePreview } from './meansRequests.ts'
import { crumbs, usersPage } from './pageLocals.ts'
import { userIdsFrom, uuidFrom } from './schemas.ts'

type Page = {
  ids: string[]
  organisationId: string
  level: string
  preview?: UpgradePreview
  changed?: boolean
  errors?: FormErrors
  values?: Record<string, unknown>
}

/** Offer only levels an upgrade can reach: above EH2, at most the admin's highest level (rule 2); the rest with its reason. */
function offeredLevels(req: Request) {
  const own = principal(req).adminOrganisations.map((o) => o.level)
  const adminLevel = own.reduce<Level | null>((best, l) => (!best || levelAtLeast(l, best) ? l : best), null)
  const above = LEVELS.filter((l) => l !== 'EH2')
  const levels = adminLevel ? above.filter((l) => levelAtLeast(adminLevel, l)) : []
  return { levels, leftOut: above.filter((l) => !levels.includes(l)), adminLevel }
}

function render(req: Request, res: Response, status: number, page: Page) {
  const title = req.t('users:upgradeMany.title')
  const { levels, leftOut, adminLevel } = offeredLevels(req)
  res.status(status).render(
    'pages/users/upgrade-many',
    usersPage({
      title,
      breadcrumbs: crumbs(req, { label: title }),
      organisations: principal(req).adminOrganisations,
      levels,
      leftOut,
      adminLevel,
      levelLabel,
      changed: false,
      values: { organisatie: page.organisationId, niveau: page.level },
      ...page,
    }),
  )
}

function read(source: Record<string, unknown>) {
  return { ids: userIdsFrom(source.id), organisationId: uuidFrom(source.organisatie), level: typeof source.niveau === 'string' ? source.niveau : '' }
}

async function show(service: MeansRequestService, req: Request, res: Response) {
  // The organisation as chosen (an id) or typed (a name or KvK number, when the admin has too many for a list).
  const { body, message } = resolveOrganisationField(principal(req).adminOrganisations, req.query, 'organisatie', req.t)
  const { ids, organisationId, level } = read(body as Record<string, unknown>)
  // Nothing ticked: a page that says to choose first (as Afmelden), not a malformed request.
  if (ids.length === 0) return render(req, res, 200, { ids, organisationId, level })
  if (message) {
    const values = { organisatie: formText(req.query, 'organisatie'), niveau: level }
    return render(req, res, 400, { ids, organisationId, level, errors: fromFieldMessages({ organisatie: message }), values })
  }
  const parsed = parseLevel(level)
  if (!organisationId || !parsed) return render(req, res, 200, { ids, organisationId, level })
  render(req, res, 200, { ids, organisationId, level, preview: await service.upgradePreview(principal(req), organisationId, ids, parsed) })
}

async function post(service: MeansRequestService, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const { ids, organisationId, level } = read(body)
  const parsed = parseLevel(level)
  if (ids.length === 0 || !organisationId || !parsed) return render(req, res, 400, { ids, organisationId, level })
  try {
    const result = await service.upgradeMany(principal(req), actorFrom(req), organisationId, ids, parsed, digestFrom(body.digest))
    if (result.status === 'changed') return render(req, res, 409, { ids, organisationId, level, preview: result.preview, changed: true })
    const issued = result.outcomes.issued ?? 0
    const waiting = result.outcomes.awaiting_identity_check ?? 0
    flash(req, 'success', req.t('users:upgradeMany.done', { count: issued + waiting, issued, waiting, level: levelLabel(parsed) }))
    res.redirect(303, links.users({ organisationId }))
  } catch (error) {
    if (!(error instanceof RuleViolation)) throw error
    render(req, res, 422, { ids, organisationId, level, errors: ruleErrors({ ...error, field: error.field ? 'niveau' : undefined }, req.t) })
  }
}

export function upgradeManyRoutes({ meansRequestService }: { meansRequestService: MeansRequestService }): Router {
  const router = Router()
  router.get(paths.beheer.usersUpgrade, allow('admin'), (req, res) => show(meansRequestService, req, res))
  router.post(paths.beheer.usersUpgrade, allow('admin'), (req, res) => post(meansRequestService, req, res))
  return router
}
