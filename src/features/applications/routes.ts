import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import type { Services } from '../../services.ts'
import { parseForm, ruleErrors } from '../../web/forms.ts'
import { actorFrom } from '../../shared/actor.ts'
import { LEVEL_VALUES, LEVELS, levelLabel } from '../../domain/levels.ts'
import { OPEN_STATUSES } from './applicationsService.ts'
import { personName } from '../../domain/names.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { beheerCrumbs, type Crumb } from '../../web/breadcrumbs.ts'

const appointSchema = z.object({
  organisationId: z.uuid('applications:errors.organisation'),
  email: z.string().trim().min(1, 'applications:errors.emailRequired').max(254, 'applications:errors.emailRequired'),
  level: z.enum(LEVEL_VALUES, 'applications:errors.level'),
})
const APPOINT_ORDER = ['organisationId', 'email', 'level']
const STATUSES = ['awaiting_signature', 'signed', 'awaiting_identity_check', 'issued', 'rejected', 'cancelled']

export function applicationRoutes({ applicationsService }: Services): Router {
  const router = Router()
  const crumbs = (req: Request, ...more: Crumb[]) => beheerCrumbs(req, 'applications', ...more)

  router.get(paths.beheer.applications, allow('admin'), async (req, res) => {
    const status = typeof req.query.status === 'string' ? req.query.status : ''
    const applications = await applicationsService.list(principal(req), status)
    res.render('pages/applications/list', {
      title: req.t('applications:list.title'),
      section: 'beheer',
      subsection: 'applications',
      breadcrumbs: crumbs(req),
      applications,
      statuses: STATUSES,
      status,
      openStatuses: OPEN_STATUSES,
      fullName: personName,
      levelLabel,
    })
  })

  const actions = [
    [
      paths.beheer.applicationSign,
      async (req: Request) => {
        const status = await applicationsService.sign(principal(req), actorFrom(req), parseParams(idParam, req.params).id)
        return req.t(`applications:list.signed.${status}`)
      },
    ],
    [
      paths.beheer.applicationCancel,
      async (req: Request) => {
        await applicationsService.cancel(principal(req), actorFrom(req), parseParams(idParam, req.params).id)
        return req.t('applications:list.cancelled')
      },
    ],
    [
      paths.beheer.applicationToRepresentatives,
      async (req: Request) => {
        const count = await applicationsService.sendToRepresentatives(principal(req), actorFrom(req), parseParams(idParam, req.params).id)
        return req.t('applications:list.sent', { count })
      },
    ],
  ] as const
  for (const [path, run] of actions) {
    router.post(path, allow('admin'), async (req, res) => {
      try {
        flash(req, 'success', await run(req))
      } catch (error) {
        if (!(error instanceof RuleViolation)) throw error
        flash(req, 'error', req.t(error.messageKey, error.params))
      }
      res.redirect(303, links.applications())
    })
  }

  // Beheerdersformulier
  function renderAppoint(req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) {
    const orgs = principal(req).adminOrganisations
    res.status(status).render('pages/applications/appoint', {
      title: req.t('applications:appoint.title'),
      section: 'beheer',
      subsection: 'applications',
      breadcrumbs: crumbs(req, { label: req.t('applications:appoint.title') }),
      organisations: orgs,
      levels: LEVELS,
      values: orgs.length === 1 ? { organisationId: orgs[0]!.id } : {},
      ...extra,
    })
  }
  router.get(paths.beheer.adminAppointment, allow('admin'), (req, res) => renderAppoint(req, res, 200))
  router.post(paths.beheer.adminAppointment, allow('admin'), async (req, res) => {
    const parsed = parseForm(appointSchema, req.body, req.t, APPOINT_ORDER)
    if (!parsed.ok) return renderAppoint(req, res, 400, { errors: parsed.errors, values: parsed.values })
    try {
      await applicationsService.appointAdmin(principal(req), actorFrom(req), parsed.data)
      flash(req, 'success', req.t('applications:appoint.done'))
      res.redirect(303, links.applications())
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error
      renderAppoint(req, res, 422, { errors: ruleErrors(error, req.t, APPOINT_ORDER), values: parsed.data })
    }
  })

  // The legal representative's signing link: no login, only for what it names.
  router.get(paths.signApplication, allow('anonymous'), async (req, res) => {
    const found = await applicationsService.describeSigningLink(String(req.params.token))
    res.status(found.ok ? 200 : 410).render('pages/applications/sign', {
      title: req.t('applications:sign.title'),
      found,
      token: String(req.params.token),
      fullName: personName,
      levelLabel,
      done: null,
    })
  })
  router.post(paths.signApplication, allow('anonymous'), async (req, res) => {
    const result = await applicationsService.signByLink(String(req.params.token), actorFrom(req))
    res.status(result.ok ? 200 : 410).render('pages/applications/sign', {
      title: req.t('applications:sign.title'),
      found: result.ok ? { ok: false, problem: null } : result,
      done: result.ok ? result.status : null,
      token: '',
      fullName: personName,
      levelLabel,
    })
  })

  return router
}
