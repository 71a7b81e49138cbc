// Set-based inserts for the bulk import: one statement per table, the rows passed as one JSON
// parameter and expanded by json_to_recordset. Prisma's createMany binds one parameter per cell,
// which is slow for thousands of rows.
import { Prisma } from '../../generated/prisma/client.ts'
import type { Tx } from '../../db/tx.ts'

export type Column = { name: string; type: string }

export async function insertJsonRows(
  tx: Tx,
  table: string,
  columns: Column[],
  rows: Record<string, unknown>[],
  extra: Record<string, string> = {},
): Promise<number> {
  if (rows.length === 0) return 0
  const quoted = (n: string) => `"${n.replace(/"/g, '')}"`
  const names = [...columns.map((c) => quoted(c.name)), ...Object.keys(extra).map(quoted)].join(', ')
  const selects = [...columns.map((c) => `x.${quoted(c.name)}`), ...Object.values(extra)].join(', ')
  const recordType = columns.map((c) => `${quoted(c.name)} ${c.type}`).join(', ')
  const sql = `insert into ${quoted(table)} (${names}) select ${selects} from json_to_recordset($1::json) as x(${recordType})`
  return tx.$executeRawUnsafe(sql, JSON.stringify(rows))
}

export function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue
}
