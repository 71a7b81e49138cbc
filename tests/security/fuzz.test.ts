// Bad input never hurts: every form route (every POST, and every GET with query strings), read
// from the router, gets malformed, oversized, wrongly typed and injection-shaped input as a
// logged-in admin. No 500, no stack trace, and no change in the database.
//   Phase 1: path parameters filled with ids that do not exist or are malformed → nothing may change.
//   Phase 2: path parameters filled with organisation A's real ids → still no 500 and no stack trace
//            (the database check is per route here too, but a route that needs no fields, such as a
//            confirmation button, may change data: those are listed in MAY_CHANGE).
import { randomUUID } from 'node:crypto'
import { isApiPath } from '../../src/paths.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, type Agent, type TestApp } from '../helpers/app.ts'
import { appRoutes, fillPath, type RouteInfo } from './routes.ts'
import { demoIds, paramsFor, type DemoIds } from './routeParams.ts'

/** Tables whose changes are expected: the trail, sessions and attempt counters. */
const IGNORED_TABLES = new Set(['audit_events', 'session', 'rate_limits', '_prisma_migrations'])
/** Routes (phase 2 only) that act on a path parameter without needing any field. */
const MAY_CHANGE = new Set<string>([
  'POST /beheer/aanvragen/:id/ondertekenen',
  'POST /beheer/aanvragen/:id/annuleren',
  'POST /beheer/aanvragen/:id/naar-vertegenwoordigers',
  'POST /beheer/verzoeken/:id/intrekken',
  'POST /beheer/machtigingen/:id/intrekken',
  'POST /beheer/ketenmachtigingen/:id/intrekken',
  'POST /beheer/ketenmachtigingen/toewijzingen/:id/intrekken',
  'POST /mijn-gegevens/verzoeken/:id/accepteren',
  'POST /mijn-gegevens/verzoeken/:id/weigeren',
  'POST /beheer/middelen/:id/schorsen',
  'POST /beheer/middelen/:id/schorsing-opheffen',
  'POST /backoffice/:id/goedkeuren',
  'POST /backoffice/mail/:id/opnieuw',
  // A SCIM token takes no input either: the route matrix's client (users:read, no token) is refused both,
  // but a client with users:write would get one (a wanted change).
  'POST /beheer/api-koppelingen/:id/scim-token',
  'POST /beheer/api-koppelingen/:id/scim-token/intrekken',
])
/** Not fuzzed: ends the session the test uses. */
// Rotating or revoking an API client takes no input: every post is a (wanted) change. The JSON API is
// bearer-only and has its own bad-input tests (tests/features/api).
const SKIPPED = new Set(['POST /uitloggen', 'POST /beheer/api-koppelingen/:id/nieuw-geheim', 'POST /beheer/api-koppelingen/:id/intrekken'])

const INJECTIONS = [
  "' OR 1=1--",
  '"; drop table users; --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '${7*7}{{7*7}}<%= 7*7 %>',
  '\u0000',
  'a\u0000b',
  '\uFFFF\uFEFF\u202E',
  '-1',
  '99999999999999999999999999',
  '2026-02-30',
  'NaN',
  'null',
]

let t: TestApp
let agent: Agent
let ids: DemoIds
let routes: RouteInfo[]
let fieldNames: string[] = []
/** The fields of each form, by the form's action path as found on the pages. */
const formsByAction = new Map<string, Set<string>>()
let tables: string[] = []

beforeAll(async () => {
  t = await createTestApp()
  agent = await t.loginAs('sanne')
  ids = await demoIds(t.database.db)
  routes = appRoutes(t.app).filter((r) => r.access && !SKIPPED.has(`${r.method} ${r.path}`) && !isApiPath(r.path))
  // The field names of every form the admin can open, plus common ones.
  const names = new Set(['email', 'password', 'code', 'name', 'q', 'status', 'level', 'id', 'organisationId', 'userId', 'returnTo', 'lang', 'page', 'na'])
  for (const route of routes.filter((r) => r.method === 'GET')) {
    const response = await agent.get(fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS'))
    for (const m of response.text.matchAll(/\bname="([\w[\].-]{1,60})"/g)) if (m[1] !== '_csrf') names.add(m[1]!)
    for (const form of response.text.matchAll(/<form\b[^>]*\baction="([^"?#]+)[^"]*"[^>]*>([\s\S]*?)<\/form>/g)) {
      const fields = formsByAction.get(form[1]!) ?? new Set<string>()
      for (const m of form[2]!.matchAll(/\bname="([\w[\].-]{1,60})"/g)) if (m[1] !== '_csrf') fields.add(m[1]!)
      formsByAction.set(form[1]!, fields)
    }
  }
  fieldNames = [...names]
  const rows = await t.database.db.$queryRaw<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public' order by tablename`
  tables = rows.map((r) => r.tablename).filter((name) => !IGNORED_TABLES.has(name))
}, 120_000)
afterAll(async () => {
  await t.close()
})

async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of tables) {
    const [row] = await t.database.db.$queryRawUnsafe<{ h: string | null; n: bigint }[]>(
      `select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h, count(*) as n from "${table}" x`,
    )
    out[table] = `${row!.n}:${row!.h}`
  }
  return out
}

function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((table) => before[table] !== after[table])
}

const enc = encodeURIComponent

/** Raw urlencoded bodies / query strings, each with a label for the failure message. */
function payloads(): { label: string; raw: string }[] {
  const list: { label: string; raw: string }[] = []
  const all = (value: string) => fieldNames.map((n) => `${enc(n)}=${value}`).join('&')
  for (const value of INJECTIONS) list.push({ label: `every field = ${JSON.stringify(value)}`, raw: all(enc(value)) })
  // 15 fields of 10,000 characters stay under the 200 KB body limit, so the handlers see them.
  list.push({
    label: 'fields of 10,000 characters',
    raw: fieldNames
      .slice(0, 15)
      .map((n) => `${enc(n)}=${'x'.repeat(10_000)}`)
      .join('&'),
  })
  list.push({ label: 'every field an array', raw: fieldNames.map((n) => `${enc(n)}=a&${enc(n)}=b`).join('&') })
  list.push({ label: 'every field an array with []', raw: fieldNames.map((n) => `${enc(n)}[]=a`).join('&') })
  list.push({ label: 'every field an object field[a]=b', raw: fieldNames.map((n) => `${enc(n)}[a]=b&${enc(n)}[$ne]=1`).join('&') })
  list.push({ label: 'deep nesting', raw: `email${'[a]'.repeat(40)}=x` })
  list.push({ label: 'prototype pollution', raw: '__proto__[admin]=1&constructor[prototype][admin]=1' })
  list.push({ label: 'invalid UTF-8 percent-encodings', raw: fieldNames.map((n) => `${enc(n)}=%C3%28%FF%FE%E2%82`).join('&') })
  list.push({ label: 'broken percent-encoding', raw: fieldNames.map((n) => `${enc(n)}=%zz%`).join('&') + '&%=%' })
  list.push({ label: 'NUL bytes percent-encoded', raw: all('%00%00') })
  list.push({ label: 'empty fields', raw: all('') })
  list.push({ label: '3,000 parameters', raw: Array.from({ length: 3000 }, (_, i) => `f${i}=1`).join('&') })
  return list
}

/** The fields of the forms that post to (or filter) this route. */
function formFields(route: RouteInfo): string[] {
  const pattern = new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/[:*][A-Za-z_]\w*/g, '[^/]+')}$`)
  const fields = new Set<string>()
  for (const [action, names] of formsByAction) if (pattern.test(action)) for (const n of names) fields.add(n)
  return [...fields]
}

/** One field bad at a time, the others absent: a validation failure elsewhere cannot hide it. */
function singleFieldPayloads(fields: string[]): { label: string; raw: string }[] {
  const values: [string, (n: string) => string][] = [
    ['NUL byte', (n) => `${n}=a%00b`],
    ["' OR 1=1--", (n) => `${n}=${enc("' OR 1=1--")}`],
    ['<script>', (n) => `${n}=${enc('<script>alert(1)</script>')}`],
    ['10,000 characters', (n) => `${n}=${'x'.repeat(10_000)}`],
    ['an array', (n) => `${n}=a&${n}=b`],
    ['an object', (n) => `${n}[a]=b`],
    ['invalid UTF-8', (n) => `${n}=%C3%28%FF`],
    ['../../etc/passwd', (n) => `${n}=${enc('../../etc/passwd')}`],
  ]
  return fields.flatMap((field) => values.map(([label, make]) => ({ label: `only ${field} = ${label}`, raw: make(enc(field)) })))
}

const OVERSIZED = `email=${'x'.repeat(300 * 1024)}`

async function token(): Promise<string> {
  return csrfFrom((await agent.get('/overzicht')).text)
}

function assertSafe(where: string, response: { status: number; text: string }) {
  expect(response.status, `${where}: ${response.text.slice(0, 400)}`).toBeLessThan(500)
  expect(response.text, `${where} shows a stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+|\bnode_modules\/|\.ts:\d+:\d+/)
  expect(response.text, `${where} shows a database error`).not.toMatch(/Prisma|PrismaClient|syntax error at or near|invalid input syntax/i)
}

async function fuzzRoute(route: RouteInfo, path: string, checkDb: boolean) {
  const before = checkDb ? await snapshot() : null
  const csrf = route.method === 'GET' ? '' : await token()
  for (const payload of [...payloads(), ...singleFieldPayloads(formFields(route)), { label: '300 KB body', raw: OVERSIZED }]) {
    const where = `${route.method} ${path} with ${payload.label}`
    let response
    if (route.method === 'GET') {
      if (payload.raw.length > 60_000) continue
      response = await agent.get(`${path}?${payload.raw}`)
    } else {
      response = await agent[route.method.toLowerCase() as 'post'](path)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(`${payload.raw}&_csrf=${enc(csrf)}`)
    }
    assertSafe(where, response)
  }
  if (before) expect(changed(before, await snapshot()), `${route.method} ${path} with fuzzed input changed the database`).toEqual([])
  // Not a form: a JSON body and a body with a wrong content type are refused, not crashed on.
  if (route.method !== 'GET') {
    const json = await agent.post(path).set('Content-Type', 'application/json').send('{"email": {"$gt": ""}, "_csrf": 1}')
    assertSafe(`${route.method} ${path} with a JSON body`, json)
    const garbage = await agent.post(path).set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-7').send('a=b')
    assertSafe(`${route.method} ${path} with charset utf-7`, garbage)
  }
}

describe('fuzzing every form route', () => {
  it('When the form routes are read from the router, then there are POST and GET routes to fuzz', () => {
    expect(routes.filter((r) => r.method === 'POST').length).toBeGreaterThan(3)
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThan(3)
    expect(fieldNames.length).toBeGreaterThan(10)
    expect(formFields(routes.find((r) => r.path === '/beheer/logboek')!)).toContain('gebruiker')
  })

  it('When bad input is sent to every route with unknown or malformed ids, then nothing breaks and nothing changes', async () => {
    const unknownIds = Object.fromEntries(Object.keys(paramsFor('/', ids)).map((name) => [name, name === 'token' ? 'A'.repeat(43) : randomUUID()]))
    for (const route of routes) {
      const values = { ...unknownIds, ...Object.fromEntries(route.params.map((p) => [p, unknownIds[p] ?? randomUUID()])) }
      await fuzzRoute(route, fillPath(route, values, 'ROUTE_PARAMS'), true)
      // malformed path parameters
      if (route.params.length > 0) {
        const before = await snapshot()
        const csrf = await token()
        for (const bad of ["' OR 1=1--", '../../etc/passwd', '%00', 'x'.repeat(2000), '%C3%28']) {
          const path = route.path.replace(/[:*]([A-Za-z_]\w*)/g, () => (bad.startsWith('%') ? bad : enc(bad)))
          const response = route.method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: csrf })
          assertSafe(`${route.method} ${path}`, response)
          expect([400, 404, 410, 303], `${route.method} ${path}`).toContain(response.status)
        }
        expect(changed(before, await snapshot()), `${route.method} ${route.path} with malformed parameters changed the database`).toEqual([])
      }
    }
  }, 600_000)

  it("When bad input is sent to every route with organisation A's real ids, then nothing breaks and nothing changes", async () => {
    for (const route of routes.filter((r) => r.params.length > 0)) {
      const path = fillPath(route, paramsFor(route.path, ids), 'ROUTE_PARAMS')
      await fuzzRoute(route, path, !MAY_CHANGE.has(`${route.method} ${route.path}`))
    }
  }, 600_000)
})
