// Records the text of every statement the app sends (Prisma's pg adapter and the page reads both go
// through pg.Client#query), for tests that check which queries a page ran.
import pg from 'pg'

/** Pushes every statement's text to `into` until the returned function puts pg's query back. */
export function recordStatements(into: string[]): () => void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back and applied with its own `this`
  const original = pg.Client.prototype.query
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string }
    const text = typeof first === 'string' ? first : first?.text
    if (text) into.push(text)
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof original
  return () => {
    pg.Client.prototype.query = original
  }
}
