// The SCIM token of an API client (Beheer → API-koppelingen): sanne issues it on the page, it is shown
// once and kept only as its SHA-256, works on /scim/v2 and nowhere else, is replaced by a new one,
// revoked in one click, and ends with the client (end date or revocation). Issuing and revoking are
// each audited; no mail goes out (as for the client's secret). Another organisation's admin gets 404.
import * as cheerio from 'cheerio'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuleViolation, NotFoundError } from '../../../src/errors.ts'
import type { PrismaClient } from '../../../src/generated/prisma/client.ts'
import { addDays } from '../../../src/domain/dates.ts'
import { links, pathFor, paths } from '../../../src/paths.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { ApiTokens, sha256 } from '../../../src/shared/apiTokens.ts'
import { createTestApp, csrfFrom, type Agent, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'
import { makeClient } from '../api/apiHelpers.ts'
import { scim, scimAnswer, scimTokenFromPage } from '../scim/scimHelpers.ts'

let t: TestApp
let sanne: Agent
beforeAll(async () => {
  t = await createTestApp()
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const listUsers = (token: string) => scim(t, token).get(paths.scim.users)
const apiUsers = (token: string) => request(t.app).get(paths.api.users).set('Authorization', `Bearer ${token}`)

/** Presses a row's button on API-koppelingen (the form posting to `action`) and follows the redirect. */
async function press(agent: Agent, action: string): Promise<string> {
  const response = await submitForm(agent, links.apiClients(), (form) => form.attr('action') === action)
  expect(response.status).toBe(303)
  expect(response.headers.location).toBe(links.apiClients())
  return (await agent.get(links.apiClients())).text
}

function alerts(html: string): string {
  return cheerio.load(html)('.utrecht-alert').text()
}

describe('issuing the SCIM token', () => {
  it('When sanne creates a SCIM token, then it is shown once with the SCIM URL, stored only as its SHA-256, audited, and no mail is sent', async () => {
    const { client } = await makeClient(t, ['users:read', 'users:write'], 'Okta')
    const mails = await db().outgoingMail.count()
    const { token, html } = await scimTokenFromPage(sanne, client.id)
    const $ = cheerio.load(html)
    expect($('#scim-base-url').text()).toBe(`${t.config.baseUrl.replace(/\/$/, '')}${paths.scim.users.replace('/Users', '')}`)
    expect($('.utrecht-alert').text()).toContain('Okta')
    expect($('.utrecht-alert').text()).toContain('Secret Token')

    const row = await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })
    expect(row.scimTokenHash).toBe(sha256(token))
    expect(JSON.stringify(row)).not.toContain(token)
    const again = await sanne.get(links.apiClients())
    expect(again.text).not.toContain(token)
    expect(
      cheerio
        .load(again.text)('tr', 'tbody')
        .filter((_i, el) => cheerio.load(el).text().includes('Okta'))
        .text(),
    ).toContain('SCIM-token sinds')

    const audit = await db().auditEvent.findMany({ where: { subjectId: client.id, action: 'api_client.scim_token_issued' } })
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actorLabel).toBe('sanne.devries@demo.example')
    expect(audit[0]!.after).toMatchObject({ validUntil: expect.any(String) })
    const trail = JSON.stringify([audit[0]!.before, audit[0]!.after])
    expect(trail).not.toContain(token)
    expect(trail).not.toContain(row.scimTokenHash!)
    expect(await db().outgoingMail.count()).toBe(mails)
  })

  it('When the SCIM token is used, then /scim/v2 admits it (Bearer or bare) and /api/v1 refuses it with 401, as it refuses it bare', async () => {
    const { client } = await makeClient(t, ['users:read', 'users:write', 'mandates:read'], 'Entra ID')
    const { token } = await scimTokenFromPage(sanne, client.id)
    scimAnswer(await listUsers(token), 200)
    scimAnswer(await scim(t, token, token).get(paths.scim.users), 200)
    const refused = await apiUsers(token)
    expect(refused.status).toBe(401)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.headers['www-authenticate']).toContain('invalid_token')
    expect((await request(t.app).get(paths.api.users).set('Authorization', token)).status).toBe(401)
  })

  it('When a new SCIM token is created, then it replaces the old one, which gets a SCIM 401', async () => {
    const { client } = await makeClient(t, ['users:write'], 'Vervangen')
    const first = (await scimTokenFromPage(sanne, client.id)).token
    const second = (await scimTokenFromPage(sanne, client.id)).token
    expect(second).not.toBe(first)
    scimAnswer(await listUsers(first), 401)
    scimAnswer(await listUsers(second), 200)
    const audit = await db().auditEvent.count({ where: { subjectId: client.id, action: 'api_client.scim_token_issued' } })
    expect(audit).toBe(2)
  })

  it('When the client lacks users:write, then issuing is refused with a message that says why, and nothing changes', async () => {
    const { client } = await makeClient(t, ['users:read', 'mandates:write'], 'Alleen lezen')
    const page = await press(sanne, pathFor(paths.beheer.apiClientScimToken, { id: client.id }))
    expect(alerts(page)).toContain('users:write')
    expect((await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })).scimTokenHash).toBeNull()
    expect(await db().auditEvent.count({ where: { subjectId: client.id, action: 'api_client.scim_token_issued' } })).toBe(0)
  })

  it('When another organisation’s admin asks for or revokes the token of sanne’s client, then 404 and nothing changes', async () => {
    const { client } = await makeClient(t, ['users:write'], 'Van Bakkerij')
    const pieter = await t.loginAs('pieter')
    const csrf = csrfFrom((await pieter.get(links.apiClients())).text)
    for (const action of [links.apiClientScimToken(client.id), links.apiClientScimTokenRevoke(client.id)]) {
      expect((await pieter.post(action).type('form').send({ _csrf: csrf })).status).toBe(404)
    }
    const pieterUser = await db().user.findFirstOrThrow({ where: { emailKey: 'pieter.bakker@demo.example' } })
    const pieterPrincipal = (await t.services.authService.loadPrincipal(pieterUser.id))!
    await expect(t.services.apiClientsService.issueScimToken(pieterPrincipal, { ...systemActor(), principal: pieterPrincipal }, client.id)).rejects.toThrow(
      NotFoundError,
    )
    expect((await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })).scimTokenHash).toBeNull()
  })
})

describe('ending the SCIM token', () => {
  it('When sanne revokes the SCIM token, then it gets a SCIM 401 at once, the page says so, and revoking again is refused', async () => {
    const { client } = await makeClient(t, ['users:read', 'users:write'], 'Intrekken')
    const { token } = await scimTokenFromPage(sanne, client.id)
    scimAnswer(await listUsers(token), 200)
    const page = await press(sanne, pathFor(paths.beheer.apiClientScimTokenRevoke, { id: client.id }))
    expect(alerts(page)).toContain('Het SCIM-token van Intrekken is ingetrokken')
    const body = JSON.parse(scimAnswer(await listUsers(token), 401).text) as Record<string, unknown>
    expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' })
    const row = await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })
    expect(row).toMatchObject({ scimTokenHash: null, scimTokenIssuedAt: null, revokedAt: null })
    expect(await db().auditEvent.count({ where: { subjectId: client.id, action: 'api_client.scim_token_revoked' } })).toBe(1)
    // The form is gone with the token; a stale one is refused with a message.
    expect(cheerio.load(page)(`form[action="${links.apiClientScimTokenRevoke(client.id)}"]`)).toHaveLength(0)
    const csrf = csrfFrom(page)
    await sanne.post(links.apiClientScimTokenRevoke(client.id)).type('form').send({ _csrf: csrf })
    expect(alerts((await sanne.get(links.apiClients())).text)).toContain('geen SCIM-token')
  })

  it('When the client’s end date passes, then the token stops working (it works on the end date itself), and an ended client gets no new one', async () => {
    const { client, principal } = await makeClient(t, ['users:write'], 'Verloopt')
    const { token } = await scimTokenFromPage(sanne, client.id)
    const lastDay = new Date(client.validUntil.getTime() + 12 * 3600 * 1000)
    expect(await t.services.apiTokens.resolve(token, lastDay, { scim: true })).not.toBeNull()
    expect(await t.services.apiTokens.resolve(token, addDays(lastDay, 1), { scim: true })).toBeNull()
    const actor = { ...systemActor(), principal }
    await expect(t.services.apiClientsService.issueScimToken(principal, actor, client.id, addDays(lastDay, 1))).rejects.toThrow(RuleViolation)
    // Over HTTP: the end date moved into the past (as time does) → 401 in SCIM's shape.
    await db().apiClient.update({ where: { id: client.id }, data: { validUntil: addDays(new Date(new Date().toISOString().slice(0, 10)), -1) } })
    scimAnswer(await listUsers(token), 401)
  })

  it('When the client is revoked, then its SCIM token gets 401 and its hash is gone', async () => {
    const { client } = await makeClient(t, ['users:write'], 'Koppeling weg')
    const { token } = await scimTokenFromPage(sanne, client.id)
    await press(sanne, links.apiClientRevoke(client.id))
    scimAnswer(await listUsers(token), 401)
    expect((await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })).scimTokenHash).toBeNull()
  })
})

/** The database as ApiTokens sees it, counting the calls on api_tokens and api_clients. */
function counting(real: PrismaClient): { db: PrismaClient; calls: string[] } {
  const calls: string[] = []
  const db = new Proxy(real, {
    get(target, model, receiver) {
      const delegate: unknown = Reflect.get(target, model, receiver)
      if (model !== 'apiToken' && model !== 'apiClient') return delegate
      return new Proxy(delegate as object, {
        get(d, method) {
          const f: unknown = Reflect.get(d, method)
          if (typeof f !== 'function') return f
          return (...args: unknown[]) => {
            calls.push(`${model}.${String(method)}`)
            return (f as (...a: unknown[]) => unknown).apply(d, args)
          }
        },
      })
    },
  })
  return { db, calls }
}

describe('the lookup', () => {
  it('When a token is resolved, then each kind costs one lookup on its own table by a unique index, and a SCIM token off /scim/v2 none', async () => {
    const { client, secret } = await makeClient(t, ['users:read', 'users:write'], 'Tellen')
    const { token: scimToken } = await scimTokenFromPage(sanne, client.id)
    const issued = await t.services.apiTokens.issue(client.id, secret, null)
    if ('error' in issued) throw new Error(issued.error)
    const { db: countingDb, calls } = counting(t.database.db)
    const tokens = new ApiTokens(countingDb, (id, now) => t.services.authService.loadPrincipal(id, now))

    expect(await tokens.resolve(issued.token, new Date(), { scim: true })).not.toBeNull()
    expect(calls.splice(0)).toEqual(['apiToken.findUnique'])
    expect(await tokens.resolve(scimToken, new Date(), { scim: true })).toMatchObject({ scopes: ['users:read', 'users:write'] })
    expect(calls.splice(0)).toEqual(['apiClient.findUnique'])
    expect(await tokens.resolve(scimToken)).toBeNull()
    expect(calls).toEqual([])

    const indexes = await t.database.db.$queryRaw<{ indexdef: string }[]>`select indexdef from pg_indexes where tablename = 'api_clients'`
    expect(indexes.map((i) => i.indexdef)).toContainEqual(expect.stringMatching(/^CREATE UNIQUE INDEX .* \(scim_token_hash\)$/))
  })
})
