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
import { personName } from '../../domain/names.ts'
import { describeEvent } from '../../shared/eventText.ts'
import { formatDate } from '../../web/format.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import type { UsersService } from './usersService.ts'
import { crumbs, usersPage } from './pageLocals.ts'

async function renderDetail(usersService: UsersService, req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
  const { user, audit } = await usersService.detail(principal(req), parseParams(idParam, req.params).id)
  const activeMeans = user.means.find((m) => m.status === 'active')
  res.status(status).render(
    'pages/users/detail',
    usersPage({
      title: personName(user),
      breadcrumbs: crumbs(req, { label: personName(user) }),
      person: user,
      audit: audit.map((e) => describeEvent({ ...e, actorName: e.actor ? personName(e.actor) : null }, req.t, (d) => formatDate(d, req.locale))),
      activeMeans,
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

export function userDetailRoutes({ usersService }: { usersService: UsersService }): Router {
  const router = Router()
  router.get(paths.beheer.userDetail, allow('admin'), (req, res) => renderDetail(usersService, req, res, 200))
  router.post(paths.beheer.userUpgrade, allow('admin'), (req, res) => postUpgrade(usersService, req, res))
  return router
}
