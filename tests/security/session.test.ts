// Sessions, cookies, headers and CSRF on every state-changing route (read from the router).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS, TOUCH_INTERVAL_MS, TouchThrottle } from '../../src/middleware/setUpWebSession.ts'
import { createTestApp, type Agent, type TestApp } from '../helpers/app.ts'
import { appRoutes, fillPath } from './routes.ts'
import { demoIds, paramsFor } from './routeParams.ts'
import { isApiPath } from '../../src/paths.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

function sessionCookie(response: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? []
  return cookies.find((c) => c.startsWith('bm.sid='))
}

function sidOf(cookie: string | undefined): string {
  const value = decodeURIComponent(/^bm\.sid=([^;]+)/.exec(cookie ?? '')?.[1] ?? '')
  return value.replace(/^s:/, '').split('.')[0]!
}

async function sessionIdOf(agent: Agent): Promise<string> {
  return sidOf(sessionCookie(await agent.get('/overzicht')))
}

describe('sessions', () => {
  it('When a page is served to a logged-in user, then the cookie is HttpOnly, SameSite=Lax, rolls 15 minutes and the page is not cached', async () => {
    const agent = await t.loginAs('jan')
    const response = await agent.get('/overzicht')
    const cookie = sessionCookie(response)!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!)
    expect(Math.abs(expires - Date.now() - IDLE_TIMEOUT_MS)).toBeLessThan(60_000)
    expect(response.headers['cache-control']).toBe('no-store')
  })

  it('When cookies are configured secure (production behind TLS), then the session cookie carries Secure', async () => {
    const secure = await createTestApp({ env: { COOKIE_SECURE: 'true', TRUST_PROXY_HOPS: '1' }, demo: false })
    try {
      const response = await secure.agent().get('/inloggen').set('X-Forwarded-Proto', 'https')
      expect(sessionCookie(response)).toMatch(/Secure/)
      expect(response.headers['strict-transport-security']).toMatch(/max-age=31536000/)
      expect(secure.app.get('trust proxy')).toBe(1)
    } finally {
      await secure.close()
    }
  })

  it('When a session was idle longer than 15 minutes, then the next request is sent to the login page', async () => {
    const agent = await t.loginAs('jan')
    const sid = await sessionIdOf(agent)
    await t.database.db.$executeRaw`update "session" set expire = now() - interval '1 second' where sid = ${sid}`
    const response = await agent.get('/overzicht')
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/inloggen')
  })

  it('When a logged-in user makes several requests within a minute, then the stored expiry is written once, not per request', async () => {
    const agent = await t.loginAs('jan')
    const sid = await sessionIdOf(agent)
    await t.database.db.$executeRaw`update "session" set expire = now() + interval '10 minutes' where sid = ${sid}`
    const expireOf = async () => (await t.database.db.$queryRaw<{ expire: Date }[]>`select expire from "session" where sid = ${sid}`)[0]!.expire
    const before = await expireOf()
    await agent.get('/overzicht')
    await agent.get('/mijn-gegevens')
    expect(await expireOf()).toEqual(before)
  })

  it('When a logged-in user opens pages, then the session is read by a prepared statement (planned once per connection, not per request)', async () => {
    const agent = await t.loginAs('jan')
    const query = vi.spyOn(t.services.pool, 'query')
    try {
      await agent.get('/overzicht')
      await agent.get('/mijn-gegevens')
      const reads = query.mock.calls.map(([config]) => config as unknown).filter((config) => JSON.stringify(config).includes('SELECT sess FROM'))
      expect(reads).toHaveLength(2)
      for (const read of reads) expect(read).toMatchObject({ name: expect.stringMatching(/^session_\d+$/), text: expect.stringContaining('SELECT sess FROM') })
      expect(new Set(reads.map((read) => (read as { name: string }).name)).size).toBe(1)
    } finally {
      query.mockRestore()
    }
  })

  it('When a session started more than 8 hours ago, then it ends even though it was used', async () => {
    const agent = await t.loginAs('jan')
    const sid = await sessionIdOf(agent)
    const old = Date.now() - ABSOLUTE_TIMEOUT_MS - 1000
    await t.database.db.$executeRaw`update "session" set sess = jsonb_set(sess::jsonb, '{createdAt}', to_jsonb(${old}::bigint))::json where sid = ${sid}`
    const response = await agent.get('/overzicht')
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/inloggen?verlopen=1')
    expect((await agent.get('/overzicht')).headers.location).toBe('/inloggen')
  })

  it('When a session is younger than 8 hours and in use, then it stays', async () => {
    const agent = await t.loginAs('jan')
    const sid = await sessionIdOf(agent)
    const recent = Date.now() - ABSOLUTE_TIMEOUT_MS + 60_000
    await t.database.db.$executeRaw`update "session" set sess = jsonb_set(sess::jsonb, '{createdAt}', to_jsonb(${recent}::bigint))::json where sid = ${sid}`
    expect((await agent.get('/overzicht')).status).toBe(200)
  })

  it("When an admin's privileges change during a session, then the session id is renewed", async () => {
    const agent = await t.loginAs('sanne')
    const before = await sessionIdOf(agent)
    const sanne = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const holding = await t.database.db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    await t.database.db
      .$executeRaw`update mandates set status = 'revoked' where user_id = ${sanne.id}::uuid and organisation_id = ${holding.id}::uuid and kind = 'admin'`
    const response = await agent.get('/overzicht')
    expect(response.status).toBe(200)
    const after = sidOf(sessionCookie(response))
    expect(after).not.toBe('')
    expect(after).not.toBe(before)
  })

  it('When an admin is logged in, then the session row holds a short digest of his privileges, not the list of his organisations', async () => {
    const agent = await t.loginAs('sanne')
    const sid = await sessionIdOf(agent)
    const holding = await t.database.db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const [row] = await t.database.db.$queryRaw<{ privileges: string }[]>`select sess->>'privileges' as privileges from "session" where sid = ${sid}`
    expect(row!.privileges).toMatch(/^[\w-]{43}$/)
    expect(row!.privileges).not.toContain(holding.id)
  })
})

describe('CSRF', () => {
  it('When any state-changing route of the app is posted without a CSRF token, then it is refused with 403', async () => {
    const ids = await demoIds(t.database.db)
    // The API (/oauth/token, /api/v1) has no session and no CSRF: a bearer token instead (next test).
    const routes = appRoutes(t.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && !isApiPath(r.path))
    expect(routes.length).toBeGreaterThan(3)
    for (const account of ['anonymous', 'sanne'] as const) {
      const agent = account === 'anonymous' ? t.agent() : await t.loginAs(account)
      await agent.get('/inloggen')
      for (const route of routes) {
        const response = await agent[route.method.toLowerCase() as 'post'](fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS'))
          .type('form')
          .send({ email: 'x@example.com', name: 'x' })
        expect(response.status, `${route.method} ${route.path} as ${account}`).toBe(403)
      }
    }
  })

  it('When an API route is posted with a session but without a bearer token, then it is refused with 401 (bearer, not cookies)', async () => {
    const ids = await demoIds(t.database.db)
    const routes = appRoutes(t.app).filter((r) => r.method === 'POST' && isApiPath(r.path))
    expect(routes.length).toBeGreaterThan(3)
    const agent = await t.loginAs('sanne')
    for (const route of routes) {
      const response = await agent.post(fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS')).send({ grant_type: 'client_credentials' })
      expect([400, 401], `${route.method} ${route.path}`).toContain(response.status)
    }
  })

  it('When a token is sent in a header instead of the form, then it is refused as well (forms only)', async () => {
    const agent = await t.loginAs('jan')
    const page = await agent.get('/overzicht')
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!
    const response = await agent.post('/taal').set('x-csrf-token', token).type('form').send({ lang: 'en' })
    expect(response.status).toBe(403)
  })
})

describe('headers', () => {
  it('When a page is served, then the CSP has a nonce, forbids inline handlers and framing, and allows data: images only', async () => {
    const response = await t.agent().get('/inloggen')
    const csp = response.headers['content-security-policy']!
    expect(csp).toMatch(/script-src 'self' 'nonce-[\w-]+'/)
    expect(csp).toContain("script-src-attr 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("img-src 'self' data:")
    expect(csp).not.toContain('unsafe-inline')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['x-powered-by']).toBeUndefined()
  })

  it('When a page is rendered, then it has no inline event handlers or style attributes', async () => {
    const agent = await t.loginAs('sanne')
    for (const path of ['/inloggen', '/overzicht', '/beheer/logboek', '/wachtwoord-vergeten']) {
      const html = (await agent.get(path)).text
      expect(html, path).not.toMatch(/\son[a-z]+="/i)
      expect(html, path).not.toMatch(/\sstyle="/i)
      for (const script of html.match(/<script\b[^>]*>/g) ?? []) expect(script, path).toMatch(/nonce="|src="/)
    }
  })

  it('When trust proxy is configured with a hop count, then the app uses exactly that number', () => {
    expect(t.app.get('trust proxy')).toBe(0)
  })
})

describe('TouchThrottle', () => {
  it('When a session was written less than a minute ago, then the next touch is skipped; after a minute it is written', () => {
    const throttle = new TouchThrottle()
    expect(throttle.due('a', 0)).toBe(true)
    expect(throttle.due('a', TOUCH_INTERVAL_MS - 1)).toBe(false)
    expect(throttle.due('b', 1)).toBe(true)
    expect(throttle.due('a', TOUCH_INTERVAL_MS)).toBe(true)
  })

  it('When a session is saved in full or destroyed, then the throttle starts over for it', () => {
    const throttle = new TouchThrottle()
    throttle.saved('a', 1000)
    expect(throttle.due('a', 1000 + TOUCH_INTERVAL_MS - 1)).toBe(false)
    throttle.forget('a')
    expect(throttle.due('a', 1000 + TOUCH_INTERVAL_MS - 1)).toBe(true)
  })

  it('When more sessions are tracked than allowed, then the stale ones are dropped and memory stays bounded', () => {
    const throttle = new TouchThrottle(TOUCH_INTERVAL_MS, 3)
    for (let i = 0; i < 10; i++) throttle.due(`s${i}`, i)
    expect(throttle.due('s9', 9 + TOUCH_INTERVAL_MS - 1)).toBe(false) // the newest is still known
    for (let i = 10; i < 1000; i++) throttle.due(`s${i}`, 10 * TOUCH_INTERVAL_MS + i)
    expect((throttle as unknown as { touchedAt: Map<string, number> }).touchedAt.size).toBeLessThanOrEqual(4)
  })
})
