// Set-based inserts for the bulk import: one statement per table, the rows passed as one JSON
// parameter and expanded by json_to_recordset. Prisma's createMany binds one parameter per cell,
// which is slow for thousands of rows.
import { type Prisma } from '../../generated/prisma/client.ts'
import type { Tx } from '../../db/tx.ts'

/** The columns of an insert: name → SQL type (`uuid`, `text`, `"Level"`). */
export type Columns = Record<string, string>

export async function insertJsonRows(
  tx: Tx,
  table: string,
  columns: Columns,
  rows: Record<string, unknown>[],
  extra: Record<string, string> = {},
): Promise<number> {
  if (rows.length === 0) return 0
  const quoted = (n: string) => `"${n.replace(/"/g, '')}"`
  const columnNames = Object.keys(columns)
  const names = [...columnNames.map(quoted), ...Object.keys(extra).map(quoted)].join(', ')
  const selects = [...columnNames.map((name) => `x.${quoted(name)}`), ...Object.values(extra)].join(', ')
  const recordType = Object.entries(columns)
    .map(([name, type]) => `${quoted(name)} ${type}`)
    .join(', ')
  const sql = `insert into ${quoted(table)} (${names}) select ${selects} from json_to_recordset($1::json) as x(${recordType})`
  return tx.$executeRawUnsafe(sql, JSON.stringify(rows))
}

export function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue
}
