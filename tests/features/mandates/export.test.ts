// "Exporteren als CSV" on Machtigingen: the list's filter, every row of it, streamed; another
// organisation's filter is a 404; an unreadable filter goes back to the list.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp
let orgA: string[]
let orgB: string
beforeAll(async () => {
  t = await createTestApp()
  const sanne = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
  orgA = (await t.services.authService.loadPrincipal(sanne.id))!.adminOrganisations.map((o) => o.id)
  orgB = (await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })).id
})
afterAll(async () => {
  await t.close()
})

function rowsOf(text: string): string[][] {
  const rows: string[][] = parse(text.replace(/^\uFEFF/, ''), { delimiter: ',' })
  return rows
}

describe('mandate export', () => {
  it('When the admin exports with "Toon ook inactieve machtigingen", then the file has a header and every mandate of her organisations', async () => {
    const agent = await t.loginAs('sanne')
    const response = await agent.get(links.mandatesExport({ inactief: '1' })).buffer(true)
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="machtigingen-\d{4}-\d{2}-\d{2}\.csv"$/)
    const [header, ...rows] = rowsOf(response.text)
    expect(header).toEqual([
      'Gebruiker',
      'E-mailadres',
      'Organisatie',
      'Dienst',
      'Dienstverlener',
      'Betrouwbaarheidsniveau',
      'Vestiging',
      'Geldig vanaf',
      'Geldig tot en met',
      'Status',
    ])
    const count = await t.database.db.mandate.count({ where: { organisationId: { in: orgA }, kind: 'use' } })
    expect(rows.length).toBe(count)
    expect(rows.length).toBeGreaterThan(0)
  })

  it('When the export is filtered, then it holds exactly the rows the list shows with that filter', async () => {
    const agent = await t.loginAs('sanne')
    const filter = { organisatie: orgA[0]!, inactief: '1', status: 'expired' }
    const rows = rowsOf((await agent.get(links.mandatesExport(filter)).buffer(true)).text).slice(1)
    const count = await t.database.db.mandate.count({ where: { organisationId: orgA[0]!, kind: 'use', status: 'expired' } })
    expect(rows.length).toBe(count)
    for (const row of rows) expect(row[9]).toBe('Verlopen')
    const list = await agent.get(links.mandates({ ...filter, per: '100' }))
    const exportHref = /href="([^"]*export\.csv[^"]*)"/.exec(list.text)?.[1]?.replace(/&amp;/g, '&') ?? ''
    expect(Object.fromEntries(new URL(exportHref, 'http://x').searchParams)).toMatchObject(filter)
  })

  it('When the filter names an organisation of someone else, then the answer is 404 and nothing of it is sent', async () => {
    const agent = await t.loginAs('sanne')
    const response = await agent.get(links.mandatesExport({ organisatie: orgB }))
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).not.toContain('text/csv')
  })

  it('When the filter cannot be read, then the admin goes back to the list, which says so', async () => {
    const agent = await t.loginAs('sanne')
    const response = await agent.get(links.mandatesExport({ niveau: '<EH9>' }))
    expect(response.status).toBe(303)
    expect(response.headers.location).toContain(links.mandates())
  })
})
