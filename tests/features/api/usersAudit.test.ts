// /api/v1 users add and offboard (the services SCIM uses: ImportService.addOne and the offboarding
// workflow) and the audit trail with a cursor and as NDJSON. Every answer is checked against the
// OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, checkedComponent, makeClient, tokenFor } from './apiHelpers.ts'
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
const person = {
  firstName: 'Ilse',
  lastNamePrefix: 'van',
  lastName: 'Dam',
  dateOfBirth: '1988-06-01',
  email: 'ilse.vandam@bakkerij-devries.example',
  mobile: '0611122233',
  level: 'EH2_PLUS',
  termYears: 3,
  externalId: 'hr-4711',
}

describe('users add and offboard', () => {
  it('When a person is added, then she is linked with a means as on the page; offboarding revokes her mandates and ends the link', async () => {
    const added = checked(await api().post(paths.api.users).set(auth()).set('Idempotency-Key', 'add-ilse').send(person), 'post', paths.api.users)
    expect(added.status, added.text).toBe(201)
    expect(added.body).toMatchObject({ organisationId, meansStatus: 'active' })
    const id = added.body.id as string
    const replay = checked(await api().post(paths.api.users).set(auth()).set('Idempotency-Key', 'add-ilse').send(person), 'post', paths.api.users)
    expect(replay.body).toEqual(added.body)
    const db = t.database.db
    expect(await db.organisationLink.findFirstOrThrow({ where: { userId: id, organisationId } })).toMatchObject({ externalId: 'hr-4711' })
    expect(await db.outgoingMail.count({ where: { toAddress: person.email, template: 'account-activation' } })).toBe(1)

    const service = await db.service.findFirstOrThrow({ where: { requiredLevel: 'EH2' } })
    const grant = { organisationId, userId: id, level: 'EH2_PLUS', termYears: 1, items: [{ scope: 'service', serviceId: service.id }] }
    const granted = checked(await api().post(paths.api.mandates).set(auth()).send(grant), 'post', paths.api.mandates)
    expect(granted.status).toBe(201)

    const off = checked(await api().post(pathFor(paths.api.userOffboard, { id })).set(auth()), 'post', paths.api.userOffboard)
    expect(off.status, off.text).toBe(200)
    expect(off.body).toMatchObject({ id, organisationId, revokedMandates: 1, endedAssignments: 0 })
    expect((await db.mandate.findUniqueOrThrow({ where: { id: granted.body.data[0].id } })).status).toBe('revoked')
    expect(await db.organisationLink.count({ where: { userId: id } })).toBe(0)
    expect(await db.user.count({ where: { id } })).toBe(1)
    const again = checked(await api().post(pathFor(paths.api.userOffboard, { id })).set(auth()), 'post', paths.api.userOffboard)
    expect(again.status).toBe(404)
    const actions = await db.auditEvent.findMany({ where: { subjectId: id }, select: { action: true, actorLabel: true } })
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['user.created', 'user.offboarded']))
    expect(actions.every((a) => a.actorLabel === `api:${clientName}`)).toBe(true)
  })

  it('When a field breaks a rule, the address is in use or the body is malformed, then 422/409/400 with the page’s message and nothing is stored', async () => {
    const users = await t.database.db.user.count()
    const young = checked(
      await api()
        .post(paths.api.users)
        .set(auth())
        .send({ ...person, email: 'jong@bakkerij-devries.example', dateOfBirth: '2020-01-01', mobile: '12' }),
      'post',
      paths.api.users,
    )
    expect(young.status).toBe(422)
    expect(young.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/dateOfBirth', '/mobile'])
    const inUse = checked(
      await api()
        .post(paths.api.users)
        .set(auth())
        .send({ ...person, email: 'jan.smit@demo.example' }),
      'post',
      paths.api.users,
    )
    expect(inUse.status).toBe(409)
    const above = checked(
      await api()
        .post(paths.api.users)
        .set(auth())
        .send({ ...person, email: 'hoog@bakkerij-devries.example', level: 'EH4' }),
      'post',
      paths.api.users,
    )
    expect(above.status).toBe(422)
    const unknown = checked(
      await api()
        .post(paths.api.users)
        .set(auth())
        .send({ ...person, role: 'admin' }),
      'post',
      paths.api.users,
    )
    expect(unknown.status).toBe(400)
    const elsewhere = checked(
      await api()
        .post(paths.api.users)
        .set(auth())
        .send({ ...person, organisationId: '00000000-0000-0000-0000-000000000000' }),
      'post',
      paths.api.users,
    )
    expect(elsewhere.status).toBe(404)
    expect(await t.database.db.user.count()).toBe(users)
  })

  it('When the client offboards its own admin or lacks users:write, then 422 or 403 and the link stays', async () => {
    const sanne = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    const self = checked(
      await api()
        .post(pathFor(paths.api.userOffboard, { id: sanne.id }))
        .set(auth()),
      'post',
      paths.api.userOffboard,
    )
    expect(self.status).toBe(422)
    const made = await makeClient(t, ['users:read'], 'Lezer')
    const reader = await tokenFor(t, made.client.id, made.secret)
    const refused = checked(
      await api()
        .post(pathFor(paths.api.userOffboard, { id: sanne.id }))
        .set({ Authorization: `Bearer ${reader}` }),
      'post',
      paths.api.userOffboard,
    )
    expect(refused.status).toBe(403)
    expect(await t.database.db.organisationLink.count({ where: { userId: sanne.id, organisationId } })).toBe(1)
  })
})

describe('audit events', () => {
  it('When the trail is paged with the cursor, then the pages follow each other newest first and hold only the organisation', async () => {
    const first = checked(await api().get(paths.api.auditEvents).set(auth()), 'get', paths.api.auditEvents)
    expect(first.status).toBe(200)
    expect(first.body.data.length).toBeGreaterThan(0)
    const names = new Set(first.body.data.map((e: { organisationName: string }) => e.organisationName))
    expect([...names]).toEqual(['Bakkerij De Vries B.V.'])
    if (first.body.next) {
      const second = checked(await api().get(paths.api.auditEvents).query({ cursor: first.body.next }).set(auth()), 'get', paths.api.auditEvents)
      expect(BigInt(second.body.data[0].id)).toBeLessThan(BigInt(first.body.data.at(-1).id))
    }
    const filtered = checked(await api().get(paths.api.auditEvents).query({ action: 'user.created' }).set(auth()), 'get', paths.api.auditEvents)
    expect(filtered.body.data.every((e: { action: string }) => e.action === 'user.created')).toBe(true)
    for (const query of [{ cursor: 'abc' }, { from: '2026-13-40' }, { from: '2026-02-01', until: '2026-01-01' }, { sort: 'x' }]) {
      const bad = checked(await api().get(paths.api.auditEvents).query(query).set(auth()), 'get', paths.api.auditEvents)
      expect(bad.status, JSON.stringify(query)).toBe(400)
    }
  })

  it('When NDJSON is asked for, then every matching event comes as one JSON object per line, the same as the pages', async () => {
    const response = await api()
      .get(paths.api.auditEvents)
      .set(auth())
      .set('Accept', 'application/x-ndjson')
      .buffer(true)
      .parse((res, done) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
        res.on('end', () => done(null, text))
      })
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toContain('application/x-ndjson')
    const lines = (response.body as string)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string })
    for (const line of lines) checkedComponent(line, 'AuditEvent')
    const total = await t.database.db.auditEvent.count({ where: { organisationId } })
    expect(lines.length).toBe(total)
    const page = await api().get(paths.api.auditEvents).set(auth())
    expect(lines.slice(0, page.body.data.length)).toEqual(page.body.data)
  })

  it('When the token lacks audit:read, then 403', async () => {
    const made = await makeClient(t, ['users:read'], 'Geen logboek')
    const reader = await tokenFor(t, made.client.id, made.secret)
    const refused = checked(
      await api()
        .get(paths.api.auditEvents)
        .set({ Authorization: `Bearer ${reader}` }),
      'get',
      paths.api.auditEvents,
    )
    expect(refused.status).toBe(403)
  })
})
