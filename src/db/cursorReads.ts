// Large reads (the Machtigingen CSV export) through a server-side cursor, on a small pool of their own.
//
// Why not pg's ordinary query: pg gathers a result's rows on its Result object, and those rows survived
// V8's young-generation collections and were promoted to the old generation, where only a full
// collection frees them: 100,000 rows grew the heap by 70–170 MB of garbage, whatever the page size
// (README, bench:mandates-export). Here each data row's text fields go to the caller as they arrive
// off the socket and are dropped at once: no rows are gathered, nothing is parsed into types, and the
// measured promotion is nil, so the heap stays flat whatever the number of rows.
import type pg from 'pg'
import type { Prisma } from '../generated/prisma/client.ts'
import { checkOut } from './checkedOut.ts'
import { poolConfigFromUrl, utcPool } from './poolConfig.ts'

/** A row as PostgreSQL sends it in text format: one string per column, null for NULL. */
export type TextRow = readonly (string | null)[]

export type EachRowOptions = {
  /** Rows per round trip (FETCH): what is in flight at most. */
  batchSize: number
  /** Called for every row, synchronously, as it arrives; keep nothing of `fields`. */
  onRow: (fields: TextRow) => void
  /** Called after each batch; resolve false to stop reading (the reader went away). */
  afterBatch: () => Promise<boolean>
}

export interface CursorReads {
  /** Every row of `query` (one snapshot: a read-only transaction), `batchSize` at a time. */
  eachRow(query: Prisma.Sql, options: EachRowOptions): Promise<void>
}

type ErrorLike = Error | { message: string }

/**
 * One simple-protocol statement (FETCH) whose data rows are handed to `onRow` as they are parsed: pg's
 * "Submittable" interface, as pg-cursor and pg-query-stream use it. Resolves with the number of rows.
 */
class FetchRows implements pg.Submittable {
  private rows = 0
  private failure: unknown = null
  private settle: { resolve: (rows: number) => void; reject: (error: unknown) => void } | null = null
  readonly done = new Promise<number>((resolve, reject) => (this.settle = { resolve, reject }))

  constructor(
    private readonly text: string,
    private readonly onRow: (fields: TextRow) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text)
  }

  handleRowDescription(): void {}

  handleDataRow(message: { fields: TextRow }): void {
    if (this.failure) return
    try {
      this.onRow(message.fields)
      this.rows++
    } catch (error) {
      // The rest of this batch still arrives; the caller hears of the error at ReadyForQuery.
      this.failure = error
    }
  }

  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}

  handleError(error: ErrorLike): void {
    this.finish(error)
  }

  handleReadyForQuery(): void {
    this.finish(this.failure)
  }

  private finish(error: unknown): void {
    const settle = this.settle
    this.settle = null
    if (!settle) return
    if (error) settle.reject(error)
    else settle.resolve(this.rows)
  }
}

export class PgCursorReads implements CursorReads {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Two connections: each export holds one for as long as it streams (its snapshot), so a third waits
   * for one to finish rather than taking the page reads' connections.
   */
  static connect(databaseUrl: string, size = 2): PgCursorReads {
    return new PgCursorReads(utcPool(poolConfigFromUrl(databaseUrl, { max: size })))
  }

  async eachRow(query: Prisma.Sql, { batchSize, onRow, afterBatch }: EachRowOptions): Promise<void> {
    const fetch = `fetch ${Math.max(1, Math.floor(batchSize))} from bm_export`
    // Held between batches while the export waits for the socket to drain (see checkedOut.ts).
    const { client, release } = await checkOut(this.pool)
    let failed: Error | undefined
    try {
      await client.query('begin transaction read only')
      await client.query({ text: `declare bm_export no scroll cursor for ${query.text}`, values: query.values })
      for (;;) {
        const batch = new FetchRows(fetch, onRow)
        client.query(batch)
        const rows = await batch.done
        if (rows > 0 && !(await afterBatch())) break
        if (rows < batchSize) break
      }
      await client.query('commit')
    } catch (error) {
      failed = error as Error
      await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      // A connection that failed mid-statement is closed rather than handed to the next export.
      release(failed)
    }
  }

  on(event: 'error', listener: (error: Error) => void): this {
    this.pool.on(event, listener)
    return this
  }

  end(): Promise<void> {
    return this.pool.end()
  }
}
