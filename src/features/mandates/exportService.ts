// Beheer → Machtigingen → "Exporteren als CSV": every mandate the list's filter selects, in the list's
// order, read through a server-side cursor (src/db/cursorReads.ts: one snapshot, EXPORT_BATCH_SIZE rows a
// round trip, no row objects gathered) and turned into cells as each row arrives. Scoped in SQL to the
// admin's organisations with the list's own conditions (scoping.ts, rule 7).
import { Prisma } from '../../generated/prisma/client.ts'
import type { CursorReads, TextRow } from '../../db/cursorReads.ts'
import { fromDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { MANDATE_STATUSES } from '../../domain/statuses.ts'
import type { Principal } from '../../shared/principal.ts'
import type { ListFilter } from './model.ts'
import { filterConditions, statusesOf } from './scoping.ts'

/** Rows a round trip reads: about 80 KB of CSV, one chunk written at a time. */
export const EXPORT_BATCH_SIZE = 500

/** The file's columns, in order (their headers are `mandates:export.columns.<name>`). */
export const EXPORT_COLUMNS = ['user', 'email', 'organisation', 'service', 'provider', 'level', 'branch', 'validFrom', 'validUntil', 'status'] as const

/** Where the CSV goes: one record per mandate, and a flush after each batch (false: stop, the reader left). */
export type ExportSink = { record: (cells: readonly string[]) => void; flush: () => Promise<boolean> }

/**
 * The filter's mandates in the list's order (valid_until, then id). The names the list takes from its
 * catalogue cache are joined here, so the file is one snapshot and a row never waits for a lookup;
 * dates come as text (YYYY-MM-DD, as the list's isoDate writes them), so pg parses nothing.
 */
function exportSql(principal: Principal, filter: ListFilter): Prisma.Sql | null {
  const scoped = filterConditions(principal, filter)
  if (!scoped) return null
  const order = filter.sort === 'end-desc' ? Prisma.sql`desc` : Prisma.sql`asc`
  const everyStatus = MANDATE_STATUSES.every((status) => statusesOf(filter).includes(status))
  const statuses = everyStatus ? Prisma.sql`true` : Prisma.sql`m.status = any(${scoped.statuses}::"MandateStatus"[])`
  return Prisma.sql`
    select u.first_name, u.last_name_prefix, u.last_name, u.email, m.organisation_id, m.scope::text,
           nullif(s.name, ''), nullif(coalesce(p.name, sp.name), ''), m.level::text, b.name, b.branch_number,
           to_char(m.valid_from, 'YYYY-MM-DD'), to_char(m.valid_until, 'YYYY-MM-DD'), m.status::text
    from mandates m
    join users u on u.id = m.user_id
    left join services s on s.id = m.service_id
    left join service_providers sp on sp.id = s.provider_id
    left join service_providers p on p.id = m.provider_id
    left join branches b on b.id = m.branch_id
    where m.organisation_id = any(${scoped.orgIds}::uuid[]) and ${statuses} and ${Prisma.join(scoped.conditions, ' and ')}
    order by m.valid_until ${order}, m.id ${order}`
}

/** The columns of exportSql, by position. */
const F = {
  FirstName: 0,
  Prefix: 1,
  LastName: 2,
  Email: 3,
  OrganisationId: 4,
  Scope: 5,
  ServiceName: 6,
  ProviderName: 7,
  Level: 8,
  BranchName: 9,
  BranchNumber: 10,
  ValidFrom: 11,
  ValidUntil: 12,
  Status: 13,
} as const

/** A row's cells, as the list shows the mandate (labels: translated once per export by the caller). */
function cellsOf(r: TextRow, organisationNames: Map<string, string>, labels: (key: string) => string): string[] {
  const scope = r[F.Scope]
  const branch = r[F.BranchName]
  return [
    personName({ firstName: r[F.FirstName] ?? '', lastNamePrefix: r[F.Prefix], lastName: r[F.LastName] ?? '' }),
    r[F.Email] ?? '',
    organisationNames.get(r[F.OrganisationId] ?? '') ?? '',
    r[F.ServiceName] ?? (scope === 'all' ? labels('mandates:scope.all') : labels('mandates:export.allOfProvider')),
    r[F.ProviderName] ?? '',
    labels(`common:levels.${fromDbLevel(r[F.Level] ?? '')}`),
    branch ? `${branch} (${r[F.BranchNumber] ?? ''})` : '',
    r[F.ValidFrom] ?? '',
    r[F.ValidUntil] ?? '',
    labels(`mandates:status.${r[F.Status]}`),
  ]
}

export class MandateExportService {
  constructor(private readonly reads: CursorReads) {}

  /** Every mandate the filter selects, one record each into `sink`, flushed after each batch. */
  async export(principal: Principal, filter: ListFilter, labels: (key: string) => string, sink: ExportSink): Promise<void> {
    const query = exportSql(principal, filter)
    if (!query) return
    const organisationNames = new Map(principal.adminOrganisations.map((o) => [o.id, o.name]))
    await this.reads.eachRow(query, {
      batchSize: EXPORT_BATCH_SIZE,
      onRow: (row) => sink.record(cellsOf(row, organisationNames, labels)),
      afterBatch: () => sink.flush(),
    })
  }
}
