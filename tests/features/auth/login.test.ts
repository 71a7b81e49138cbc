import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { currentTotp } from '../../../src/shared/totp.ts'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { ACCOUNTS, allowTotpAgain, createTestApp, csrfFrom, postForm, type TestApp } from '../../helpers/app.ts'

const FAILED = 'De inloggegevens zijn onjuist'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

function sessionCookie(response: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? []
  return cookies.find((c) => c.startsWith('bm.sid='))?.split(';')[0]
}

describe('login', () => {
  it('When an anonymous visitor opens a page behind login, then he is sent to the login page', async () => {
    const response = await t.agent().get('/overzicht')
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/inloggen')
  })

  it('When an admin gives the right password and TOTP code, then he sees Overzicht with his organisations', async () => {
    await allowTotpAgain(t.database.db, ACCOUNTS.sanne.email)
    const agent = t.agent()
    const response = await postForm(agent, '/inloggen', '/inloggen', {
      email: ACCOUNTS.sanne.email,
      password: DEMO_PASSWORD,
      code: currentTotp(ACCOUNTS.sanne.totp),
    })
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/overzicht')
    const overview = await agent.get('/overzicht')
    expect(overview.status).toBe(200)
    expect(overview.text).toContain('Welkom, Sanne de Vries')
    expect(overview.text).toContain('Bakkerij De Vries B.V.')
    expect(overview.text).toContain('De Vries Holding B.V.')
    expect(overview.text).not.toContain('Bakker Installatietechniek')
  })

  it('When the e-mail address differs only in case, then the login still succeeds', async () => {
    await allowTotpAgain(t.database.db, ACCOUNTS.sanne.email)
    const response = await postForm(t.agent(), '/inloggen', '/inloggen', {
      email: ACCOUNTS.sanne.email.toUpperCase(),
      password: DEMO_PASSWORD,
      code: currentTotp(ACCOUNTS.sanne.totp),
    })
    expect(response.status).toBe(303)
  })

  it('When a TOTP code has logged in once, then the same code does not log in again (no replay)', async () => {
    await allowTotpAgain(t.database.db, ACCOUNTS.sanne.email)
    const code = currentTotp(ACCOUNTS.sanne.totp)
    const fields = { email: ACCOUNTS.sanne.email, password: DEMO_PASSWORD, code }
    const first = await postForm(t.agent(), '/inloggen', '/inloggen', fields)
    const second = await postForm(t.agent(), '/inloggen', '/inloggen', fields)
    expect(first.status).toBe(303)
    expect(second.status).toBe(401)
    expect(second.text).toContain(FAILED)
  })

  it('When the password is wrong, then one message is shown and the e-mail address is kept', async () => {
    const response = await postForm(t.agent(), '/inloggen', '/inloggen', {
      email: ACCOUNTS.sanne.email,
      password: 'wrong-password',
      code: currentTotp(ACCOUNTS.sanne.totp),
    })
    expect(response.status).toBe(401)
    expect(response.text).toContain(FAILED)
    expect(response.text).toContain(`value="${ACCOUNTS.sanne.email}"`)
    expect(response.text).toContain('<title>Fout: Inloggen')
  })

  it('When an admin leaves out the second factor, then the login fails with the same message', async () => {
    const response = await postForm(t.agent(), '/inloggen', '/inloggen', { email: ACCOUNTS.sanne.email, password: DEMO_PASSWORD, code: '' })
    expect(response.status).toBe(401)
    expect(response.text).toContain(FAILED)
  })

  it('When an admin gives a wrong code, then the login fails with the same message', async () => {
    const wrong = currentTotp(ACCOUNTS.sanne.totp) === '123456' ? '654321' : '123456'
    const response = await postForm(t.agent(), '/inloggen', '/inloggen', { email: ACCOUNTS.sanne.email, password: DEMO_PASSWORD, code: wrong })
    expect(response.status).toBe(401)
    expect(response.text).toContain(FAILED)
  })

  it('When the account does not exist, then the answer is the same as for a wrong password', async () => {
    const unknown = await postForm(t.agent(), '/inloggen', '/inloggen', { email: 'nobody@demo.example', password: 'x', code: '' })
    const wrong = await postForm(t.agent(), '/inloggen', '/inloggen', { email: ACCOUNTS.jan.email, password: 'x', code: '' })
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    const message = (html: string) =>
      html
        .replace(/value="[^"]*"/g, '')
        .replace(/nonce="[^"]*"/g, '')
        .replace(/X-Request[^<]*/g, '')
    expect(message(unknown.text).match(/<main[\s\S]*<\/main>/)?.[0]).toBe(message(wrong.text).match(/<main[\s\S]*<\/main>/)?.[0])
  })

  it('When a plain user without a second factor logs in with his password, then he gets in without a code', async () => {
    const response = await postForm(t.agent(), '/inloggen', '/inloggen', { email: ACCOUNTS.jan.email, password: DEMO_PASSWORD, code: '' })
    expect(response.status).toBe(303)
  })

  it('When fields are empty, then each gets a Dutch message and an error summary links to it', async () => {
    const response = await postForm(t.agent(), '/inloggen', '/inloggen', { email: '', password: '' })
    expect(response.status).toBe(400)
    expect(response.text).toContain('Vul uw e-mailadres in')
    expect(response.text).toContain('Vul uw wachtwoord in')
    expect(response.text).toContain('href="#field-email"')
  })

  it('When the login form is posted without its CSRF token, then it is refused and nobody is logged in', async () => {
    const agent = t.agent()
    await agent.get('/inloggen')
    const response = await agent.post('/inloggen').type('form').send({ email: ACCOUNTS.jan.email, password: DEMO_PASSWORD })
    expect(response.status).toBe(403)
    expect(response.text).toContain('Formulier verlopen')
    expect((await agent.get('/overzicht')).status).toBe(303)
  })

  it('When the CSRF token belongs to another session, then the post is refused', async () => {
    const other = await t.agent().get('/inloggen')
    const agent = t.agent()
    await agent.get('/inloggen')
    const response = await agent
      .post('/inloggen')
      .type('form')
      .send({ email: ACCOUNTS.jan.email, password: DEMO_PASSWORD, _csrf: csrfFrom(other.text) })
    expect(response.status).toBe(403)
  })

  it('When someone logs in, then the session id is renewed', async () => {
    const agent = t.agent()
    const before = sessionCookie(await agent.get('/inloggen'))
    const login = await postForm(agent, '/inloggen', '/inloggen', { email: ACCOUNTS.jan.email, password: DEMO_PASSWORD, code: '' })
    const after = sessionCookie(login)
    expect(before).toBeDefined()
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
  })

  it('When a visitor logs in after being sent to the login page, then he returns to the page he asked for', async () => {
    const agent = t.agent()
    await agent.get('/overzicht?x=1')
    const response = await postForm(agent, '/inloggen', '/inloggen', { email: ACCOUNTS.jan.email, password: DEMO_PASSWORD, code: '' })
    expect(response.headers.location).toBe('/overzicht?x=1')
  })

  it('When a user logs out, then pages behind login send him to the login page again', async () => {
    const agent = await t.loginAs('jan')
    expect((await agent.get('/overzicht')).status).toBe(200)
    const response = await postForm(agent, '/overzicht', '/uitloggen', {})
    expect(response.status).toBe(303)
    expect((await agent.get('/overzicht')).status).toBe(303)
  })
})

describe('pages', () => {
  it('When a page is served, then it carries a CSP with a nonce, no caching and the secure cookie flags', async () => {
    const response = await t.agent().get('/inloggen')
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[\w-]+'/)
    expect(response.headers['cache-control']).toBe('no-store')
    const cookie = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('bm.sid='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(response.text).toContain('<html lang="nl"')
    expect(response.text).toContain('Direct naar de inhoud')
  })

  it('When the user switches to English, then the pages are in English', async () => {
    const agent = t.agent()
    const switched = await postForm(agent, '/inloggen', '/taal', { lang: 'en', returnTo: '/inloggen' })
    expect(switched.status).toBe(303)
    expect(switched.headers.location).toBe('/inloggen')
    const page = await agent.get('/inloggen')
    expect(page.text).toContain('<html lang="en"')
    expect(page.text).toContain('Log in')
  })

  it('When the language switch is given a foreign return address, then it stays on the portal', async () => {
    const switched = await postForm(t.agent(), '/inloggen', '/taal', { lang: 'en', returnTo: '//evil.example/x' })
    expect(switched.headers.location).toBe('/')
  })

  it('When a page does not exist, then a Dutch 404 page is shown', async () => {
    const response = await t.agent().get('/bestaat-niet')
    expect(response.status).toBe(404)
    expect(response.text).toContain('Pagina niet gevonden')
  })
})
