import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('Back office identity checks (rule 10)', () => {
  it('When an admin opens the back office, then it does not exist for him', async () => {
    const agent = await t.loginAs('sanne')
    expect((await agent.get('/backoffice')).status).toBe(404)
  })

  it('When the back office rejects without a reason, then it asks for one; with a reason the application is rejected and audited', async () => {
    const agent = await t.loginAs('backoffice')
    const tom = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'tom.hendriks@demo.example' } })
    const app = await t.database.db.application.findFirstOrThrow({ where: { subjectUserId: tom.id, status: 'awaiting_identity_check' } })
    const page = await agent.get('/backoffice')
    expect(page.text).toContain('Tom Hendriks')
    const empty = await postForm(agent, '/backoffice', `/backoffice/${app.id}/afwijzen`, { [`reason-${app.id}`]: '' })
    expect(empty.status).toBe(422)
    expect(empty.text).toContain('Vul de reden van afwijzing in')
  })

  it('When the back office approves an EH3 new-means application, then the means is active with its term, the user gets means-active and it is audited', async () => {
    const agent = await t.loginAs('backoffice')
    const tom = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'tom.hendriks@demo.example' } })
    const app = await t.database.db.application.findFirstOrThrow({ where: { subjectUserId: tom.id, status: 'awaiting_identity_check' } })
    const response = await postForm(agent, '/backoffice', `/backoffice/${app.id}/goedkeuren`, {})
    expect(response.status).toBe(303)
    const means = await t.database.db.means.findFirstOrThrow({ where: { userId: tom.id, level: 'EH3' } })
    expect(means.status).toBe('active')
    const years = (means.validUntil.getTime() - means.validFrom.getTime()) / (365.25 * 86400000)
    expect(Math.round(years)).toBe(3)
    expect(await t.database.db.outgoingMail.count({ where: { template: 'means-active', toAddress: 'tom.hendriks@demo.example' } })).toBe(1)
    expect(await t.database.db.auditEvent.count({ where: { action: 'identity_check.approved', subjectId: app.id } })).toBe(1)
    const again = await postForm(agent, '/backoffice', `/backoffice/${app.id}/goedkeuren`, {})
    expect(again.status).toBe(303)
    expect(await t.database.db.outgoingMail.count({ where: { template: 'means-active', toAddress: 'tom.hendriks@demo.example' } })).toBe(1)
  })
})
