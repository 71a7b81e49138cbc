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
 * One record as csv-stringify writes it, ending in a newline: each cell through `csvCell`, quoted when it
 * holds the delimiter, a double quote, CR or LF, with its double quotes doubled (tests/web/csv.test.ts
 * holds the two to the same bytes). A string, not an array of records, so an export makes no objects
 * per row beyond its cells.
 */
export function csvRecord(cells: readonly unknown[], delimiter = ','): string {
  let record = ''
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) record += delimiter
    const text = csvCell(cells[i])
    if (text.includes('"')) record += `"${text.replaceAll('"', '""')}"`
    else if (text.includes(delimiter) || text.includes('\n') || text.includes('\r')) record += `"${text}"`
    else record += text
  }
  return record + '\n'
}

/** How long a reader may take nothing before the download is cut off (its database snapshot let go). */
export const DRAIN_TIMEOUT_MS = 120_000

/**
 * The streaming writer for the largest exports (Machtigingen): `record(cells)` appends a line to the
 * current chunk; `flush()` writes the chunk to `out` and, when `out` says its buffer is full, waits for
 * 'drain', so at most one chunk is in memory whatever the reader's speed. It resolves false when the
 * reader has gone (or took nothing for DRAIN_TIMEOUT_MS: then the response is destroyed). The BOM and
 * the header are written at once, before the first row has been read.
 */
export function csvChunkWriter(
  out: Writable,
  options: CsvOptions & { drainTimeoutMs?: number },
): { record: (cells: readonly unknown[]) => void; flush: () => Promise<boolean> } {
  const delimiter = options.delimiter ?? ','
  out.write('\uFEFF' + csvRecord(options.header, delimiter))
  let chunk = ''
  return {
    record: (cells) => {
      chunk += csvRecord(cells, delimiter)
    },
    flush: async () => {
      if (out.destroyed) return false
      if (chunk === '') return true
      const full = !out.write(chunk)
      chunk = ''
      if (full) await drainedOrClosed(out, options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS)
      return !out.destroyed
    },
  }
}

/** Resolves when `out` can take more, or is gone, or after `timeoutMs` (then `out` is destroyed); leaves no listener behind. */
function drainedOrClosed(out: Writable, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      out.off('drain', done)
      out.off('close', done)
      resolve()
    }
    const timer = setTimeout(() => {
      out.destroy()
      done()
    }, timeoutMs)
    out.on('drain', done)
    out.on('close', done)
  })
}
