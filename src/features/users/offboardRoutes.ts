// Gebruikers → "Afmelden" (rule 19), for one user (from the user page) or the users ticked in the
// list: GET shows per person what ends (and asks for the organisation when it is not given), POST
// does it as confirmed. A confirmation that no longer matches (second click, another admin, a forged
// form) changes nothing: 409 with the new state and what already happened.
import { Router, type Request, type Response } from 'express'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import { digestFrom } from '../../shared/confirmation.ts'
import { levelLabel } from '../../domain/levels.ts'
import { flash } from '../../web/flash.ts'
import { principal } from '../../web/principal.ts'
import type { OffboardPreview, OffboardService } from './offboardService.ts'
import { crumbs, usersPage } from './pageLocals.ts'
import { userIdsFrom, uuidFrom } from './schemas.ts'

type Page = { ids: string[]; preview?: OffboardPreview; changed?: boolean; noneSelected?: boolean }

function render(req: Request, res: Response, status: number, page: Page) {
  const title = page.preview ? req.t('users:offboard.titleAt', { organisation: page.preview.organisation.name }) : req.t('users:offboard.title')
  res.status(status).render(
    'pages/users/offboard',
    usersPage({
      title,
      breadcrumbs: crumbs(req, { label: req.t('users:offboard.title') }),
      organisations: principal(req).adminOrganisations,
      levelLabel,
      changed: false,
      noneSelected: false,
      ...page,
    }),
  )
}

async function show(service: OffboardService, req: Request, res: Response) {
  const query = req.query as Record<string, unknown>
  const ids = userIdsFrom(query.id)
  // Nothing ticked in Gebruikers: a page that says to choose first (a GET form as rendered, not a bad request).
  if (ids.length === 0) return render(req, res, 200, { ids, noneSelected: true })
  const organisationId = uuidFrom(query.organisatie)
  if (!organisationId) return render(req, res, 200, { ids })
  render(req, res, 200, { ids, preview: await service.preview(principal(req), organisationId, ids) })
}

async function post(service: OffboardService, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>
  const ids = userIdsFrom(body.id)
  const organisationId = uuidFrom(body.organisatie)
  if (ids.length === 0) return render(req, res, 400, { ids, noneSelected: true })
  if (!organisationId) return render(req, res, 400, { ids })
  const result = await service.offboard(actorFrom(req), organisationId, ids, digestFrom(body.digest))
  if (result.status === 'changed') return render(req, res, 409, { ids, preview: result.preview, changed: true })
  flash(req, 'success', req.t('users:offboard.done', { count: result.people, mandates: result.mandates }))
  res.redirect(303, links.users({ organisationId, inactief: '1' }))
}

export function offboardRoutes({ offboardService }: { offboardService: OffboardService }): Router {
  const router = Router()
  router.get(paths.beheer.usersOffboard, allow('admin'), (req, res) => show(offboardService, req, res))
  router.post(paths.beheer.usersOffboard, allow('admin'), (req, res) => post(offboardService, req, res))
  return router
}
