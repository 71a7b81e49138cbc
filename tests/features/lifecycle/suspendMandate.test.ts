// Schorsen / opheffen schorsing of one mandate (rule 18), through the service and over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { actorFor, demo, mandateOf } from '../mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent
const db = () => t.database.db

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

describe('schorsen and opheffen of a mandate', () => {
  it('When the admin confirms Machtiging schorsen, then the mandate is suspended, one audit entry and one mail; a second click changes nothing and says it already happened', async () => {
    const m = await mandateOf(db(), d.ingrid, d.bakkerij, 'Mijn Kadaster', 'active')
    const page = await sanne.get(`/beheer/machtigingen/${m.id}/schorsen`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Machtiging schorsen')
    const response = await postForm(sanne, `/beheer/machtigingen/${m.id}/schorsen`, `/beheer/machtigingen/${m.id}/schorsen`, {})
    expect(response.status).toBe(303)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('suspended')
    expect(await db().auditEvent.count({ where: { action: 'mandate.suspended', subjectId: m.id } })).toBe(1)
    expect(await db().outgoingMail.count({ where: { template: 'mandate-status', idempotencyKey: { startsWith: `mandate-status:${m.id}:suspended` } } })).toBe(1)

    const again = await postForm(sanne, `/beheer/machtigingen/${m.id}/schorsen`, `/beheer/machtigingen/${m.id}/schorsen`, {})
    expect(again.status).toBe(422)
    expect(again.text).toContain('al geschorst')
    expect(await db().auditEvent.count({ where: { action: 'mandate.suspended', subjectId: m.id } })).toBe(1)

    const list = await sanne.get('/beheer/machtigingen?inactief=1&status=suspended')
    expect(list.status).toBe(200)
    expect(list.text).toContain(`/beheer/machtigingen/${m.id}/schorsing-opheffen`)
  })

  it('When two admins lift the same suspension at once, then one lifts it and the other is told it already happened; one audit entry', async () => {
    const m = await mandateOf(db(), d.ingrid, d.bakkerij, 'Mijn Kadaster', 'suspended')
    const actor = await actorFor(db(), d.sanne)
    const results = await Promise.allSettled([t.services.mandateLifecycleService.lift(actor, m.id), t.services.mandateLifecycleService.lift(actor, m.id)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason).toMatchObject({ messageKey: 'mandates:errors.notSuspended' })
    expect((await db().mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('active')
    expect(await db().auditEvent.count({ where: { action: 'mandate.suspension_lifted', subjectId: m.id } })).toBe(1)
  })

  it('When an admin suspends a mandate of an organisation he does not administer, then 404 and nothing changes', async () => {
    const pieter = await t.loginAs('pieter')
    const m = await mandateOf(db(), d.ingrid, d.bakkerij, 'Mijn Kadaster', 'active')
    expect((await pieter.get(`/beheer/machtigingen/${m.id}/schorsen`)).status).toBe(404)
    const response = await postForm(pieter, '/beheer/machtigingen', `/beheer/machtigingen/${m.id}/schorsen`, {})
    expect(response.status).toBe(404)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('active')
    expect((await sanne.get('/beheer/machtigingen/not-a-uuid/schorsen')).status).toBe(404)
  })

  it('When a suspended mandate is renewed in bulk, then it is refused as suspended (rule 18: it authorises nothing until lifted)', async () => {
    const m = await mandateOf(db(), d.ingrid, d.bakkerij, 'Mijn Kadaster', 'active')
    const actor = await actorFor(db(), d.sanne)
    await t.services.mandateLifecycleService.suspend(actor, m.id)
    const [outcome] = await t.services.mandateLifecycleService.renew(actor, { ids: [m.id] }, 1)
    expect(outcome!.refusal).toBe('suspended')
  })
})
