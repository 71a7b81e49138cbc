// Rows that come back inside a json column (json_agg, row_to_json) carry their dates as text: a
// `date` as "2027-01-31", a `timestamptz` as ISO 8601 with an offset. Both parse to the Date the page
// reads give for the column itself (a date at midnight UTC; a timestamptz to the millisecond).

/** Turns the named fields of each row from text into Dates, in place (null stays null), and returns the rows. */
export function reviveDates<T extends object>(rows: T[], fields: readonly (keyof T)[]): T[] {
  for (const row of rows) {
    for (const field of fields) {
      const value = row[field]
      if (typeof value === 'string') (row as Record<keyof T, unknown>)[field] = new Date(value)
    }
  }
  return rows
}
