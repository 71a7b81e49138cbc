// Beheer → Machtigingen: the list with its filter and pages.
import { Router, type Request, type Response } from 'express'
import { allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { LEVELS } from '../../domain/levels.ts'
import { principal } from '../../web/principal.ts'
import { fromFieldMessages, keepValues, type FormErrors } from '../../web/forms.ts'
import type { MandateListService } from './listService.ts'
import { fill, listIcons, listTexts, scopeFilterOptions } from './listView.ts'
import { PAGE_SIZES } from './model.ts'
import { beheer } from './routeHelpers.ts'
import { cursorFromQuery, filterFromQuery, filterParams, listQuerySchema, type ListQuery } from './schemas.ts'

/** The list's query; a filter we cannot read is said at the filter (400), and the list shows unfiltered. */
function readListQuery(req: Request, res: Response): { q: ListQuery; errors?: FormErrors } {
  const parsed = listQuerySchema.safeParse(req.query)
  if (parsed.success) return { q: parsed.data }
  const fields: Record<string, string> = {}
  for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= req.t('mandates:errors.filter')
  res.status(400)
  return { q: {}, errors: fromFieldMessages(fields) }
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
    pageSizes: PAGE_SIZES,
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
