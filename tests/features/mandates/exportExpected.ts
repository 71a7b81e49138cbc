// What "Exporteren als CSV" must write for a filter, built independently of the export's code: the
// Machtigingen list's own rows for that filter, page after page, each turned into the file's cells with
// the Dutch catalogue and written by csv-stringify (the library every smaller export uses), with BOM and header.
import { stringify } from 'csv-stringify/sync'
import { isoDate } from '../../../src/domain/dates.ts'
import { filterFromQuery, listQuerySchema } from '../../../src/features/mandates/schemas.ts'
import type { Cursor, MandateRow } from '../../../src/features/mandates/model.ts'
import type { Services } from '../../../src/services.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { csvCell } from '../../../src/web/csv.ts'
import common from '../../../src/i18n/locales/nl/common.json' with { type: 'json' }
import mandates from '../../../src/i18n/locales/nl/mandates.json' with { type: 'json' }

function cells(row: MandateRow): string[] {
  const service = row.serviceName ?? (row.scope === 'all' ? mandates.scope.all : mandates.export.allOfProvider)
  return [
    row.userName,
    row.userEmail,
    row.organisationName,
    service,
    row.providerName ?? '',
    common.levels[row.level],
    row.branchName ? `${row.branchName} (${row.branchNumber ?? ''})` : '',
    isoDate(row.validFrom),
    isoDate(row.validUntil),
    mandates.status[row.status],
  ]
}

/** The file the export must send for `query` (the list's query-string filter), as text. */
export async function expectedExport(services: Services, principal: Principal, query: Record<string, string>): Promise<string> {
  const filter = filterFromQuery(listQuerySchema.parse({ ...query, per: '100' }))
  const rows: string[][] = []
  let cursor: Cursor | null = null
  do {
    const page = await services.mandateListService.list(principal, filter, cursor)
    rows.push(...page.rows.map(cells))
    cursor = page.next
  } while (cursor)
  const header = Object.values(mandates.export.columns)
  return stringify(
    rows.map((row) => row.map(csvCell)),
    { bom: true, header: true, columns: header, delimiter: ',' },
  )
}
