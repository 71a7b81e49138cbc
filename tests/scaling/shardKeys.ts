// The sharding plan of docs/SCALING.md as data, and the check the hot-path test applies to each SQL
// statement: a statement that touches a distributed table must compare that table's distribution
// column (or, for the table whose key is its own id, that id) with a value, so Citus can route it.
// Reference and local tables need nothing. A statement may reach a table through a join on the
// distribution column from a table it already filters (co-located join): the join counts.

/** Distributed by organisation: column per table. `organisations` is keyed by its own id. */
export const BY_ORGANISATION: Record<string, string> = {
  organisations: 'id',
  organisation_links: 'organisation_id',
  former_links: 'organisation_id',
  mandates: 'organisation_id',
  chain_mandates: 'organisation_id',
  chain_assignments: 'organisation_id',
  legal_representatives: 'organisation_id',
  applications: 'organisation_id',
  link_requests: 'organisation_id',
  audit_events: 'organisation_id',
  api_clients: 'organisation_id',
  expiry_digest_items: 'organisation_id',
}

/** Distributed by person (a second co-location group): column per table. */
export const BY_PERSON: Record<string, string> = {
  users: 'id',
  means: 'user_id',
  recovery_codes: 'user_id',
}

/** Reference tables (a copy on every node): the service catalogue, and the branches (vestigingen: a
 * few per organisation, read by id from mandates of any organisation). */
export const REFERENCE = ['services', 'service_providers', 'branches']

/** Person-centric statements on an organisation table: routed through the person's organisations
 * (docs/SCALING.md, "Person-centric queries"), so a filter on this column is allowed too. */
export const PERSON_ROUTED: Record<string, string> = { mandates: 'user_id', organisation_links: 'user_id' }

/** Hot-path statements that still ask every shard, each with the change docs/SCALING.md names for it.
 * The test fails when one is added, and when one is fixed (then remove it here). */
export const KNOWN_GAPS: { table: string; pattern: RegExp; change: string }[] = [
  {
    table: 'audit_events',
    pattern: /"subject_id" = \$\d+/,
    change: "mandate history (Geschiedenis) filters by subject only: add the mandate's organisation_id",
  },
]

/** Local tables on the coordinator (small, or queues): no routing needed. */
export const LOCAL = [
  'session',
  'rate_limits',
  'outgoing_mail',
  'action_tokens',
  'registrations',
  'job_runs',
  'api_tokens',
  'api_idempotency_keys',
  'application_items',
  'application_signatures',
]

export type Finding = { table: string; column: string; sql: string; page?: string; known?: string }

/** The tables a statement reads or writes, with the alias each has (or its own name). */
function tablesIn(sql: string): { table: string; alias: string }[] {
  const found: { table: string; alias: string }[] = []
  const pattern = /\b(?:from|join|update|into)\s+(?:"?public"?\.)?"?([a-z_]+)"?(?:\s+(?:as\s+)?"?([a-z_][a-z0-9_]*)"?)?/gi
  const keywords = new Set([
    'where',
    'on',
    'join',
    'left',
    'right',
    'inner',
    'outer',
    'cross',
    'set',
    'group',
    'order',
    'limit',
    'using',
    'values',
    'select',
    'lateral',
    'union',
    'returning',
    'having',
    'offset',
    'for',
    'and',
    'or',
    'natural',
    'full',
  ])
  for (const match of sql.matchAll(pattern)) {
    const table = match[1]!.toLowerCase()
    const alias = match[2] && !keywords.has(match[2].toLowerCase()) ? match[2] : table
    found.push({ table, alias })
  }
  return found
}

/** Does the statement compare `alias.column` (or an unqualified `column`) with something? */
function filtersOn(sql: string, alias: string, column: string): boolean {
  const qualified = `(?:"?${alias}"?\\s*\\.\\s*)`
  const prefix = column === 'id' ? qualified : `${qualified}?`
  const col = `${prefix}"?${column}"?`
  return new RegExp(`${col}\\s*\\)?\\s*(?:=|\\bin\\b|::uuid\\s*=)|(?:=|\\bin\\b|any)\\s*\\(?\\s*${col}`, 'i').test(sql)
}

/** Findings: each distributed table in `sql` that the statement does not filter by its key. */
export function checkStatement(sql: string): Finding[] {
  const findings: Finding[] = []
  if (/\bWHERE 1=0\b/.test(sql)) return findings // Prisma's empty IN list: no shard is asked
  for (const { table, alias } of tablesIn(sql)) {
    const column = BY_ORGANISATION[table] ?? BY_PERSON[table]
    if (!column) continue
    const routed = [alias, table].some((a) => filtersOn(sql, a, column) || (PERSON_ROUTED[table] && filtersOn(sql, a, PERSON_ROUTED[table])))
    if (routed) continue
    const known = KNOWN_GAPS.find((gap) => gap.table === table && gap.pattern.test(sql))
    findings.push({ table, column, sql: sql.replace(/\s+/g, ' ').slice(0, 600), ...(known ? { known: known.change } : {}) })
  }
  return findings
}
