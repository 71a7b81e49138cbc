// "Exporteren als CSV" on Machtigingen: the list's filter, every row of it, streamed; another
// organisation's filter is a 404; an unreadable filter goes back to the list.
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { expectedExport } from './exportExpected.ts'

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

describe('mandate export, cell for cell', () => {
  it("When the admin exports with each filter the list offers, then the file is the list's rows for that filter, cell for cell, in the list's order", async () => {
    const agent = await t.loginAs('sanne')
    const sanne = (await t.services.authService.loadPrincipal(
      (await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })).id,
    ))!
    const provider = await t.database.db.mandate.findFirstOrThrow({ where: { organisationId: { in: orgA }, scope: 'provider' } })
    const filters: Record<string, string>[] = [
      {},
      { inactief: '1' },
      { inactief: '1', sorteer: 'einddatum-aflopend' },
      { organisatie: orgA[1]!, inactief: '1' },
      { status: 'expired' },
      { niveau: 'EH3', inactief: '1' },
      { niveau: 'EH2_PLUS' },
      { dienst: provider.scopeKey },
      { gebruiker: 'smit', inactief: '1' },
      { gebruiker: 'niemand-heet-zo' },
    ]
    const scopes = new Set<string>()
    for (const filter of filters) {
      const response = await agent.get(links.mandatesExport(filter)).buffer(true)
      expect(response.status, JSON.stringify(filter)).toBe(200)
      expect(response.text, JSON.stringify(filter)).toBe(await expectedExport(t.services, sanne, filter))
      for (const row of rowsOf(response.text).slice(1)) scopes.add(row[3]!)
    }
    // The demo data has all three kinds of scope and branch-limited mandates, so each kind of cell was compared.
    expect(scopes).toContain('Alle diensten')
    const all = rowsOf((await agent.get(links.mandatesExport({ inactief: '1' })).buffer(true)).text).slice(1)
    expect(all.some((row) => /\(\d{12}\)$/.test(row[6]!))).toBe(true)
    expect(all.some((row) => row[4] !== '' && row[3] !== 'Alle diensten')).toBe(true)
  })

  it("When a holder's name is a formula with quotes and commas, then its cell is neutralised and quoted; dates are the database's dates (YYYY-MM-DD)", async () => {
    const db = t.database.db
    const kampen = await db.branch.findFirstOrThrow({ where: { organisationId: orgA[0]!, branchNumber: '000038291754' } })
    const service = await db.service.findFirstOrThrow({ where: { requiredLevel: 'EH2' } })
    const user = await db.user.create({
      data: {
        firstName: '=HYPERLINK("http://evil.example";"klik")',
        lastName: 'de Boer, "Bas"',
        dateOfBirth: new Date('1990-05-05'),
        email: 'formule@export.example',
      },
    })
    await db.organisationLink.create({ data: { userId: user.id, organisationId: orgA[0]! } })
    await db.means.create({ data: { userId: user.id, level: 'EH3', status: 'active', validFrom: new Date('2026-01-01'), validUntil: new Date('2028-12-31') } })
    await db.mandate.create({
      data: {
        kind: 'use',
        userId: user.id,
        organisationId: orgA[0]!,
        scope: 'service',
        serviceId: service.id,
        branchId: kampen.id,
        level: 'EH2',
        validFrom: new Date('2026-01-01'),
        validUntil: new Date('2027-12-31'),
        status: 'active',
      },
    })
    const agent = await t.loginAs('sanne')
    const response = await agent.get(links.mandatesExport({ gebruiker: 'formule@export.example' })).buffer(true)
    const lines = response.text.replace(/^\uFEFF/, '').split('\n')
    expect(lines[1]).toBe(
      `"'=HYPERLINK(""http://evil.example"";""klik"") de Boer, ""Bas""",formule@export.example,Bakkerij De Vries B.V.,${service.name},` +
        `${(await db.serviceProvider.findUniqueOrThrow({ where: { id: service.providerId } })).name},EH2,Bakkerij De Vries Kampen (000038291754),2026-01-01,2027-12-31,Actief`,
    )
    expect(lines).toHaveLength(3)
    const sanne = (await t.services.authService.loadPrincipal((await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })).id))!
    expect(response.text).toBe(await expectedExport(t.services, sanne, { gebruiker: 'formule@export.example' }))
  })
})
