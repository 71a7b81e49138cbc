// Who may act (domain.md rule 21): may person P act for organisation O towards service S, at which
// level, and why? One query gathers every mandate of P for O whose scope covers S, and every
// assignment of P under a ketenmachtiging from O whose scope (and the chain's) covers S; `evaluate`
// then applies status, dates, suspension, the means level (rule 1) and the service level (rule 5) to
// each, and the best path wins. "Wie mag wat" (src/features/chains) lists the same for all persons.
import { Prisma } from '../generated/prisma/client.ts'
import type { Level } from '../generated/prisma/client.ts'
import type { Db, Tx } from '../db/tx.ts'
import { todayUtc } from '../domain/dates.ts'
import { fromDbLevel } from '../domain/levels.ts'
import { levelCoversService, meansCoversLevel } from '../domain/rules.ts'

export type PathKind = 'service' | 'provider' | 'all'

/** How a person may act: a mandate of one of three scopes, or an assignment under a chain through an intermediary. */
export type AuthorisationPath =
  | { via: 'mandate'; scope: PathKind; mandateId: string }
  | { via: 'chain'; scope: PathKind; chainMandateId: string; assignmentId: string; intermediary: { id: string; name: string; kvkNumber: string } }

/** Why nothing authorises: the closest candidate's reason ('none' when there is no candidate at all). */
export type RefusalReason =
  'none' | 'unknownService' | 'organisationBlocked' | 'serviceLevel' | 'meansTooLow' | 'suspended' | 'notYetValid' | 'expired' | 'pending' | 'revoked'

export type Authorisation = { allowed: true; level: Level; path: AuthorisationPath } | { allowed: false; reason: RefusalReason }

/** One candidate row: a mandate or an assignment (with its chain) whose scope covers the service. */
export type CandidateRow = {
  source: 'mandate' | 'chain'
  id: string
  user_id: string
  scope: PathKind
  level: string
  status: string
  valid_from: Date
  valid_until: Date
  chain_id: string | null
  chain_scope: PathKind | null
  chain_status: string | null
  chain_valid_from: Date | null
  chain_valid_until: Date | null
  intermediary_id: string | null
  intermediary_name: string | null
  intermediary_kvk: string | null
  required_level: string
  means_level: string | null
}

const SCOPE_ORDER: Record<PathKind, number> = { service: 0, provider: 1, all: 2 }
/** Which refusal to report when several candidates fail: the one closest to being allowed first. */
const REASON_ORDER: RefusalReason[] = ['serviceLevel', 'meansTooLow', 'suspended', 'notYetValid', 'expired', 'pending', 'revoked', 'none']

function statusRefusal(status: string | null, from: Date | null, until: Date | null, today: Date): RefusalReason | null {
  if (status === null) return null
  if (status === 'revoked') return 'revoked'
  if (status === 'suspended') return 'suspended'
  if (status === 'pending') return 'pending'
  if (status === 'expired' || (until && until < today)) return 'expired'
  if (from && from > today) return 'notYetValid'
  return null
}

/** Rule 21 for one candidate: null when it authorises, else why not. */
export function evaluate(row: CandidateRow, today: Date): RefusalReason | null {
  const own = statusRefusal(row.status, row.valid_from, row.valid_until, today)
  const chain = row.source === 'chain' ? statusRefusal(row.chain_status, row.chain_valid_from, row.chain_valid_until, today) : null
  const byStatus = [own, chain].filter((r): r is RefusalReason => r !== null).sort((a, b) => REASON_ORDER.indexOf(b) - REASON_ORDER.indexOf(a))[0]
  if (byStatus) return byStatus
  const level = fromDbLevel(row.level)
  if (!row.means_level || !meansCoversLevel([fromDbLevel(row.means_level)], level)) return 'meansTooLow'
  if (!levelCoversService(fromDbLevel(row.required_level), level)) return 'serviceLevel'
  return null
}

function pathOf(row: CandidateRow): AuthorisationPath {
  if (row.source === 'mandate') return { via: 'mandate', scope: row.scope, mandateId: row.id }
  return {
    via: 'chain',
    scope: row.chain_scope ?? row.scope,
    chainMandateId: row.chain_id!,
    assignmentId: row.id,
    intermediary: { id: row.intermediary_id!, name: row.intermediary_name!, kvkNumber: row.intermediary_kvk! },
  }
}

/** The best answer from one person's candidates: an allowed path (direct before chain, narrow scope first), else the closest refusal. */
export function decide(rows: CandidateRow[], today: Date): Authorisation {
  const allowed = rows
    .filter((row) => evaluate(row, today) === null)
    .sort((a, b) => Number(a.source === 'chain') - Number(b.source === 'chain') || SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope])
  const best = allowed[0]
  if (best) return { allowed: true, level: fromDbLevel(best.level), path: pathOf(best) }
  const reasons = rows.map((row) => evaluate(row, today)!).sort((a, b) => REASON_ORDER.indexOf(a) - REASON_ORDER.indexOf(b))
  return { allowed: false, reason: reasons[0] ?? 'none' }
}

/**
 * The candidates of organisation O for service S: every mandate and chain assignment whose scope
 * covers S, for one person (`userId`) or for everybody. One statement; with a person it reads the
 * (user_id, status) indexes of mandates and chain_assignments.
 */
export function candidatesSql(organisationId: string, serviceId: string, today: Date, userId: string | null): Prisma.Sql {
  const mandateUser = userId ? Prisma.sql`and m.user_id = ${userId}::uuid` : Prisma.empty
  const assignmentUser = userId ? Prisma.sql`and a.user_id = ${userId}::uuid` : Prisma.empty
  const means = (alias: string) =>
    Prisma.sql`(select max(mm.level)::text from means mm where mm.user_id = ${Prisma.raw(alias)}.user_id and mm.status = 'active' and mm.valid_from <= ${today}::date and mm.valid_until >= ${today}::date)`
  return Prisma.sql`
    with svc as (select id, provider_id, required_level from services where id = ${serviceId}::uuid)
    select 'mandate' as source, m.id::text as id, m.user_id::text as user_id, m.scope::text as scope, m.level::text as level, m.status::text as status,
      m.valid_from, m.valid_until, null::text as chain_id, null::text as chain_scope, null::text as chain_status, null::date as chain_valid_from,
      null::date as chain_valid_until, null::text as intermediary_id, null::text as intermediary_name, null::text as intermediary_kvk,
      svc.required_level::text as required_level, ${means('m')} as means_level
    from svc join mandates m on m.organisation_id = ${organisationId}::uuid and m.kind = 'use' ${mandateUser}
      and (m.scope = 'all' or (m.scope = 'provider' and m.provider_id = svc.provider_id) or (m.scope = 'service' and m.service_id = svc.id))
    union all
    select 'chain', a.id::text, a.user_id::text, a.scope::text, a.level::text, a.status::text, a.valid_from, a.valid_until,
      c.id::text, c.scope::text, c.status::text, c.valid_from, c.valid_until, o.id::text, o.name, o.kvk_number::text,
      svc.required_level::text, ${means('a')}
    from svc join chain_assignments a on (a.scope = 'all' or (a.scope = 'provider' and a.provider_id = svc.provider_id) or (a.scope = 'service' and a.service_id = svc.id)) ${assignmentUser}
      join chain_mandates c on c.id = a.chain_mandate_id and c.organisation_id = ${organisationId}::uuid
        and (c.scope = 'all' or (c.scope = 'provider' and c.provider_id = svc.provider_id) or (c.scope = 'service' and c.service_id = svc.id))
      join organisations o on o.id = c.intermediary_organisation_id`
}

/** Rule 24: is the organisation blocked by the back office? */
async function isBlocked(db: Db | Tx, organisationId: string): Promise<boolean> {
  const organisation = await db.organisation.findUnique({ where: { id: organisationId }, select: { blockedAt: true } })
  return Boolean(organisation?.blockedAt)
}

/** Rule 21: may `personId` act for `organisationId` towards `serviceId`, at which level, by which path? */
export async function check(db: Db | Tx, personId: string, organisationId: string, serviceId: string, now = new Date()): Promise<Authorisation> {
  const today = todayUtc(now)
  // Rule 24: while the back office blocks the organisation, nobody acts for it (nothing is deleted).
  if (await isBlocked(db, organisationId)) return { allowed: false, reason: 'organisationBlocked' }
  const rows = await db.$queryRaw<CandidateRow[]>(candidatesSql(organisationId, serviceId, today, personId))
  if (rows.length === 0) {
    const known = await db.service.count({ where: { id: serviceId } })
    return { allowed: false, reason: known ? 'none' : 'unknownService' }
  }
  return decide(rows, today)
}

/** Everyone who may act for `organisationId` towards `serviceId` (allowed only), with level and path, by person id. */
export async function whoMay(
  db: Db | Tx,
  organisationId: string,
  serviceId: string,
  now = new Date(),
): Promise<Map<string, { level: Level; path: AuthorisationPath }>> {
  const today = todayUtc(now)
  const result = new Map<string, { level: Level; path: AuthorisationPath }>()
  if (await isBlocked(db, organisationId)) return result
  const rows = await db.$queryRaw<CandidateRow[]>(candidatesSql(organisationId, serviceId, today, null))
  const byUser = new Map<string, CandidateRow[]>()
  for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row])
  for (const [userId, candidates] of byUser) {
    const answer = decide(candidates, today)
    if (answer.allowed) result.set(userId, { level: answer.level, path: answer.path })
  }
  return result
}
