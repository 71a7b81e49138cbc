// A confirmation page is bound to what it showed: the set of rows (id and version: updated_at, or
// created_at for rows that never change) goes into a digest in the form. The action recomputes the
// digest over the rows it locked; a different one means the set changed in between (another admin,
// a second tab, a forged or replayed form), and the action changes nothing and shows the new state.
import { createHash } from 'node:crypto'

export type VersionedRow = { id: string; version: Date | string }

/** The digest of `rows` for `kind` (bulk-revoke, offboard, …) and the acting person; order does not matter. */
export function confirmationDigest(kind: string, actorId: string, rows: VersionedRow[]): string {
  const lines = rows.map((r) => `${r.id}@${r.version instanceof Date ? r.version.toISOString() : r.version}`).sort()
  return createHash('sha256')
    .update(`${kind}\n${actorId}\n${lines.join('\n')}`)
    .digest('base64url')
}

/** A digest as the form sends it back: 43 base64url characters, else ''. */
export function digestFrom(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : ''
}
