// The route matrix: every route of the app (read from the router), for every role, gets the status
// its `allow(...)` declaration promises, and organisation B's admin never sees anything of A.
//   not logged in on a non-anonymous route → 303 to /inloggen
//   logged in without the role             → 404 (rule 7)
//   admitted                               → no 403/404/5xx (and for a route with parameters filled with
//                                            A's ids: 404 for whoever does not administer A)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admits, type Access } from '../../src/policy/access.ts'
import type { Principal } from '../../src/shared/principal.ts'
import { createTestApp, csrfFrom, type Agent, type TestApp } from '../helpers/app.ts'
import { appRoutes, fillPath, type RouteInfo } from './routes.ts'
import { demoIds, paramsFor, type DemoIds } from './routeParams.ts'

type Role = 'anonymous' | 'jan' | 'pieter' | 'backoffice' | 'sanne'
const ROLES: Role[] = ['anonymous', 'jan', 'pieter', 'backoffice', 'sanne']

let t: TestApp
let ids: DemoIds
let routes: RouteInfo[]
const agents = new Map<Role, Agent>()
const principals = new Map<Role, Principal | null>()
let secretsOfA: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  ids = await demoIds(t.database.db)
  routes = appRoutes(t.app)
  for (const role of ROLES) {
    const agent = role === 'anonymous' ? t.agent() : await t.loginAs(role)
    agents.set(role, agent)
  }
  const emails = {
    jan: 'jan.smit@demo.example',
    pieter: 'pieter.bakker@demo.example',
    backoffice: 'backoffice@demo.example',
    sanne: 'sanne.devries@demo.example',
  }
  principals.set('anonymous', null)
  for (const [role, email] of Object.entries(emails)) {
    const user = await t.database.db.user.findFirstOrThrow({ where: { emailKey: email } })
    principals.set(role as Role, await t.services.authService.loadPrincipal(user.id))
  }
  secretsOfA = await namesOnlyOfA()
})
afterAll(async () => {
  await t.close()
})

/** Names and e-mail addresses of A's organisations and of people linked only to A (not to B). */
async function namesOnlyOfA(): Promise<string[]> {
  const rows = await t.database.db.$queryRaw<{ value: string }[]>`
    with a as (select unnest(${principals.get('sanne')!.adminOrganisations.map((o) => o.id)}::uuid[]) as id),
         b as (select unnest(${principals.get('pieter')!.adminOrganisations.map((o) => o.id)}::uuid[]) as id),
         people as (
           select u.* from users u
           where exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id in (select id from a))
             and not exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id in (select id from b))
             and not exists (select 1 from link_requests r where r.user_id = u.id and r.organisation_id in (select id from b))
         )
    select name as value from organisations where id in (select id from a)
    union select email from people
    union select concat_ws(' ', first_name, last_name_prefix, last_name) from people`
  return rows.map((r) => r.value)
}

function expected(route: RouteInfo, role: Role): 'login' | 404 | 'ok' | 'any' {
  const access = route.access as readonly Access[]
  const principal = principals.get(role)!
  if (!admits(access, principal)) return principal ? 404 : 'login'
  if (access.includes('anonymous')) return 'any'
  // Self-service routes act on the logged-in person's own objects: another's id is simply not found.
  if (route.params.length > 0 && route.path.startsWith('/mijn-gegevens')) return 'any'
  // Parameters hold A's objects: only A's admin (or the back office on its own routes) gets them.
  if (route.params.length > 0) {
    if (role === 'sanne') return 'ok'
    if (role === 'backoffice' && access.includes('backoffice')) return 'ok'
    if (role === 'jan' && !access.includes('admin') && !access.includes('backoffice')) return 'any'
    return 404
  }
  return 'ok'
}

async function csrfToken(agent: Agent, role: Role): Promise<string> {
  const page = await agent.get(role === 'anonymous' ? '/inloggen' : '/overzicht')
  return csrfFrom(page.text)
}

function check(route: RouteInfo, role: Role, response: { status: number; headers: Record<string, string>; text: string }) {
  const want = expected(route, role)
  const where = `${route.method} ${route.path} as ${role} (allow ${route.access?.join(', ')})`
  if (want === 'login') {
    expect(response.status, where).toBe(303)
    expect(response.headers.location, where).toBe('/inloggen')
  } else if (want === 404) {
    expect(response.status, where).toBe(404)
  } else {
    expect(response.status, `${where}: ${response.text.slice(0, 300)}`).toBeLessThan(500)
    // 'any': a link route with a made-up token may answer 404 ("this link does not work"); never 403.
    expect(want === 'any' ? [403] : [403, 404], where).not.toContain(response.status)
    if (want === 'ok' && response.status === 303) expect(response.headers.location, where).not.toBe('/inloggen')
  }
  // The development mailbox shows every mail on purpose and does not exist in production (tested in
  // tests/features/mail/production.test.ts), so it is left out of the leak check.
  if (role === 'pieter' && !route.path.startsWith('/dev/')) {
    for (const secret of secretsOfA) expect(response.text.includes(secret), `${where} shows "${secret}" of organisation A`).toBe(false)
  }
}

describe('route matrix', () => {
  it('When the app is built, then it has routes and every route declares who may use it with allow(...)', () => {
    expect(routes.length).toBeGreaterThan(5)
    const undeclared = routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`)
    expect(undeclared, 'routes whose first handler is not allow(...)').toEqual([])
  })

  it('When every route path is filled with organisation A ids, then no parameter is unknown to the test', () => {
    for (const route of routes) fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS')
  })

  it('When each role requests every GET route, then the status is what its allow(...) declares and B sees nothing of A', async () => {
    for (const role of ROLES) {
      const agent = agents.get(role)!
      for (const route of routes.filter((r) => r.method === 'GET' && r.access)) {
        const response = await agent.get(fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS'))
        check(route, role, response)
      }
    }
  }, 120_000) // every route × every role: slow on a loaded two-core machine

  it('When each role posts to every state-changing route with a valid CSRF token, then the status is what its allow(...) declares', async () => {
    const isLogout = (r: RouteInfo) => r.path === '/uitloggen'
    const posts = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.access)
    const ordered = [...posts.filter((r) => !isLogout(r)), ...posts.filter(isLogout)]
    for (const role of ROLES) {
      const agent = agents.get(role)!
      for (const route of ordered) {
        const token = await csrfToken(agent, role)
        const response = await agent[route.method.toLowerCase() as 'post'](fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS'))
          .type('form')
          .send({ _csrf: token })
        check(route, role, response)
      }
    }
  }, 120_000) // every route × every role: slow on a loaded two-core machine

  it("When organisation B's admin is checked for leaks, then the list of A's names is not empty", () => {
    expect(secretsOfA).toContain('Bakkerij De Vries B.V.')
    expect(secretsOfA).toContain('jan.smit@demo.example')
  })
})
