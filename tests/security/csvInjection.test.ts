// #20: no formula in an export. Crafted names go in through the real import (accepted as text) and
// come out of "Exporteren als CSV" (Gebruikers) and the Logboek export with a leading quote.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvCell, csvText } from '../../src/web/csv.ts'
import { createTestApp, csrfFrom, postForm, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const HEADER = 'voornaam;tussenvoegsel;achternaam;geboortedatum;e-mailadres;mobiel nummer;niveau;looptijd;kvk-nummer'
const CRAFTED = [
  { first: '=HYPERLINK("http://evil.example";"klik")', last: 'Formule', email: 'formule.een@voorbeeld.nl' },
  { first: '+31 SUM(1;2)', last: 'Plus', email: 'formule.twee@voorbeeld.nl' },
  { first: '-2+3', last: 'Min', email: 'formule.drie@voorbeeld.nl' },
  { first: '@SUM(A1)', last: 'Apenstaart', email: 'formule.vier@voorbeeld.nl' },
  { first: '\tTab', last: 'Tab', email: 'formule.vijf@voorbeeld.nl' },
  { first: '\rCr', last: 'Cr', email: 'formule.zes@voorbeeld.nl' },
]
const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`

function cells(csvBody: string, delimiter: string): string[][] {
  const rows: string[][] = parse(csvBody.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true })
  return rows
}

describe('CSV exports cannot carry formulas (#20)', () => {
  it('csvCell prefixes a quote to text starting with = + - @ tab or CR, and leaves other text alone', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`)
    expect(csvCell('Jansen')).toBe('Jansen')
    expect(csvCell("'al")).toBe("'al")
    expect(csvCell(null)).toBe('')
    expect(csvCell({ a: 1 })).toBe('{"a":1}')
    expect(csvText([['=1', 'x']], { header: ['@h', 'b'] })).toBe("\uFEFF'@h,b\n'=1,x\n")
  })

  it('When users with formula-like names are imported, then they are stored as typed and the Gebruikers export neutralises every such cell', async () => {
    const agent = await t.loginAs('sanne')
    const lines = CRAFTED.map((c, i) => [quoted(c.first), '', c.last, '1990-05-05', c.email, `+3162222233${i}`, 'EH2', '5', '86231457'].join(';'))
    const page = await agent.get('/beheer/gebruikers/toevoegen')
    const preview = await agent
      .post('/beheer/gebruikers/toevoegen/bestand')
      .field('_csrf', csrfFrom(page.text))
      .field('emailConfirmed', '1')
      .attach('file', Buffer.from(`${HEADER}\n${lines.join('\n')}\n`, 'utf8'), { filename: 'gebruikers.csv', contentType: 'text/csv' })
    expect(preview.status).toBe(200)
    const confirm = await agent
      .post('/beheer/gebruikers/toevoegen/bevestigen')
      .type('form')
      .send({ _csrf: csrfFrom(preview.text) })
    expect(confirm.status).toBe(303)
    // Imports keep such names as text (leading tab and CR are trimmed like any white space).
    for (const c of CRAFTED) {
      const stored = await t.database.db.user.findFirstOrThrow({ where: { emailKey: c.email } })
      expect(stored.firstName).toBe(c.first.trim())
    }

    const csv = await agent.get('/beheer/gebruikers/export.csv')
    expect(csv.status).toBe(200)
    const rows = cells(csv.text, ';')
    for (const c of CRAFTED) {
      const row = rows.find((r) => r[1] === c.email)
      expect(row, c.email).toBeDefined()
      if (/^[=+\-@]/.test(c.first)) expect(row![0]!.startsWith("'"), `${JSON.stringify(row![0])} is neutralised`).toBe(true)
    }
    expect(rows.find((r) => r[1] === 'formule.een@voorbeeld.nl')![0]).toBe(`'=HYPERLINK("http://evil.example";"klik") Formule`)
    // No cell of the whole file starts a formula.
    for (const row of rows) for (const cell of row) expect(/^[=+\-@\t\r]/.test(cell), JSON.stringify(cell)).toBe(false)
  })

  it('When a login fails with a formula as the address, then the Logboek export shows it neutralised', async () => {
    const anonymous = t.agent()
    const typed = '=HYPERLINK("http://evil.example";"klik")@evil.example'
    await postForm(anonymous, '/inloggen', '/inloggen', { email: typed, password: 'verkeerd-wachtwoord', code: '' })
    const backoffice = await t.loginAs('backoffice')
    const csv = await backoffice.get('/beheer/logboek/export.csv')
    expect(csv.status).toBe(200)
    const rows = cells(csv.text, ',')
    const all = rows.flat()
    expect(all.some((cell) => cell === `'${typed}` || cell === `'${typed.toLowerCase()}`)).toBe(true)
    for (const cell of all) expect(/^[=+\-@\t\r]/.test(cell), JSON.stringify(cell)).toBe(false)
    // Sanne's own export (the users she added above appear in audit "after" values as JSON).
    const sanne = await t.loginAs('sanne')
    const hers = cells((await sanne.get('/beheer/logboek/export.csv')).text, ',')
    for (const cell of hers.flat()) expect(/^[=+\-@\t\r]/.test(cell), JSON.stringify(cell)).toBe(false)
  })
})
