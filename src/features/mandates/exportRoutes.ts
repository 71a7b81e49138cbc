// Beheer → Machtigingen → "Exporteren als CSV": the list with its current filter, every row of it,
// streamed through the shared CSV writer: the BOM and header at once, then a chunk per batch of rows
// read through a server-side cursor (exportService.ts), the next batch read only when the response has
// taken the last (back-pressure), so a million rows stream in constant memory. A filter on an
// organisation the admin does not administer is a 404.
import { Router, type Request, type Response } from 'express'
import { isoDate } from '../../domain/dates.ts'
import { allow, assertAdministers } from '../../policy/access.ts'
import { links, paths } from '../../paths.ts'
import { csvChunkWriter } from '../../web/csv.ts'
import { principal } from '../../web/principal.ts'
import { EXPORT_COLUMNS, type MandateExportService } from './exportService.ts'
import { filterFromQuery, listQuerySchema } from './schemas.ts'

/** The translated labels a row needs, looked up once per export rather than three times per row. */
function labelsOf(t: Request['t']): (key: string) => string {
  const known = new Map<string, string>()
  return (key) => {
    let label = known.get(key)
    if (label === undefined) known.set(key, (label = t(key)))
    return label
  }
}

async function exportMandates(service: MandateExportService, req: Request, res: Response) {
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
  const csv = csvChunkWriter(res, { header: EXPORT_COLUMNS.map((c) => req.t(`mandates:export.columns.${c}`)) })
  try {
    await service.export(admin, filter, labelsOf(req.t), csv)
    // The reader went away: nothing more to send.
    if (!(await csv.flush())) return
  } catch (error) {
    // Headers are gone: the file ends short, the log says why.
    req.log.error({ err: error }, 'mandate export failed')
    res.destroy()
    return
  }
  res.end()
}

export function exportRoutes({ mandateExportService }: { mandateExportService: MandateExportService }): Router {
  const router = Router()
  router.get(paths.mandates.export, allow('admin'), (req, res) => exportMandates(mandateExportService, req, res))
  return router
}
