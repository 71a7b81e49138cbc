// Second factor enrolment, recovery codes, password reset and rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createServices } from '../../src/services.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { DEMO_PASSWORD } from '../../src/features/demo/seedDemo.ts'
import pino from 'pino'
import request from 'supertest'
import { ACCOUNTS, createTestApp, csrfFrom, postForm, type Agent, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  // The reset tests need accounts that have a password: one that never set one gets an activation link instead (rule 22).
  const { passwordHash } = await t.database.db.user.findUniqueOrThrow({ where: { emailKey: ACCOUNTS.jan.email } })
  const emails = ['ruud.peters@demo.example', 'mark.visser@demo.example', 'linda.degroot@demo.example']
  await t.database.db.user.updateMany({ where: { emailKey: { in: emails } }, data: { passwordHash } })
})
afterAll(async () => {
  await t.close()
})

const login = (agent: Agent, email: string, password: string, code = '') => postForm(agent, '/inloggen', '/inloggen', { email, password, code })

async function auditActions(action: string) {
  return t.database.db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } })
}

describe('second factor enrolment', () => {
  it('When an admin without a TOTP secret logs in, then he enrols with a QR code, gets recovery codes once, and can log in with a code once', async () => {
    await t.database.db.user.update({ where: { emailKey: ACCOUNTS.pieter.email }, data: { totpSecret: null, totpEnabledAt: null } })
    const agent = t.agent()
    const first = await login(agent, ACCOUNTS.pieter.email, DEMO_PASSWORD)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/inloggen/tweede-factor')
    // Not logged in yet.
    expect((await agent.get('/overzicht')).headers.location).toBe('/inloggen')

    const page = await agent.get('/inloggen/tweede-factor')
    expect(page.status).toBe(200)
    expect(page.text).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/)
    const secret = /<code class="utrecht-code">([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '')

    const wrong = await agent
      .post('/inloggen/tweede-factor')
      .type('form')
      .send({ code: '000000', _csrf: csrfFrom(page.text) })
    expect(wrong.status).toBe(currentTotp(secret) === '000000' ? 303 : 422)

    const confirm = await postForm(agent, '/inloggen/tweede-factor', '/inloggen/tweede-factor', { code: currentTotp(secret) })
    expect(confirm.status).toBe(303)
    expect(confirm.headers.location).toBe('/inloggen/herstelcodes')
    const codesPage = await agent.get('/inloggen/herstelcodes')
    const codes = [...codesPage.text.matchAll(/<code class="utrecht-code">([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!)
    expect(codes).toHaveLength(10)
    const again = await agent.get('/inloggen/herstelcodes')
    expect(again.text).not.toContain(codes[0]!)
    expect(again.text).toContain('10 ongebruikte herstelcodes')

    const stored = await t.database.db.user.findUniqueOrThrow({ where: { emailKey: ACCOUNTS.pieter.email }, include: { recoveryCodes: true } })
    expect(stored.totpSecret).toBe(secret)
    expect(stored.recoveryCodes.every((c) => /^[0-9a-f]{64}$/.test(c.codeHash) && !codes.includes(c.codeHash))).toBe(true)
    expect((await auditActions('totp_enrolled')).length).toBe(1)

    // A recovery code instead of the TOTP code: once.
    expect((await login(t.agent(), ACCOUNTS.pieter.email, DEMO_PASSWORD, codes[0])).status).toBe(303)
    expect((await login(t.agent(), ACCOUNTS.pieter.email, DEMO_PASSWORD, codes[0])).status).toBe(401)
    expect((await login(t.agent(), ACCOUNTS.pieter.email, DEMO_PASSWORD, codes[1]!.toUpperCase())).status).toBe(303)
  })

  it('When someone opens the enrolment page without a right password first, then he is sent to the login page', async () => {
    const response = await t.agent().get('/inloggen/tweede-factor')
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/inloggen')
  })

  it('When an admin with a wrong password has no TOTP secret, then he gets the one generic failure, not enrolment', async () => {
    await t.database.db.user.update({ where: { emailKey: ACCOUNTS.backoffice.email }, data: { totpSecret: null } })
    const response = await login(t.agent(), ACCOUNTS.backoffice.email, 'wrong-password')
    expect(response.status).toBe(401)
    expect(response.text).toContain('De inloggegevens zijn onjuist')
  })
})

describe('password reset', () => {
  it('When a known and an unknown address ask for a reset, then both get the same answer and only the known one gets a mail with an absolute link', async () => {
    const known = await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'ruud.peters@demo.example' })
    const unknown = await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'niemand@demo.example' })
    expect(known.status).toBe(303)
    expect(unknown.status).toBe(303)
    expect(known.headers.location).toBe(unknown.headers.location)
    const mails = await t.database.db.outgoingMail.findMany({ where: { template: 'password-reset' } })
    expect(mails.map((m) => m.toAddress)).toEqual(['ruud.peters@demo.example'])
    const resetPath = (mails[0]!.data as { resetPath: string }).resetPath
    expect(resetPath.startsWith('/wachtwoord-herstellen/')).toBe(true)
  })

  it('When the link is used, then the password changes, the link works only once, and the old password no longer works', async () => {
    await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: ACCOUNTS.jan.email })
    const mail = await t.database.db.outgoingMail.findFirstOrThrow({ where: { template: 'password-reset', toAddress: ACCOUNTS.jan.email } })
    const path = (mail.data as { resetPath: string }).resetPath
    const stored = await t.database.db.actionToken.findFirstOrThrow({ where: { purpose: 'password-reset', usedAt: null } })
    expect(path).not.toContain(stored.tokenHash)

    const agent = t.agent()
    const mismatch = await postForm(agent, path, path, { password: 'Nieuw-wachtwoord-2026', passwordRepeat: 'anders' })
    expect(mismatch.status).toBe(400)
    const done = await postForm(agent, path, path, { password: 'Nieuw-wachtwoord-2026', passwordRepeat: 'Nieuw-wachtwoord-2026' })
    expect(done.status).toBe(303)
    expect((await login(t.agent(), ACCOUNTS.jan.email, 'Nieuw-wachtwoord-2026')).status).toBe(303)
    expect((await login(t.agent(), ACCOUNTS.jan.email, DEMO_PASSWORD)).status).toBe(401)
    const reuse = await postForm(t.agent(), path, path, { password: 'Nog-een-wachtwoord-2026', passwordRepeat: 'Nog-een-wachtwoord-2026' })
    expect(reuse.status).toBe(410)
    expect((await t.agent().get(path)).text).toContain('verlopen of al gebruikt')
    expect((await auditActions('password_reset')).length).toBe(1)
  })

  it('When the link is older than 30 minutes, then it no longer works', async () => {
    await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'mark.visser@demo.example' })
    const mail = await t.database.db.outgoingMail.findFirstOrThrow({ where: { template: 'password-reset', toAddress: 'mark.visser@demo.example' } })
    const path = (mail.data as { resetPath: string }).resetPath
    const token = await t.database.db.actionToken.findFirstOrThrow({ where: { purpose: 'password-reset', usedAt: null }, orderBy: { createdAt: 'desc' } })
    expect(Math.abs(token.expiresAt.getTime() - token.createdAt.getTime() - 30 * 60_000)).toBeLessThan(1000)
    await t.database.db.actionToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const response = await postForm(t.agent(), path, path, { password: 'Nieuw-wachtwoord-2026', passwordRepeat: 'Nieuw-wachtwoord-2026' })
    expect(response.status).toBe(410)
  })
})

describe('rate limits', () => {
  it('When an account has 10 failed logins, then even the right password is refused, also by another app instance on the same database', async () => {
    const email = 'ahmed.bouzid@demo.example'
    await t.database.db.user.update({
      where: { emailKey: email },
      data: { passwordHash: (await t.database.db.user.findUniqueOrThrow({ where: { emailKey: ACCOUNTS.jan.email } })).passwordHash },
    })
    for (let i = 0; i < 10; i++) expect((await login(t.agent(), email, 'wrong')).status).toBe(401)
    const blocked = await login(t.agent(), email, 'Nieuw-wachtwoord-2026')
    expect(blocked.status).toBe(429)
    expect(blocked.text).toContain('te veel mislukte pogingen')

    const services = createServices(t.config, t.database.url, { logger: pino({ level: 'silent' }) })
    try {
      const other = request.agent(createApp(services))
      expect((await login(other, email, 'Nieuw-wachtwoord-2026')).status).toBe(429)
    } finally {
      await services.close()
    }
    const failed = await auditActions('login_failed')
    expect(failed.some((e) => e.actorLabel === email && (e.after as { method?: string } | null)?.method === 'rate_limited')).toBe(true)
  })

  it('When one address fails 50 logins on different accounts, then that address is refused', async () => {
    const ip = '203.0.113.7'
    const proxied = await createTestApp({ env: { TRUST_PROXY_HOPS: '1' }, demo: false })
    try {
      for (let i = 0; i < 50; i++) {
        const agent = proxied.agent()
        const page = await agent.get('/inloggen').set('X-Forwarded-For', ip)
        const r = await agent
          .post('/inloggen')
          .set('X-Forwarded-For', ip)
          .type('form')
          .send({ email: `n${i}@demo.example`, password: 'x', _csrf: csrfFrom(page.text) })
        expect(r.status).toBe(401)
      }
      const agent = proxied.agent()
      const page = await agent.get('/inloggen').set('X-Forwarded-For', ip)
      const blocked = await agent
        .post('/inloggen')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ email: 'someone@demo.example', password: 'x', _csrf: csrfFrom(page.text) })
      expect(blocked.status).toBe(429)
      const elsewhere = proxied.agent()
      const page2 = await elsewhere.get('/inloggen').set('X-Forwarded-For', '203.0.113.8')
      const free = await elsewhere
        .post('/inloggen')
        .set('X-Forwarded-For', '203.0.113.8')
        .type('form')
        .send({ email: 'someone@demo.example', password: 'x', _csrf: csrfFrom(page2.text) })
      expect(free.status).toBe(401)
    } finally {
      await proxied.close()
    }
  })

  it('When an enrolling user types wrong codes 5 times, then further codes are refused', async () => {
    await t.database.db.user.update({ where: { emailKey: ACCOUNTS.sanne.email }, data: { totpSecret: null } })
    const agent = t.agent()
    expect((await login(agent, ACCOUNTS.sanne.email, DEMO_PASSWORD)).headers.location).toBe('/inloggen/tweede-factor')
    const page = await agent.get('/inloggen/tweede-factor')
    const secret = /<code class="utrecht-code">([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '')
    const wrong = currentTotp(secret, Date.now() + 10 * 60_000)
    for (let i = 0; i < 5; i++) {
      expect((await postForm(agent, '/inloggen/tweede-factor', '/inloggen/tweede-factor', { code: wrong })).status).toBe(422)
    }
    expect((await postForm(agent, '/inloggen/tweede-factor', '/inloggen/tweede-factor', { code: currentTotp(secret) })).status).toBe(429)
  })

  it('When an address asks for more than 3 resets for one account within an hour, then no further mail is sent and the answer stays the same', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'linda.degroot@demo.example' })
      expect(r.status).toBe(303)
    }
    expect(await t.database.db.outgoingMail.count({ where: { template: 'password-reset', toAddress: 'linda.degroot@demo.example' } })).toBe(3)
  })
})
