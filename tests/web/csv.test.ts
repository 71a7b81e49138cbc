// The CSV writer (src/web/csv.ts): csvRecord writes exactly what csv-stringify writes for the same
// (neutralised) cells, and the chunk writer waits for the reader, and lets go of a reader that takes nothing.
import { PassThrough, Writable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvCell, csvChunkWriter, csvRecord, csvText } from '../../src/web/csv.ts'

const awkward = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '=1+2', '+31 6', '-5', '@home', '\tx', '\rx', 'a,b', 'a;b', 'say "hi"', '"', 'two\nlines', 'cr\r', 'É ü ß 漢字', "'quoted'"),
  fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r', '=', '-', ' ', 'é') }),
)

describe('csvRecord', () => {
  it('When any cells are written, then the bytes are the same as csv-stringify writes for them, with either delimiter', () => {
    fc.assert(
      fc.property(fc.array(awkward, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';'), (cells, delimiter) => {
        expect(csvRecord(cells, delimiter)).toBe(stringify([cells.map(csvCell)], { delimiter }))
      }),
      { numRuns: 2000 },
    )
  })

  it('When cells hold formulas, quotes, delimiters and line breaks, then they are neutralised and quoted', () => {
    expect(csvRecord(['=HYPERLINK("http://evil.example";"klik")', 'de Vries, Jan', 'regel\nregel', '', null, 'gewoon'])).toBe(
      `"'=HYPERLINK(""http://evil.example"";""klik"")","de Vries, Jan","regel\nregel",,,gewoon\n`,
    )
  })
})

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  return () => Buffer.concat(chunks).toString('utf8')
}

describe('csvChunkWriter', () => {
  it('When records are written and flushed, then the output is the BOM, the header and the records, as csvText writes them', async () => {
    const out = new PassThrough()
    const text = collect(out)
    const csv = csvChunkWriter(out, { header: ['Naam', 'Status'] })
    csv.record(['=1+1', 'Actief'])
    csv.record(['a "b"', 'Verlopen'])
    expect(await csv.flush()).toBe(true)
    csv.record(['c', 'd'])
    expect(await csv.flush()).toBe(true)
    expect(text()).toBe(
      csvText(
        [
          ['=1+1', 'Actief'],
          ['a "b"', 'Verlopen'],
          ['c', 'd'],
        ],
        { header: ['Naam', 'Status'] },
      ),
    )
  })

  it('When the reader is slow, then flush waits until it has taken the chunk', async () => {
    const out = new PassThrough({ highWaterMark: 16 })
    const csv = csvChunkWriter(out, { header: ['h'] })
    csv.record(['x'.repeat(100)])
    let flushed = false
    const flushing = csv.flush().then((open) => (flushed = open))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(flushed).toBe(false)
    out.resume()
    expect(await flushing).toBe(true)
  })

  it('When the reader has gone, then flush says so', async () => {
    const out = new PassThrough({ highWaterMark: 16 })
    const csv = csvChunkWriter(out, { header: ['h'] })
    csv.record(['x'.repeat(100)])
    const flushing = csv.flush()
    out.destroy()
    expect(await flushing).toBe(false)
    csv.record(['y'])
    expect(await csv.flush()).toBe(false)
  })

  it('When the reader takes nothing for the drain time-out, then the output is destroyed and flush says the reader has gone', async () => {
    const stuck = new Writable({ highWaterMark: 16, write: () => undefined })
    const csv = csvChunkWriter(stuck, { header: ['h'], drainTimeoutMs: 30 })
    csv.record(['x'.repeat(100)])
    expect(await csv.flush()).toBe(false)
    expect(stuck.destroyed).toBe(true)
  })
})
