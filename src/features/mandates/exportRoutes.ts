// Beheer → Machtigingen → "Exporteren als CSV": the list with its current filter, every page of it,
// streamed through the shared CSV writer, a page of EXPORT_PAGE_SIZE rows as one chunk at a time
// and the next is read only when the response has taken the last (back-pressure), so a million rows
// stream in constant memory. A filter on an organisation the admin does not administer is a 404.
import { Router, type Request, type Response } from 'express'
import { isoDate } from '../../domain/dates.ts'
import { allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { csvPageWriter } from '../../web/csv.ts'
import { principal } from '../../web/principal.ts'
import type { MandateListService } from './listService.ts'
import type { MandateRow } from './model.ts'
import { filterFromQuery, listQuerySchema } from './schemas.ts'

const COLUMNS = ['user', 'email', 'organisation', 'service', 'provider', 'level', 'branch', 'validFrom', 'validUntil', 'status'] as const

/** The translated labels a row needs, looked up once per export rather than three times per row. */
function labelsOf(t: Request['t']): (key: string) => string {
  const known = new Map<string, string>()
  return (key) => {
    let label = known.get(key)
    if (label === undefined) known.set(key, (label = t(key)))
    return label
  }
}

function cells(row: MandateRow, t: (key: string) => string): unknown[] {
  const service = row.serviceName ?? (row.scope === 'all' ? t('mandates:scope.all') : t('mandates:export.allOfProvider'))
  return [
    row.userName,
    row.userEmail,
    row.organisationName,
    service,
    row.providerName ?? '',
    t(`common:levels.${row.level}`),
    row.branchName ? `${row.branchName} (${row.branchNumber ?? ''})` : '',
    isoDate(row.validFrom),
    isoDate(row.validUntil),
    t(`mandates:status.${row.status}`),
  ]
}

async function exportMandates(service: MandateListService, req: Request, res: Response) {
  const parsed = listQuerySchema.safeParse(req.query)
  // A filter we cannot read: back to the list, which says what is wrong at the filter.
  if (!parsed.success) return res.redirect(303, links.mandates(req.query as Record<string, string>))
  const admin = principal(req)
  if (parsed.data.organisatie) assertAdministers(admin, parsed.data.organisatie)
  const filter = filterFromQuery(parsed.data)
  res.status(200)
  res.setHeader('Content-Type', 'text/csv; charset=utf-8')
  res.setHeader('Content-Disposition', `attachment; filename="${req.t('mandates:export.fileName')}-${isoDate(new Date())}.csv"`)
  res.setHeader('Cache-Control', 'no-store')
  const csv = csvPageWriter(res, { header: COLUMNS.map((c) => req.t(`mandates:export.columns.${c}`)) })
  const labels = labelsOf(req.t)
  try {
    for await (const rows of service.allPages(admin, filter)) {
      // The reader went away: stop reading pages.
      if (res.destroyed) return
      await csv.writePage(rows.map((row) => cells(row, labels)))
    }
  } catch (error) {
    // Headers are gone: the file ends short, the log says why.
    req.log.error({ err: error }, 'mandate export failed')
    res.destroy()
    return
  }
  res.end()
}

export function exportRoutes({ mandateListService }: { mandateListService: MandateListService }): Router {
  const router = Router()
  router.get(paths.mandates.export, allow('admin'), (req, res) => exportMandates(mandateListService, req, res))
  return router
}
