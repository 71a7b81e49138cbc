// The session time-out that loses nothing: "Blijf ingelogd" touches the session; after a time-out,
// logging in again returns to the page the admin was on (same-site paths only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { links } from '../../../src/paths.ts'
import { currentTotp } from '../../../src/shared/totp.ts'
import { ACCOUNTS, allowTotpAgain, createTestApp, csrfFrom, type Agent, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

async function logInWithForm(agent: Agent) {
  const { email, totp } = ACCOUNTS.sanne
  await allowTotpAgain(t.database.db, email)
  const page = await agent.get(links.login())
  return agent
    .post(links.login())
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password: DEMO_PASSWORD, code: currentTotp(totp) })
}

describe('session time-out', () => {
  it('When a logged-in page is shown, then it carries the time-out dialog with "Blijf ingelogd" as a form', async () => {
    const agent = await t.loginAs('sanne')
    const page = await agent.get(links.mandates())
    expect(page.text).toContain('role="alertdialog"')
    expect(page.text).toContain(`action="${links.sessionKeepAlive()}"`)
    expect(page.text).toMatch(/data-ends-at="\d{13}"/)
    expect((await t.agent().get(links.login())).text).not.toContain('session-timeout')
  })

  it('When "Blijf ingelogd" is posted, then the session is touched and the admin returns to the page; a forged return path goes to Overzicht', async () => {
    const agent = await t.loginAs('sanne')
    const csrf = csrfFrom((await agent.get(links.mandates())).text)
    const back = await agent.post(links.sessionKeepAlive()).type('form').send({ _csrf: csrf, returnTo: '/beheer/machtigingen?inactief=1' })
    expect(back.status).toBe(303)
    expect(back.headers.location).toBe('/beheer/machtigingen?inactief=1')
    for (const forged of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const response = await agent.post(links.sessionKeepAlive()).type('form').send({ _csrf: csrf, returnTo: forged })
      expect(response.headers.location, forged).toBe(links.overview())
    }
    const fromScript = await agent.post(links.sessionKeepAlive()).set('x-requested-with', 'fetch').type('form').send({ _csrf: csrf })
    expect(fromScript.status).toBe(204)
    const anonymous = await t.agent().post(links.sessionKeepAlive()).type('form').send({})
    expect(anonymous.status).toBe(403)
  })

  it('When the session timed out, then logging in again returns the admin to the page she asked for', async () => {
    const agent = await t.loginAs('sanne')
    await t.database.db.$executeRaw`delete from session`
    const asked = '/beheer/machtigingen?inactief=1&niveau=EH3'
    const redirected = await agent.get(asked)
    expect(redirected.status).toBe(303)
    expect(redirected.headers.location).toBe(links.login())
    const login = await logInWithForm(agent)
    expect(login.status).toBe(303)
    expect(login.headers.location).toBe(asked)
  })

  it('When the remembered path is not same-site, then login goes to Overzicht', async () => {
    const agent = t.agent()
    await agent.get('//evil.example/beheer')
    const login = await logInWithForm(agent)
    expect(login.headers.location).toBe(links.overview())
  })

  it('When the session times out halfway through the wizard, then after logging in again the wizard goes on with the organisation chosen', async () => {
    const agent = await t.loginAs('sanne')
    const step = await agent.get(links.mandateWizardOrganisation())
    const organisationId = /value="([0-9a-f-]{36})"/.exec(step.text)?.[1] ?? ''
    const chosen = await agent
      .post(links.mandateWizardOrganisation())
      .type('form')
      .send({ _csrf: csrfFrom(step.text), organisationId })
    expect(chosen.headers.location).toBe(links.mandateWizardUser())
    await new Promise((resolve) => setTimeout(resolve, 200)) // the draft is written after the response
    await t.database.db.$executeRaw`delete from session where sid not like 'draft:%'`
    const redirected = await agent.get(links.mandateWizardUser())
    expect(redirected.headers.location).toBe(links.login())
    const login = await logInWithForm(agent)
    expect(login.headers.location).toBe(links.mandateWizardUser())
    const userStep = await agent.get(links.mandateWizardUser())
    expect(userStep.status).toBe(200)
    const name = (await t.database.db.organisation.findUniqueOrThrow({ where: { id: organisationId } })).name
    expect(userStep.text).toContain(name)
  })
})
