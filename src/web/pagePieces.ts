// A page is sent as the pieces it was rendered in (the layout's text, the page's text, each strict
// partial's rows), not as one string. EJS builds a page by appending to one string, which V8 keeps
// as a rope until something reads it; sending it reads it, and V8 then copies it into one flat
// string. On the bench host a flat string of 65,536 characters or more cost about 0.6 ms to make
// (below that length, 0.01 ms): the accountant's Overzicht (72,500 characters) paid it on every
// request. Written piece by piece, each piece is made flat on its own, and the socket gets them in
// one write (a corked response). A bare server sending the same page: 1.1 ms of CPU a request as
// one string, 0.24 ms in pieces of at most 16,000 characters; a page of 59,500 characters 0.24 ms
// and 0.10 ms (README, session 18).
import { randomBytes } from 'node:crypto'
import type { Response } from 'express'

/**
 * Where a piece stands in the text around it: private-use characters and a per-process random
 * part, so no text of a page (escaped or not) can name a piece.
 */
const MARK = `\uE000${randomBytes(8).toString('hex')}:`
const MARK_END = '\uE001'
const MARKS = new RegExp(`${MARK}(\\d+)${MARK_END}`, 'g')

/** Shorter output stays in the text around it: a piece of its own costs more than it saves. */
const PIECE_MIN = 2048

/** The pieces of one render; the page's response reads `chunks` once the layout is done. */
export class PagePieces {
  private readonly pieces: { html: string; holdsPieces: boolean }[] = []
  chunks: string[] | undefined

  /**
   * `html` as a piece of its own (its mark stands in the text), or as it is when short.
   * `holdsPieces`: it holds marks of other pieces (the page's body inside the layout), which
   * `split` then replaces too; other pieces are not searched for marks.
   */
  keep(html: string, holdsPieces = false): string {
    if (html.length < PIECE_MIN) return html
    this.pieces.push({ html, holdsPieces })
    return `${MARK}${this.pieces.length - 1}${MARK_END}`
  }

  /** The whole page as the text between the marks and the pieces, in order. */
  split(html: string, chunks: string[] = []): string[] {
    let last = 0
    for (const mark of html.matchAll(MARKS)) {
      if (mark.index > last) chunks.push(html.slice(last, mark.index))
      const piece = this.pieces[Number(mark[1])]!
      if (piece.holdsPieces) this.split(piece.html, chunks)
      else chunks.push(piece.html)
      last = mark.index + mark[0].length
    }
    if (last === 0) chunks.push(html)
    else if (last < html.length) chunks.push(html.slice(last))
    return chunks
  }

  /** The page as one string (a render with a callback, e.g. a test's `app.render`). */
  join(html: string): string {
    return this.split(html).join('')
  }
}

/**
 * What `res.send(html)` did for a page, for its pieces: the HTML content type unless one is set,
 * the length in bytes, no body for HEAD, one corked write. No ETag: pages are `no-store`.
 */
export function sendPieces(res: Response, chunks: readonly string[]): void {
  if (!res.get('Content-Type')) res.type('html')
  let length = 0
  for (const chunk of chunks) length += Buffer.byteLength(chunk)
  res.setHeader('Content-Length', length)
  if (res.req.method === 'HEAD') {
    res.end()
    return
  }
  res.cork()
  for (const chunk of chunks) res.write(chunk)
  res.end() // uncorks: the pieces leave in one write
}
