// Beheer → Gebruikers: the list with its filters and pages, and its CSV export.
import { Router, type Request, type Response } from 'express'
import { csvText } from '../../web/csv.ts'
import { allow } from '../../policy/access.ts'
import { links, paths, type Query } from '../../paths.ts'
import { principal } from '../../web/principal.ts'
import { formatDate, toText } from '../../web/format.ts'
import { LEVELS, levelLabel } from '../../domain/levels.ts'
import { MEANS_STATUSES } from '../../domain/statuses.ts'
import { personName } from '../../domain/names.ts'
import { fromFieldMessages, keepValues } from '../../web/forms.ts'
import { organisationFilter } from '../../web/organisationChoice.ts'
import { userFilterSchema, userListQuerySchema } from './schemas.ts'
import type { UsersService } from './usersService.ts'
import { crumbs, usersPage } from './pageLocals.ts'
import { withFields } from '../../shared/withFields.ts'

/** How many of a person's organisations a row names; the rest as "en nog N organisaties" (the export names all). */
export const ROW_ORGANISATIONS = 5

/** The filters as a query (without the cursor `na`), plus `extra`. */
function filterQuery(filter: Record<string, unknown>, extra: Record<string, string> = {}): Query {
  const query: Query = {}
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v && k !== 'na') query[k] = toText(v)
  return query
}

async function showList(usersService: UsersService, req: Request, res: Response) {
  const parsed = userListQuerySchema.safeParse(req.query)
  const filter = parsed.success ? parsed.data : {}
  // A name or KvK number that fits none or several of the admin's organisations is said at the field (400).
  const { id, message } = organisationFilter(principal(req).adminOrganisations, filter.organisationId, req.t)
  filter.organisationId = id
  if (message) res.status(400)
  const { rows, next } = await usersService.list(principal(req), filter, filter.na)
  res.render(
    'pages/users/list',
    usersPage({
      ...(message ? { errors: fromFieldMessages({ organisationId: message }), values: keepValues(req.query) } : {}),
      title: req.t('users:list.title'),
      breadcrumbs: crumbs(req),
      rows: rows.map((r) =>
        withFields(r, {
          shownOrganisations: r.organisations.slice(0, ROW_ORGANISATIONS),
          moreOrganisations: Math.max(0, r.organisations.length - ROW_ORGANISATIONS),
        }),
      ),
      filter,
      organisations: principal(req).adminOrganisations,
      levels: LEVELS,
      meansStatuses: MEANS_STATUSES,
      exportHref: links.usersExport(filterQuery(filter)),
      pagination: {
        firstHref: filter.na ? links.users(filterQuery(filter)) : undefined,
        nextHref: next ? links.users(filterQuery(filter, { na: next })) : undefined,
      },
    }),
  )
}

async function sendExport(usersService: UsersService, req: Request, res: Response) {
  const parsed = userFilterSchema.safeParse(req.query)
  const rows = await usersService.exportRows(principal(req), parsed.success ? parsed.data : {})
  const t = req.t
  const csv = csvText(
    rows.map((r) => [
      personName(r),
      r.email,
      r.mobile ?? '',
      r.level ? levelLabel(r.level) : '',
      r.meansStatus ? t(`users:meansStatus.${r.meansStatus}`) : '',
      formatDate(r.meansValidUntil, req.locale),
      r.mandates,
      r.organisations.join(', '),
    ]),
    { delimiter: ';', header: ['name', 'email', 'mobile', 'level', 'status', 'validUntil', 'mandates', 'organisations'].map((c) => t(`users:export.${c}`)) },
  )
  res.type('text/csv; charset=utf-8').attachment('gebruikers.csv').send(csv)
}

export function userListRoutes({ usersService }: { usersService: UsersService }): Router {
  const router = Router()
  router.get(paths.beheer.users, allow('admin'), (req, res) => showList(usersService, req, res))
  router.get(paths.beheer.usersExport, allow('admin'), (req, res) => sendExport(usersService, req, res))
  return router
}
