// Beheer → Aanvragen: the list with its actions (sign, cancel, send to the legal representatives),
// the Beheerdersformulier, and the legal representative's signing link.
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { flashOutcome } from '../../web/flash.ts'
import { assertResendAllowed, type ResendLimiter } from '../../web/resendLimit.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { organisationForm } from '../../web/organisationForm.ts'
import { actorFrom } from '../../shared/actor.ts'
import { LEVEL_VALUES, LEVELS, levelLabel } from '../../domain/levels.ts'
import { OPEN_STATUSES, type ApplicationsService } from './applicationsService.ts'
import { personName } from '../../domain/names.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { beheerCrumbs } from '../../web/breadcrumbs.ts'
import { createdAtCursorQuery } from '../../shared/createdAtCursor.ts'
import { APPLICATION_STATUSES } from '../../domain/statuses.ts'
import { signRoutes } from './signRoutes.ts'
import { detailRoutes } from './detailRoutes.ts'

const appointSchema = z.object({
  organisationId: z.uuid('applications:errors.organisation'),
  email: z.string().trim().min(1, 'applications:errors.emailRequired').max(254, 'applications:errors.emailRequired'),
  level: z.enum(LEVEL_VALUES, 'applications:errors.level'),
})
/** Aanvragen's query: the status filter and the page's cursor; anything odd is left out. */
const listQuery = createdAtCursorQuery.extend({ status: z.string().optional().catch(undefined) })

async function showList(applicationsService: ApplicationsService, req: Request, res: Response) {
  const query = listQuery.parse(req.query)
  const status = query.status ?? ''
  const after = query.na
  const { rows: applications, next } = await applicationsService.list(principal(req), status, after)
  const filter = status ? { status } : {}
  res.render('pages/applications/list', {
    title: req.t('applications:list.title'),
    section: 'beheer',
    subsection: 'applications',
    breadcrumbs: beheerCrumbs(req, 'applications'),
    applications,
    signingSent: new Set(applications.filter((a) => a.signingSent).map((a) => a.id)),
    statuses: APPLICATION_STATUSES,
    status,
    pagination: {
      firstHref: after ? links.applications(filter) : undefined,
      nextHref: next ? links.applications({ ...filter, na: next }) : undefined,
    },
    openStatuses: OPEN_STATUSES,
    fullName: personName,
    levelLabel,
  })
}

/** The actions of a row of the list: each answers with a message and goes back to the list. */
function rowActions(service: ApplicationsService, limiter: ResendLimiter): [string, (req: Request, id: string) => Promise<string>][] {
  return [
    [
      paths.beheer.applicationCancel,
      async (req, id) => {
        await service.cancel(principal(req), actorFrom(req), id)
        return req.t('applications:list.cancelled')
      },
    ],
    [
      paths.beheer.applicationToRepresentatives,
      // Sending the signing mails again is limited per application per hour.
      async (req, id) => {
        const count = await service.sendToRepresentatives(principal(req), actorFrom(req), id, () => assertResendAllowed(limiter, req, 'signing', id))
        return req.t('applications:list.sent', { count })
      },
    ],
  ]
}

export function applicationRoutes({ applicationsService, rateLimits }: Services): Router {
  const router = Router()
  router.get(paths.beheer.applications, allow('admin'), (req, res) => showList(applicationsService, req, res))
  for (const [path, run] of rowActions(applicationsService, rateLimits)) {
    router.post(path, allow('admin'), async (req, res) => {
      await flashOutcome(req, () => run(req, parseParams(idParam, req.params).id))
      res.redirect(303, links.applications())
    })
  }

  // Beheerdersformulier
  const appoint = organisationForm({
    tab: 'applications',
    view: 'pages/applications/appoint',
    titleKey: 'applications:appoint.title',
    schema: appointSchema,
    order: ['organisationId', 'email', 'level'],
    locals: { levels: LEVELS },
    submit: async (req, data) => {
      await applicationsService.appointAdmin(principal(req), actorFrom(req), data)
      return req.t('applications:appoint.done')
    },
    doneHref: () => links.applications(),
  })
  router.get(paths.beheer.adminAppointment, allow('admin'), appoint.show)
  router.post(paths.beheer.adminAppointment, allow('admin'), appoint.post)

  router.use(detailRoutes(applicationsService))
  router.use(signRoutes(applicationsService))
  return router
}
