// `npm run backoffice:create`: the first account of an empty production database, activated through
// its one-time link, with TOTP enrolment, into the back office.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'
import { createBackofficeAccount } from '../../../src/features/backoffice/createAccount.ts'
import { currentTotp } from '../../../src/shared/totp.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ demo: false })
})
afterAll(async () => {
  await t.close()
})

describe('backoffice:create', () => {
  it('When the command runs on an empty database, then its link sets a password, enrols TOTP and opens the back office', async () => {
    expect(await t.database.db.user.count()).toBe(0)
    const result = await createBackofficeAccount(t.database.db, { email: 'anna.deboer@supplier.example' })
    expect(result.outcome).toBe('created')
    const token = (result as { token: string }).token
    const user = await t.database.db.user.findUniqueOrThrow({ where: { emailKey: 'anna.deboer@supplier.example' } })
    expect(user).toMatchObject({ role: 'backoffice', firstName: 'Anna', lastName: 'Deboer', passwordHash: null })

    // Run again before activation: a new link replaces the old one.
    const again = await createBackofficeAccount(t.database.db, { email: 'Anna.deBoer@supplier.example' })
    expect(again.outcome).toBe('newLink')
    expect((await t.agent().get(`/activeren/${token}`)).status).toBe(410)
    const link = `/activeren/${(again as { token: string }).token}`

    const agent = t.agent()
    const set = await postForm(agent, link, link, { password: 'lange-zin-voor-de-backoffice', passwordRepeat: 'lange-zin-voor-de-backoffice' })
    expect(set.status).toBe(303)
    expect(set.headers.location).toBe('/inloggen/tweede-factor')
    const enrol = await agent.get('/inloggen/tweede-factor')
    const secret = /<code[^>]*>([A-Z2-7 ]+)<\/code>/.exec(enrol.text)![1]!.replace(/\s/g, '')
    const done = await postForm(agent, '/inloggen/tweede-factor', '/inloggen/tweede-factor', { code: currentTotp(secret) })
    expect(done.status).toBe(303)
    expect((await agent.get('/backoffice')).status).toBe(200)

    expect((await createBackofficeAccount(t.database.db, { email: 'anna.deboer@supplier.example' })).outcome).toBe('exists')
    expect((await createBackofficeAccount(t.database.db, { email: 'geen-adres' })).outcome).toBe('invalidEmail')
    expect(
      await t.database.db.auditEvent.count({
        where: { subjectId: user.id, action: { in: ['user.created', 'user.activation_sent', 'user.activated', 'totp_enrolled'] } },
      }),
    ).toBe(5)
  })
})
