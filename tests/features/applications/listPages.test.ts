// Aanvragen pages through every application of the admin's organisations, newest first, LIST_PAGE a
// page (keyset: "Volgende pagina", "Eerste pagina"), keeping the status filter; the accountant's 1,500
// applications were cut at 100 before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LIST_PAGE } from '../../../src/features/applications/applicationsService.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { followPages } from '../../helpers/pages.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

const detailIds = (html: string) =>
  [...html.matchAll(/href="\/beheer\/aanvragen\/([0-9a-f-]{36})"/g)].map((m) => m[1]!).filter((id, i, all) => all.indexOf(id) === i)

describe('Aanvragen: pages', () => {
  it('When the organisations have more applications than a page, then the pages list each once, newest first, and keep the status filter', async () => {
    const db = t.database.db
    const sanne = await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const holding = await db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const at = (n: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, Math.floor(n / 2))) // pairs share a created_at: the id decides
    for (let n = 0; n < LIST_PAGE * 2 + 5; n++) {
      await db.application.create({
        data: {
          organisationId: holding.id,
          type: 'mandates',
          status: n % 2 ? 'issued' : 'cancelled',
          level: 'EH3',
          termYears: 1,
          requestedById: sanne.id,
          createdAt: at(n),
        },
      })
    }
    const expected = await db.application.findMany({
      where: { organisation: { mandates: { some: { userId: sanne.id, kind: 'admin', status: 'active' } } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, status: true },
    })
    const agent = await t.loginAs('sanne')

    const walk = (start: string) =>
      followPages(agent, start, (html, page, href) => {
        const ids = detailIds(html)
        expect(ids.length).toBeLessThanOrEqual(LIST_PAGE)
        if (page > 1) expect(html).toContain('Eerste pagina')
        if (start.includes('status=')) expect(href).toContain('status=cancelled')
        return ids
      })

    const all = await walk('/beheer/aanvragen')
    expect(all.seen).toEqual(expected.map((a) => a.id))
    expect(all.pages).toBe(Math.ceil(expected.length / LIST_PAGE))

    const cancelled = await walk('/beheer/aanvragen?status=cancelled')
    expect(cancelled.seen).toEqual(expected.filter((a) => a.status === 'cancelled').map((a) => a.id))
  })

  it('When the cursor is nonsense, then the first page is shown', async () => {
    const agent = await t.loginAs('sanne')
    const first = await agent.get('/beheer/aanvragen')
    const dashes = Buffer.from(JSON.stringify({ c: '2030-01-01T00:00:00.000Z', i: '-'.repeat(36) })).toString('base64url')
    for (const na of ['x', Buffer.from('{"c":"gisteren","i":"1"}').toString('base64url'), Buffer.from('[1]').toString('base64url'), dashes]) {
      const page = await agent.get(`/beheer/aanvragen?na=${na}`)
      expect(page.status).toBe(200)
      expect(detailIds(page.text)).toEqual(detailIds(first.text))
    }
  })

  it('When a cursor holds something shaped like an id that is none, then Gebruikers shows the first page too', async () => {
    const agent = await t.loginAs('sanne')
    const na = Buffer.from(JSON.stringify({ l: 'Smit', f: 'Jan', i: '-'.repeat(36) })).toString('base64url')
    const page = await agent.get(`/beheer/gebruikers?na=${na}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Jan Smit')
  })
})
