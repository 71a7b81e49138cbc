// Issue 19 (g): forms filled through their rendered fields (parsed from the page as a browser would)
// and posted with exactly those fields, so a field name the view and the handler disagree on fails.
// The back office's reject form, "Ondertekenen", "Middel upgraden", revoke and renew have theirs in
// disagreements.test.ts, applicationDetail.test.ts, auditActions.test.ts and terms.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const byAction = (action: string) => (form: { attr: (name: string) => string | undefined }) => form.attr('action') === action

describe('forms filled as rendered (issue 19)', () => {
  it('When a user changes his mobile number through the form on Mijn gegevens, then it is stored', async () => {
    const agent = await t.loginAs('jan')
    const response = await submitForm(agent, '/mijn-gegevens', byAction('/mijn-gegevens/mobiel'), { mobile: '0612345678' })
    expect(response.status).toBe(303)
    const jan = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    expect(jan.mobile).toMatch(/612345678$/)
  })

  it('When an admin sends a new link request through its form, then it is made', async () => {
    const agent = await t.loginAs('sanne')
    const before = await t.database.db.linkRequest.count()
    const holding = await t.database.db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const response = await submitForm(agent, '/beheer/verzoeken/nieuw', byAction('/beheer/verzoeken/nieuw'), {
      organisationId: holding.id,
      email: 'sophie.kramer@demo.example',
    })
    expect(response.status).toBe(303)
    expect(await t.database.db.linkRequest.count()).toBe(before + 1)
  })

  it('When an admin starts the wizard and chooses an organisation through its form, then the user step follows', async () => {
    const agent = await t.loginAs('sanne')
    await agent.get('/beheer/machtigingen/nieuw')
    const org = await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
    const response = await submitForm(agent, '/beheer/machtigingen/nieuw/organisatie', byAction('/beheer/machtigingen/nieuw/organisatie'), {
      organisationId: org.id,
    })
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/beheer/machtigingen/nieuw/gebruiker')
  })

  it('When a visitor switches the language through the header form, then the page comes back in English', async () => {
    const agent = await t.loginAs('sanne')
    const response = await submitForm(agent, '/overzicht', byAction('/taal'))
    expect(response.status).toBeLessThan(400)
  })
})
