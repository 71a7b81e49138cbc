// Overzicht: per organisation the admin manages, the number of linked users, and the active
// means and mandates per level, read from counters the database keeps (organisation_counters),
// scoped to the admin's organisations: the page's cost does not grow with the organisations' size.
import { Prisma, type Level, type PrismaClient } from '../../generated/prisma/client.ts'
import { ownMeans } from '../../shared/ownMeans.ts'
import type { Principal } from '../../shared/principal.ts'
import { todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, LEVELS } from '../../domain/levels.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { ownMandates } from '../../shared/ownMandates.ts'
import { LIVE_MANDATE_STATUSES } from '../../domain/statuses.ts'

export { LEVELS }

export type OrganisationOverview = {
  id: string
  name: string
  kvkNumber: string
  adminLevel: Level
  users: number
  meansByLevel: Record<Level, number>
  mandatesByLevel: Record<Level, number>
  expiringMandates: number
  /** More than EXPIRING_SHOWN expire within two months (the page says "meer dan 1.000"). */
  expiringMore: boolean
}

/** Expiring mandates are counted up to this number (and one more, to know there are more). */
export const EXPIRING_SHOWN = 1000

/** Organisation cards per page: an accountant of 500 organisations pages and searches them. */
export const ORGANISATIONS_PER_PAGE = 20

export type OrganisationsPage = {
  organisations: OrganisationOverview[]
  total: number
  matching: number
  page: number
  pages: number
  /** More organisations than fit on a page: the search is offered. */
  searchable: boolean
}

/** The admin's organisations (in name order) whose name or KvK number holds `q`, one page of them. */
export function pickOrganisations(principal: Principal, q: string | undefined, page: number) {
  const needle = q?.trim().toLocaleLowerCase('nl') ?? ''
  const all = principal.adminOrganisations
  const matching = needle ? all.filter((o) => o.name.toLocaleLowerCase('nl').includes(needle) || o.kvkNumber.includes(needle)) : all
  const pages = Math.max(1, Math.ceil(matching.length / ORGANISATIONS_PER_PAGE))
  const current = Math.min(Math.max(1, page), pages)
  const shown = matching.slice((current - 1) * ORGANISATIONS_PER_PAGE, current * ORGANISATIONS_PER_PAGE)
  return { shown, total: all.length, matching: matching.length, page: current, pages, searchable: all.length > ORGANISATIONS_PER_PAGE }
}

function emptyByLevel(): Record<Level, number> {
  return { EH2: 0, EH2_PLUS: 0, EH3: 0, EH4: 0 }
}

/** Own mandates on Overzicht; the rest are on Mijn gegevens. */
export const OWN_MANDATES_SHOWN = 10

export class OverviewService {
  constructor(
    db: PrismaClient,
    /** Every read of Overzicht goes through the page reads (src/db/pageReads.ts): every login lands here. */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {}

  /** One page of the admin's organisation cards (search on name or KvK number). */
  async forAdmin(principal: Principal, options: { q?: string; page?: number } = {}, now = new Date()): Promise<OrganisationsPage> {
    const { shown, ...paging } = pickOrganisations(principal, options.q, options.page ?? 1)
    return { organisations: await this.cards(shown, now), ...paging }
  }

  private async cards(shown: Principal['adminOrganisations'], now: Date): Promise<OrganisationOverview[]> {
    const ids = shown.map((o) => o.id)
    if (ids.length === 0) return []
    const today = todayUtc(now)
    const inTwoMonths = new Date(today)
    inTwoMonths.setUTCMonth(inTwoMonths.getUTCMonth() + 2)
    // Counters kept by triggers (organisation_counters), and the expiring mandates counted up to
    // EXPIRING_SHOWN + 1 per organisation (a bounded index-only scan): no read grows with the organisation.
    // Both through the page reads (every admin lands here): the ids as one array, not a parameter each.
    const [counters, expiring] = await Promise.all([
      this.pageReads.rows<{ organisation_id: string; counter: string; n: string }>(Prisma.sql`
        select c.organisation_id, c.counter, c.n::text as n from organisation_counters c where c.organisation_id = any(${ids}::uuid[])`),
      this.pageReads.rows<{ id: string; n: number }>(Prisma.sql`
        select o.id, (select count(*)::int from (
          select 1 from mandates m where m.organisation_id = o.id and m.status = 'active' and m.valid_until >= ${today}::date and m.valid_until <= ${inTwoMonths}::date
          limit ${EXPIRING_SHOWN + 1}) x) as n
        from unnest(${ids}::uuid[]) as o(id)`),
    ])
    const counts = new Map(ids.map((id) => [id, { users: 0, meansByLevel: emptyByLevel(), mandatesByLevel: emptyByLevel() }]))
    for (const row of counters) {
      const c = counts.get(row.organisation_id)!
      const [kind, level] = row.counter.split(':')
      if (kind === 'users') c.users = Number(row.n)
      else if (kind === 'means') c.meansByLevel[fromDbLevel(level!)] = Number(row.n)
      else if (kind === 'mandates') c.mandatesByLevel[fromDbLevel(level!)] = Number(row.n)
    }
    const expiringBy = new Map(expiring.map((r) => [r.id, r.n]))
    return shown.map((org) => {
      const expiringCount = expiringBy.get(org.id) ?? 0
      const { users, meansByLevel, mandatesByLevel } = counts.get(org.id)!
      return {
        id: org.id,
        name: org.name,
        kvkNumber: org.kvkNumber,
        adminLevel: org.level,
        users,
        meansByLevel,
        mandatesByLevel,
        expiringMandates: Math.min(expiringCount, EXPIRING_SHOWN),
        expiringMore: expiringCount > EXPIRING_SHOWN,
      }
    })
  }

  /**
   * What every user sees: own means and the first OWN_MANDATES_SHOWN live own mandates, in the order
   * of Mijn gegevens (status, then end date); `mandatesMore` when there are more, which Mijn gegevens
   * lists page by page from the same first rows. An accountant holds an admin mandate for each of
   * 500 organisations: the page every login lands on stays small.
   */
  async forUser(principal: Principal) {
    const [means, mandates] = await Promise.all([
      ownMeans(this.pageReads, principal.id),
      ownMandates(this.pageReads, principal.id, { statuses: LIVE_MANDATE_STATUSES, limit: OWN_MANDATES_SHOWN + 1 }),
    ])
    return { means, mandates: mandates.slice(0, OWN_MANDATES_SHOWN), mandatesMore: mandates.length > OWN_MANDATES_SHOWN }
  }
}
