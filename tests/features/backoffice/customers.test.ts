// Back office → Klanten: search, read-only detail, "KvK-gegevens verversen" with what changed, and
// blocking (rule 24): while blocked its admins administer nothing there; unblocking restores it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, type Agent, type TestApp } from '../../helpers/app.ts'
import { KvkError, type KvkRegister } from '../../../src/shared/kvk/register.ts'

let t: TestApp
let backoffice: Agent
beforeAll(async () => {
  t = await createTestApp()
  backoffice = await t.loginAs('backoffice')
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const bakkerij = () => db().organisation.findUniqueOrThrow({ where: { kvkNumber: '86231457' } })

async function post(agent: Agent, page: string, action: string) {
  const form = await agent.get(page)
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(form.text) })
}

describe('Back office: customers', () => {
  it('When the back office searches by KvK number or name, then it finds the organisations and shows one read only', async () => {
    const byKvk = await backoffice.get('/backoffice/organisaties?zoek=86231457')
    expect(byKvk.status).toBe(200)
    expect(byKvk.text).toContain('Bakkerij De Vries B.V.')
    expect(byKvk.text).not.toContain('De Vries Holding B.V.')
    const byName = await backoffice.get('/backoffice/organisaties?zoek=vries')
    expect(byName.text).toContain('Bakkerij De Vries B.V.')
    expect(byName.text).toContain('De Vries Holding B.V.')
    expect((await backoffice.get('/backoffice/organisaties?zoek=bestaat-niet')).text).toContain('Geen organisaties gevonden')
    const org = await bakkerij()
    const detail = await backoffice.get(`/backoffice/organisaties/${org.id}`)
    expect(detail.text).toContain('Sanne de Vries')
    expect(detail.text).toContain('Hendrik de Vries')
    expect(detail.text).toContain('000038291746')
    expect((await backoffice.get('/backoffice/organisaties/00000000-0000-4000-8000-000000000000')).status).toBe(404)
  })

  it('When the back office refreshes from the register, then the page shows what changed and it is audited; a register that is down changes nothing', async () => {
    const org = await bakkerij()
    await db().organisation.update({ where: { id: org.id }, data: { name: 'Bakkerij De Vries (oud)' } })
    await db().legalRepresentative.create({ data: { organisationId: org.id, name: 'Vroegere Bestuurder', email: 'oud@demo.example', authority: 'sole' } })
    const page = `/backoffice/organisaties/${org.id}`
    const refreshed = await post(backoffice, page, `${page}/kvk-verversen`)
    expect(refreshed.status).toBe(200)
    expect(refreshed.text).toContain('Naam: Bakkerij De Vries (oud) → Bakkerij De Vries B.V.')
    expect(refreshed.text).toContain('Vroegere Bestuurder is geen bevoegd vertegenwoordiger meer en is verwijderd')
    expect((await bakkerij()).name).toBe('Bakkerij De Vries B.V.')
    expect(await db().auditEvent.count({ where: { action: 'organisation.kvk_refreshed', organisationId: org.id } })).toBe(1)
    const again = await post(backoffice, page, `${page}/kvk-verversen`)
    expect(again.text).toContain('gelijk aan die van het portaal')

    const service = t.services.customersService as unknown as { kvk: KvkRegister }
    const real = service.kvk
    service.kvk = { profile: () => Promise.reject(new KvkError('timeout', 'stub')) }
    try {
      await db().organisation.update({ where: { id: org.id }, data: { name: 'Tijdelijk' } })
      const down = await post(backoffice, page, `${page}/kvk-verversen`)
      expect(down.status).toBe(303)
      expect((await backoffice.get(page)).text).toContain('antwoordt niet op tijd')
      expect((await bakkerij()).name).toBe('Tijdelijk')
    } finally {
      service.kvk = real
      await db().organisation.update({ where: { id: org.id }, data: { name: 'Bakkerij De Vries B.V.' } })
    }
  })

  it('When the back office blocks an organisation, then its admin no longer administers it; unblocking restores it and nothing was deleted', async () => {
    const org = await bakkerij()
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const mandatesBefore = await db().mandate.count({ where: { organisationId: org.id } })
    const page = `/backoffice/organisaties/${org.id}`
    expect((await post(backoffice, page, `${page}/blokkeren`)).status).toBe(303)
    expect((await backoffice.get(page)).text).toContain('Geblokkeerd sinds')

    const sanne = await t.loginAs('sanne')
    expect((await sanne.get(`/beheer/gebruikers/${jan.id}`)).status).toBe(404)
    expect((await sanne.get('/beheer/gebruikers')).text).not.toContain('Jan Smit')
    const principal = await t.services.authService.loadPrincipal((await db().user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })).id)
    expect(principal!.adminOrganisations.map((o) => o.name)).toEqual(['De Vries Holding B.V.'])

    expect((await post(backoffice, page, `${page}/blokkeren`)).status).toBe(303)
    expect((await backoffice.get(page)).text).toContain('al geblokkeerd')
    expect((await post(backoffice, page, `${page}/deblokkeren`)).status).toBe(303)
    const sanneAgain = await t.loginAs('sanne')
    expect((await sanneAgain.get(`/beheer/gebruikers/${jan.id}`)).status).toBe(200)
    expect(await db().mandate.count({ where: { organisationId: org.id } })).toBe(mandatesBefore)
    expect(await db().auditEvent.count({ where: { organisationId: org.id, action: { in: ['organisation.blocked', 'organisation.unblocked'] } } })).toBe(2)
  })

  it('When someone who is not the back office asks for the customer pages, then they are refused', async () => {
    const sanne = await t.loginAs('sanne')
    expect([403, 404]).toContain((await sanne.get('/backoffice/organisaties')).status)
  })
})
