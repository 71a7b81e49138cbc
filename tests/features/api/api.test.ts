// The JSON API end to end: client credentials, the mandates and users of the client's organisation,
// grant / renew / revoke through the pages' services, problem documents, idempotency, scopes, and the
// audit trail naming the client. Every answer is checked against the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, makeClient, tokenFor } from './apiHelpers.ts'
import { paths, pathFor } from '../../../src/paths.ts'

let t: TestApp
let token: string
let clientName: string
let organisationId: string

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeClient(t)
  clientName = made.client.name
  organisationId = made.organisation.id
  token = await tokenFor(t, made.client.id, made.secret)
})
afterAll(async () => {
  await t.close()
})

const api = () => request(t.app)
const auth = () => ({ Authorization: `Bearer ${token}` })

/** A user of the organisation with an active means, and a service at or below that level. */
async function grantable() {
  const db = t.database.db
  const link = await db.organisationLink.findFirstOrThrow({
    where: { organisationId, user: { means: { some: { status: 'active', level: { in: ['EH3', 'EH4'] } } } } },
    select: { userId: true },
  })
  const taken = await db.mandate.findMany({ where: { userId: link.userId, organisationId, live: true }, select: { serviceId: true } })
  const service = await db.service.findFirstOrThrow({
    where: { requiredLevel: { in: ['EH2', 'EH2_PLUS'] }, id: { notIn: taken.map((m) => m.serviceId).filter((x): x is string => !!x) } },
  })
  return { userId: link.userId, serviceId: service.id }
}

describe('token', () => {
  it('When the secret is wrong, then /oauth/token answers 401 invalid_client', async () => {
    const response = await api()
      .post('/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: '00000000-0000-0000-0000-000000000000', client_secret: 'x' })
    expect(response.status).toBe(401)
    expect(response.body.error).toBe('invalid_client')
    checked(response, 'post', paths.api.token)
  })

  it('When no token or a made-up one is sent, then the API answers 401 with a problem document', async () => {
    for (const headers of [{}, { Authorization: 'Bearer bmat_nope' }]) {
      const response = await api().get(paths.api.mandates).set(headers)
      expect(response.status).toBe(401)
      expect(response.headers['www-authenticate']).toContain('Bearer')
      checked(response, 'get', paths.api.mandates)
    }
  })
})

describe('mandates', () => {
  it('When the list is asked for page by page, then it holds only the organisation’s mandates with a cursor, and RateLimit headers', async () => {
    const first = checked(await api().get(paths.api.mandates).query({ limit: '25', inactive: 'true' }).set(auth()), 'get', paths.api.mandates)
    expect(first.status).toBe(200)
    expect(first.headers['ratelimit-limit']).toBe('600')
    expect(Number(first.headers['ratelimit-remaining'])).toBeLessThan(600)
    expect(first.body.data.length).toBeGreaterThan(0)
    expect(first.body.data.every((m: { organisationId: string }) => m.organisationId === organisationId)).toBe(true)
    if (first.body.next) {
      const second = checked(
        await api().get(paths.api.mandates).query({ limit: '25', inactive: 'true', cursor: first.body.next }).set(auth()),
        'get',
        paths.api.mandates,
      )
      const ids = new Set(first.body.data.map((m: { id: string }) => m.id))
      expect(second.body.data.some((m: { id: string }) => ids.has(m.id))).toBe(false)
    }
  })

  it('When a filter is malformed or unknown, then 400 with the page’s message in the language asked for, and nothing is listed', async () => {
    const nl = checked(await api().get(paths.api.mandates).query({ level: 'EH9' }).set(auth()), 'get', paths.api.mandates)
    expect(nl.status).toBe(400)
    expect(nl.headers['content-type']).toContain('application/problem+json')
    expect(nl.body.errors[0]).toEqual({ pointer: '/level', detail: 'Kies een niveau uit de lijst' })
    const en = checked(
      await api().get(paths.api.mandates).query({ level: 'EH9' }).set(auth()).set('Accept-Language', 'en-GB,en;q=0.9'),
      'get',
      paths.api.mandates,
    )
    expect(en.body.errors[0].detail).toBe('Choose a level from the list')
    const unknown = checked(await api().get(paths.api.mandates).query({ colour: 'red' }).set(auth()), 'get', paths.api.mandates)
    expect(unknown.status).toBe(400)
  })

  it('When a mandate is granted, renewed and revoked, then each shows in the portal’s data and the audit names the client', async () => {
    const { userId, serviceId } = await grantable()
    const body = { organisationId, userId, level: 'EH2_PLUS', termYears: 1, items: [{ scope: 'service', serviceId }] }
    const granted = checked(await api().post(paths.api.mandates).set(auth()).set('Idempotency-Key', 'grant-1').send(body), 'post', paths.api.mandates)
    expect(granted.status, JSON.stringify(granted.body)).toBe(201)
    const id = granted.body.data[0].id as string
    const replay = checked(await api().post(paths.api.mandates).set(auth()).set('Idempotency-Key', 'grant-1').send(body), 'post', paths.api.mandates)
    expect(replay.status).toBe(201)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(replay.body).toEqual(granted.body)
    const reused = checked(
      await api()
        .post(paths.api.mandates)
        .set(auth())
        .set('Idempotency-Key', 'grant-1')
        .send({ ...body, termYears: 3 }),
      'post',
      paths.api.mandates,
    )
    expect(reused.status).toBe(422)
    expect(await t.database.db.mandate.count({ where: { userId, organisationId, serviceId, live: true } })).toBe(1)

    const one = checked(await api().get(pathFor(paths.api.mandate, { id })).set(auth()), 'get', paths.api.mandate)
    expect(one.body.status).toBe('active')
    const renewed = checked(await api().post(pathFor(paths.api.mandateRenew, { id })).set(auth()).send({ termYears: 3 }), 'post', paths.api.mandateRenew)
    expect(renewed.status).toBe(200)
    expect(renewed.body.validUntil > granted.body.data[0].validUntil).toBe(true)
    const revoked = checked(await api().post(pathFor(paths.api.mandateRevoke, { id })).set(auth()), 'post', paths.api.mandateRevoke)
    expect(revoked.status).toBe(200)
    const again = checked(await api().post(pathFor(paths.api.mandateRevoke, { id })).set(auth()), 'post', paths.api.mandateRevoke)
    expect(again.status).toBe(422)
    expect(again.body.detail).toMatch(/ingetrokken/)

    const audit = await t.database.db.auditEvent.findMany({ where: { subjectId: id }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['mandate.granted', 'mandate.renewed', 'mandate.revoked'])
    expect(audit.every((a) => a.actorLabel === `api:${clientName}` && a.actorId === null)).toBe(true)
    const mandate = await t.database.db.mandate.findUniqueOrThrow({ where: { id } })
    expect(mandate.status).toBe('revoked')
  })

  it('When a grant breaks a rule or has a wrong type, then 422 or 400 with the page’s message and nothing is created', async () => {
    const { userId, serviceId } = await grantable()
    const before = await t.database.db.mandate.count()
    const tooHigh = checked(
      await api()
        .post(paths.api.mandates)
        .set(auth())
        .send({ organisationId, userId, level: 'EH4', termYears: 1, items: [{ scope: 'service', serviceId }] }),
      'post',
      paths.api.mandates,
    )
    expect(tooHigh.status).toBe(422)
    const wrongType = checked(
      await api().post(paths.api.mandates).set(auth()).send({ organisationId, userId, level: 'EH2', termYears: '1', items: [] }),
      'post',
      paths.api.mandates,
    )
    expect(wrongType.status).toBe(400)
    const extra = checked(
      await api()
        .post(paths.api.mandates)
        .set(auth())
        .send({ organisationId, userId, level: 'EH2', termYears: 1, items: [{ scope: 'all' }], admin: true }),
      'post',
      paths.api.mandates,
    )
    expect(extra.status).toBe(400)
    const notJson = checked(await api().post(paths.api.mandates).set(auth()).type('form').send({ organisationId }), 'post', paths.api.mandates)
    expect(notJson.status).toBe(415)
    expect(await t.database.db.mandate.count()).toBe(before)
  })

  it('When another organisation’s mandate is asked for, then 404 (rule 7)', async () => {
    const other = await t.database.db.mandate.findFirstOrThrow({ where: { organisationId: { not: organisationId } } })
    const response = checked(
      await api()
        .get(pathFor(paths.api.mandate, { id: other.id }))
        .set(auth()),
      'get',
      paths.api.mandate,
    )
    expect(response.status).toBe(404)
  })
})

describe('scopes and users', () => {
  it('When a token lacks a scope, then 403; with it, the users list holds the organisation’s people', async () => {
    const made = await makeClient(t, ['users:read'], 'Alleen lezen')
    const readOnly = await tokenFor(t, made.client.id, made.secret)
    const refused = checked(
      await api()
        .get(paths.api.mandates)
        .set({ Authorization: `Bearer ${readOnly}` }),
      'get',
      paths.api.mandates,
    )
    expect(refused.status).toBe(403)
    const users = checked(
      await api()
        .get(paths.api.users)
        .set({ Authorization: `Bearer ${readOnly}` }),
      'get',
      paths.api.users,
    )
    expect(users.status).toBe(200)
    expect(users.body.data.length).toBeGreaterThan(0)
    const one = checked(
      await api()
        .get(pathFor(paths.api.user, { id: users.body.data[0].id }))
        .set({ Authorization: `Bearer ${readOnly}` }),
      'get',
      paths.api.user,
    )
    expect(one.status).toBe(200)
  })

  it('When the client is revoked, then its token stops working at once', async () => {
    const made = await makeClient(t, ['users:read'], 'Weg')
    const short = await tokenFor(t, made.client.id, made.secret)
    await t.services.apiClientsService.revoke(
      made.principal,
      { principal: made.principal, label: 'x', ipAddress: null, requestId: null, locale: 'nl' },
      made.client.id,
    )
    const response = checked(
      await api()
        .get(paths.api.users)
        .set({ Authorization: `Bearer ${short}` }),
      'get',
      paths.api.users,
    )
    expect(response.status).toBe(401)
  })
})

describe('OpenAPI', () => {
  it('When /api/v1/openapi.json is fetched, then it is OpenAPI 3.1 with every operation', async () => {
    const response = await api().get(paths.api.openapi)
    expect(response.status).toBe(200)
    expect(response.body.openapi).toBe('3.1.0')
    expect(Object.keys(response.body.paths)).toContain('/api/v1/mandates/{id}')
  })
})
