// The one CSV writer for every export (Gebruikers, Logboek): csv-stringify with UTF-8 BOM (Excel),
// and every cell that a spreadsheet would read as a formula neutralised (OWASP "CSV Injection"):
// a text starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading single quote `'`,
// so `=HYPERLINK("http://evil.example";"klik")` shows as text. Imports are not affected: a name like
// that is accepted and stored as typed; only the export adds the quote.
import type { Writable } from 'node:stream'
import { stringify as stringifyStream, type Stringifier } from 'csv-stringify'
import { stringify as stringifySync } from 'csv-stringify/sync'
import { toText } from './format.ts'

const FORMULA_START = /^[=+\-@\t\r]/

/** One cell as text, safe to open in a spreadsheet. Objects become JSON; null and undefined ''. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text =
    typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : toText(value)
  return FORMULA_START.test(text) ? `'${text}` : text
}

export type CsvOptions = {
  /** Column headers (already translated), in order. */
  header: string[]
  /** Separator: `;` for Dutch Excel (Gebruikers), `,` (the default) otherwise. */
  delimiter?: string
}

/** A whole CSV file at once, for small exports. */
export function csvText(rows: readonly (readonly unknown[])[], options: CsvOptions): string {
  return stringifySync(
    rows.map((row) => row.map(csvCell)),
    { bom: true, header: true, delimiter: options.delimiter ?? ',', columns: options.header.map(csvCell) },
  )
}

/**
 * A streaming CSV writer for large exports: `write(row)` takes an array of cells (neutralised
 * here) and returns false when the caller should wait for 'drain'; pipe the stream to the response.
 * The BOM and the header row are written at once, so the first bytes leave before the first query
 * has answered (csv-stringify's own `header: true` waits for the first record).
 */
export function csvStream(options: CsvOptions): { stream: Stringifier; write: (row: readonly unknown[]) => boolean; end: () => void } {
  const stream = stringifyStream({ bom: true, header: false, delimiter: options.delimiter ?? ',' })
  stream.write(options.header.map(csvCell))
  return {
    stream,
    write: (row) => stream.write(row.map(csvCell)),
    end: () => stream.end(),
  }
}

/**
 * The streaming writer for the largest exports (Machtigingen): a page of rows becomes one chunk of
 * text written straight to `out`, waiting for 'drain' whenever `out` says its buffer is full, so at
 * most one page is in memory, whatever the reader's speed. Compared with `csvStream` (a stream
 * transform, one chunk per row) this makes about a thousand times fewer chunks and short-lived objects.
 * The BOM and the header are written at once, before the first page has been read.
 */
export function csvPageWriter(out: Writable, options: CsvOptions): { writePage: (rows: readonly (readonly unknown[])[]) => Promise<void> } {
  const delimiter = options.delimiter ?? ','
  out.write(stringifySync([options.header.map(csvCell)], { bom: true, delimiter }))
  return {
    writePage: async (rows) => {
      if (rows.length === 0 || out.destroyed) return
      if (
        !out.write(
          stringifySync(
            rows.map((row) => row.map(csvCell)),
            { delimiter },
          ),
        )
      )
        await drainedOrClosed(out)
    },
  }
}

/** Resolves when `out` can take more, or is gone; leaves no listener behind. */
function drainedOrClosed(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
  })
}
