// Beheer → Aanvragen → one application: what signing it means, and "Ondertekenen" bound to the
// version the page showed. Registered after the Beheerdersformulier (its path is /aanvragen/beheerder).
import { Router, type Request, type Response } from 'express'
import { ConflictError, RuleViolation } from '../../errors.ts'
import { flash } from '../../web/flash.ts'
import { formText } from '../../web/forms.ts'
import { allow } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import { actorFrom } from '../../shared/actor.ts'
import { levelLabel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { idParam, parseParams } from '../../policy/params.ts'
import { beheerCrumbs } from '../../web/breadcrumbs.ts'
import { auditValue } from '../../shared/auditSentences.ts'
import { OPEN_STATUSES, type ApplicationsService } from './applicationsService.ts'

/** The named fields of an application item, as words (ids left out). */
const ITEM_FIELDS = ['kind', 'scope', 'level', 'fromLevel', 'termYears', 'validUntil'] as const

function itemFacts(req: Request, item: Record<string, unknown>) {
  return ITEM_FIELDS.filter((field) => item[field] !== undefined && item[field] !== null).map((field) => ({
    label: req.t(`applications:detail.item.${field}`),
    value:
      field === 'kind' || field === 'scope'
        ? req.t(`applications:detail.item.${field}Value.${String(item[field])}`, { defaultValue: String(item[field]) })
        : auditValue(req.t, req.locale, field, item[field]),
  }))
}

async function showDetail(service: ApplicationsService, req: Request, res: Response, status = 200, stale = false) {
  const { id } = parseParams(idParam, req.params)
  const detail = await service.detail(principal(req), id)
  const who = detail.app.subjectUser ? personName(detail.app.subjectUser) : ''
  res.status(status).render('pages/applications/detail', {
    title: req.t('applications:detail.title', { type: req.t(`applications:type.${detail.app.type}`), name: who }),
    section: 'beheer',
    subsection: 'applications',
    breadcrumbs: beheerCrumbs(req, 'applications', { label: req.t(`applications:type.${detail.app.type}`) }),
    detail,
    signingSent: (await service.signingSent([id])).has(id),
    items: detail.items.map((item) => itemFacts(req, item)),
    who,
    stale,
    openStatuses: OPEN_STATUSES,
    fullName: personName,
    levelLabel,
  })
}

async function postSign(service: ApplicationsService, req: Request, res: Response) {
  const { id } = parseParams(idParam, req.params)
  try {
    const status = await service.sign(principal(req), actorFrom(req), id, formText(req.body, 'versie'))
    flash(req, 'success', req.t(`applications:list.signed.${status}`))
    res.redirect(303, links.applicationDetail(id))
  } catch (error) {
    if (error instanceof ConflictError) return showDetail(service, req, res, 409, true)
    if (!(error instanceof RuleViolation)) throw error
    flash(req, 'error', req.t(error.messageKey))
    res.redirect(303, links.applicationDetail(id))
  }
}

export function detailRoutes(service: ApplicationsService): Router {
  const router = Router()
  router.get(paths.beheer.applicationDetail, allow('admin'), (req, res) => showDetail(service, req, res))
  router.post(paths.beheer.applicationSign, allow('admin'), (req, res) => postSign(service, req, res))
  return router
}
