// Beheer → Machtigingen: the list with its filter and pages.
import { Router, type Request, type Response } from 'express'
import { allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { LEVELS } from '../../domain/levels.ts'
import { MANDATE_STATUSES } from '../../domain/statuses.ts'
import { principal } from '../../web/principal.ts'
import { fromFieldMessages, keepValues, type FormErrors } from '../../web/forms.ts'
import type { MandateListService } from './listService.ts'
import { fill, listIcons, listTexts, scopeFilterOptions } from './listView.ts'
import { PAGE_SIZE_OPTIONS } from '../../shared/pageSizes.ts'
import { beheer } from './routeHelpers.ts'
import { organisationFilter } from '../../web/organisationChoice.ts'
import { cursorFromQuery, filterFromQuery, filterParams, listPageQuerySchema, type ListQuery } from './schemas.ts'

/**
 * The list's query; a filter we cannot read is said at the filter (400), and the list shows unfiltered.
 * An organisation typed as a name or KvK number that fits none or several of the admin's is said at
 * the field (400), and the list shows the other filters.
 */
function readListQuery(req: Request, res: Response): { q: ListQuery; errors?: FormErrors } {
  const parsed = listPageQuerySchema.safeParse(req.query)
  const fields: Record<string, string> = {}
  if (!parsed.success) for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= req.t('mandates:errors.filter')
  const q: ListQuery = parsed.success ? parsed.data : {}
  const organisation = organisationFilter(principal(req).adminOrganisations, q.organisatie, req.t)
  q.organisatie = organisation.id
  if (organisation.message) fields.organisatie = organisation.message
  if (Object.keys(fields).length === 0) return { q }
  res.status(400)
  return { q, errors: fromFieldMessages(fields) }
}

async function showList(service: MandateListService, req: Request, res: Response) {
  const { q, errors } = readListQuery(req, res)
  const admin = principal(req)
  if (q.organisatie) assertAdministers(admin, q.organisatie)
  const filter = filterFromQuery(q)
  const page = await service.list(admin, filter, cursorFromQuery(q))
  const params = filterParams(q)
  const scopeOptions = scopeFilterOptions(await service.catalogueForFilter(), req.t)
  res.render('pages/mandates/list', {
    ...beheer(req, req.t('mandates:list.title')),
    breadcrumbs: [{ label: req.t('common:nav.beheer'), href: paths.beheer.root }, { label: req.t('common:nav.mandates') }],
    rows: page.rows,
    organisations: admin.adminOrganisations,
    scopeOptions,
    levels: LEVELS,
    statuses: MANDATE_STATUSES,
    pageSizeOptions: PAGE_SIZE_OPTIONS,
    q,
    params,
    ...(errors ? { errors, values: keepValues(req.query) } : { values: q }),
    pagination: {
      firstHref: page.previous ? links.mandates(params) : null,
      previousHref: page.previous ? links.mandates({ ...params, voor: `${page.previous.date}_${page.previous.id}` }) : null,
      nextHref: page.next ? links.mandates({ ...params, na: `${page.next.date}_${page.next.id}` }) : null,
    },
    icons: listIcons,
    texts: listTexts(req.t),
    fill,
  })
}

export function listRoutes({ mandateListService }: { mandateListService: MandateListService }): Router {
  const router = Router()
  router.get(paths.beheer.root, allow('admin'), (_req, res) => res.redirect(303, links.mandates()))
  router.get(paths.mandates.list, allow('admin'), (req, res) => showList(mandateListService, req, res))
  return router
}
