// A page is sent as the pieces it was rendered in (src/web/pagePieces.ts): the same bytes as one
// string, the right length, no marks left, and no text of the page can stand in for a piece.
import * as cheerio from 'cheerio'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PagePieces } from '../../src/web/pagePieces.ts'
import { RENDER_SLICE, setUpViews } from '../../src/web/views.ts'
import { systemActor } from '../../src/shared/actor.ts'
import { recordAuditMany } from '../../src/shared/audit.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

const MARKS = /[\uE000\uE001]/

describe('PagePieces', () => {
  it('When long output is kept, then its mark stands in the text and the split gives text and pieces in order; short output stays inline', () => {
    const pieces = new PagePieces()
    const long1 = 'a'.repeat(3000)
    const long2 = 'b'.repeat(5000)
    const html = `<head>${pieces.keep(long1)}<mid>${pieces.keep('short')}${pieces.keep(long2)}</end>`
    expect(html).toContain('<mid>short')
    expect(pieces.split(html)).toEqual(['<head>', long1, '<mid>short', long2, '</end>'])
    expect(pieces.join(html)).toBe(`<head>${long1}<mid>short${long2}</end>`)
  })

  it('When a page holds text that looks like a mark (a name with private-use characters), then it is left as it is', () => {
    const pieces = new PagePieces()
    const long = 'x'.repeat(4000)
    const lookalike = '\uE0000000000000000000:0\uE001'
    const html = `${lookalike}${pieces.keep(long)}${lookalike}`
    expect(pieces.split(html)).toEqual([lookalike, long, lookalike])
  })

  it('When a kept piece holds marks of others (the body inside the layout), then those are replaced too', () => {
    const pieces = new PagePieces()
    const rows = 'r'.repeat(3000)
    const body = `<main>${'m'.repeat(2500)}${pieces.keep(rows)}</main>`
    const html = `<html>${pieces.keep(body, true)}</html>`
    expect(pieces.split(html)).toEqual(['<html>', `<main>${'m'.repeat(2500)}`, rows, '</main>', '</html>'])
  })

  it('When nothing was kept, then the page is one chunk', () => {
    expect(new PagePieces().split('<p>hi</p>')).toEqual(['<p>hi</p>'])
  })
})

describe('a page sent in pieces', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
    const org = await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
    // More rows than one slice of a strict partial, so Logboek's rows are several pieces.
    await t.database.db.$transaction((tx) =>
      recordAuditMany(
        tx,
        systemActor('tester@demo.example'),
        Array.from({ length: 3 * RENDER_SLICE + 5 }, (_, i) => ({
          action: 'mandate.granted' as const,
          organisationId: org.id,
          subjectType: 'mandate' as const,
          subjectId: `piece-${i}`,
          after: { email: `piece-${i}` },
        })),
      ),
    )
  })
  afterAll(async () => {
    await t.close()
  })

  it('When an admin opens pages with strict partials, then each is whole: its length in bytes, no marks, the rows in order', async () => {
    const sanne = await t.loginAs('sanne')
    for (const path of ['/overzicht', '/beheer/machtigingen?per=100&inactief=1', '/beheer/logboek?per=50', '/beheer/gebruikers']) {
      const response = await sanne.get(path)
      expect(response.status, path).toBe(200)
      expect(response.headers['content-type'], path).toBe('text/html; charset=utf-8')
      expect(Number(response.headers['content-length']), path).toBe(Buffer.byteLength(response.text))
      expect(response.text, path).not.toMatch(MARKS)
      expect(response.text.trimEnd().endsWith('</html>'), path).toBe(true)
      expect(cheerio.load(response.text)('main h1').length, path).toBe(1)
    }
    const logboek = await sanne.get('/beheer/logboek?per=50')
    const subjects = [...logboek.text.matchAll(/piece-(\d+)/g)].map((m) => Number(m[1]))
    const shown = [...new Set(subjects)]
    expect(shown.length).toBe(3 * RENDER_SLICE + 5)
    expect(shown).toEqual([...shown].sort((a, b) => b - a))
  })

  it('When a page answers 400 or is asked with HEAD, then the status and length are kept and HEAD has no body', async () => {
    const sanne = await t.loginAs('sanne')
    const wrong = await sanne.get('/beheer/logboek?per=7')
    expect(wrong.status).toBe(400)
    expect(Number(wrong.headers['content-length'])).toBe(Buffer.byteLength(wrong.text))
    const head = await sanne.head('/beheer/logboek')
    expect(head.status).toBe(200)
    expect(Number(head.headers['content-length'])).toBeGreaterThan(1000)
    expect(head.text ?? '').toBe('')
  })

  it('When a view is rendered with a callback (not a response), then it gets the whole page as one string', async () => {
    const app = express()
    setUpViews(app, { brandName: 'Test', production: true })
    const html = await new Promise<string>((resolve, reject) =>
      app.render(
        'pages/overview/index',
        {
          title: 'Overzicht',
          t: (key: string) => key,
          locale: 'nl',
          organisations: Array.from({ length: 2 * RENDER_SLICE + 1 }, (_, i) => ({
            id: `org-${i}`,
            name: `Organisatie ${String(i).padStart(3, '0')}`,
            kvkNumber: '12345678',
            adminLevel: 'EH3',
            users: 1,
            meansByLevel: { EH2: 0, EH2_PLUS: 0, EH3: 1, EH4: 0 },
            mandatesByLevel: { EH2: 0, EH2_PLUS: 0, EH3: 1, EH4: 0 },
            expiringMandates: 0,
            expiringMore: false,
          })),
          organisationCount: 2 * RENDER_SLICE + 1,
          search: { q: '', matching: 0, shown: false },
          pagination: {},
          levels: ['EH2', 'EH2_PLUS', 'EH3', 'EH4'],
          means: [],
          mandates: [],
          mandatesMore: false,
          layout: false,
          user: { name: 'Test', role: 'user', adminOrganisations: [] },
        },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    )
    expect(html).not.toMatch(MARKS)
    const names = [...html.matchAll(/Organisatie (\d{3})/g)].map((m) => m[1])
    expect([...new Set(names)]).toEqual(Array.from({ length: 2 * RENDER_SLICE + 1 }, (_, i) => String(i).padStart(3, '0')))
  })
})
