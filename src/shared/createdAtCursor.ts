// The cursor of a list in keyset pages, newest first on (created_at, id): Aanvragen and Verzoeken.
// Opaque in the URL (`na`); anything unreadable is the first page.
import { z } from 'zod'
import { Prisma } from '../generated/prisma/client.ts'
import { isUuid } from '../domain/ids.ts'

export type CreatedAtCursor = { c: string; i: string }

/** The list's query: the cursor `na` as text (anything else, or a repeated `na`, is the first page). */
export const createdAtCursorQuery = z.object({ na: z.string().max(500).optional().catch(undefined) })

export function encodeCreatedAtCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ c: row.createdAt.toISOString(), i: row.id })).toString('base64url')
}

export function decodeCreatedAtCursor(value: string | undefined): CreatedAtCursor | null {
  if (!value) return null
  try {
    const c = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as CreatedAtCursor
    if (typeof c.c === 'string' && !Number.isNaN(Date.parse(c.c)) && isUuid(c.i)) return c
  } catch {
    /* the first page */
  }
  return null
}

/** `and (alias.created_at, alias.id) < cursor`, or nothing on the first page. */
export function olderThan(alias: string, cursor: CreatedAtCursor | null): Prisma.Sql {
  if (!cursor) return Prisma.empty
  return Prisma.sql`and (${Prisma.raw(alias)}.created_at, ${Prisma.raw(alias)}.id) < (${new Date(cursor.c)}::timestamptz, ${cursor.i}::uuid)`
}
