// A person's own mandates with their organisation, service and provider names, as Mijn gegevens and
// Overzicht list them: one statement through the page-read pool (Prisma's include made it four).
import { Prisma } from '../generated/prisma/client.ts'
import type { Level, MandateKind, MandateScope, MandateStatus } from '../generated/prisma/enums.ts'
import type { PageReads } from '../db/pageReads.ts'
import { withFields } from './withFields.ts'

export type OwnMandate = {
  id: string
  kind: MandateKind
  scope: MandateScope
  level: Level
  status: MandateStatus
  validFrom: Date
  validUntil: Date
  organisation: { name: string }
  service: { name: string } | null
  provider: { name: string } | null
}

type OwnMandateRow = Omit<OwnMandate, 'organisation' | 'service' | 'provider'> & {
  organisation_name: string
  service_name: string | null
  provider_name: string | null
}

export type OwnMandatesQuery = {
  /** Only these statuses (Overzicht: the live ones); every status when absent. */
  statuses?: readonly MandateStatus[]
  /** 'status': by status, then end date (Mijn gegevens); 'organisation': by organisation name, then end date (Overzicht). */
  order: 'status' | 'organisation'
  limit: number
  /** Rows to skip (Mijn gegevens' pages). */
  offset?: number
}

export async function ownMandates(reads: PageReads, userId: string, query: OwnMandatesQuery): Promise<OwnMandate[]> {
  const statuses = query.statuses ? Prisma.sql`and m.status = any(${query.statuses}::"MandateStatus"[])` : Prisma.empty
  const page = Prisma.sql`limit ${query.limit} offset ${query.offset ?? 0}`
  const columns = Prisma.sql`select m.id, m.kind::text as kind, m.scope::text as scope, m.level::text as level, m.status::text as status,
           m.valid_from as "validFrom", m.valid_until as "validUntil",
           o.name as organisation_name, s.name as service_name, p.name as provider_name`
  const names = Prisma.sql`join organisations o on o.id = m.organisation_id
    left join services s on s.id = m.service_id
    left join service_providers p on p.id = m.provider_id`
  // By status the page is cut from the person's mandates before their names are joined: an accountant's
  // 500 admin mandates cost 500 organisation lookups for a page of 50 (1.6 ms a Mijn gegevens page).
  // By organisation name every name is needed to order them, so that page is cut after the join.
  const rows = await reads.rows<OwnMandateRow>(
    query.order === 'status'
      ? Prisma.sql`${columns}
    from (select m.id, m.kind, m.scope, m.level, m.status, m.valid_from, m.valid_until, m.organisation_id, m.service_id, m.provider_id
          from mandates m where m.user_id = ${userId}::uuid ${statuses}
          order by m.status, m.valid_until, m.id ${page}) m
    ${names}
    order by m.status, m.valid_until, m.id`
      : Prisma.sql`${columns}
    from mandates m
    ${names}
    where m.user_id = ${userId}::uuid ${statuses}
    order by o.name, m.valid_until, m.id ${page}`,
  )
  return rows.map(({ organisation_name, service_name, provider_name, ...m }) =>
    withFields(m, {
      organisation: { name: organisation_name },
      service: service_name === null ? null : { name: service_name },
      provider: provider_name === null ? null : { name: provider_name },
    }),
  )
}
