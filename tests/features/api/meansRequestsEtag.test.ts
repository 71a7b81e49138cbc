// Means and link requests through the API (the user page's and Verzoeken's services), and ETag /
// If-Match on what changes: a stale If-Match is 412 and nothing changes; the current one goes ahead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, makeClient, tokenFor } from './apiHelpers.ts'
import { paths, pathFor } from '../../../src/paths.ts'

let t: TestApp
let token: string
let organisationId: string

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeClient(t)
  organisationId = made.organisation.id
  token = await tokenFor(t, made.client.id, made.secret)
})
afterAll(async () => {
  await t.close()
})

const auth = () => ({ Authorization: `Bearer ${token}` })
const api = () => request(t.app)

describe('means', () => {
  it('When a linked person has a means, then it is listed; a new one is refused while it works, and an upgrade to a lower level is refused', async () => {
    const db = t.database.db
    const link = await db.organisationLink.findFirstOrThrow({
      where: { organisationId, user: { means: { some: { status: 'active', level: 'EH3' } } } },
      select: { userId: true },
    })
    const path = pathFor(paths.api.userMeans, { id: link.userId })
    const list = checked(await api().get(path).set(auth()), 'get', paths.api.userMeans)
    expect(list.status).toBe(200)
    expect(list.body.data.some((m: { status: string }) => m.status === 'active')).toBe(true)
    const before = await db.application.count()
    const again = checked(await api().post(path).set(auth()).send({ level: 'EH2', termYears: 1 }), 'post', paths.api.userMeans)
    expect(again.status).toBe(422)
    const lower = checked(
      await api()
        .post(pathFor(paths.api.userMeansUpgrade, { id: link.userId }))
        .set(auth())
        .send({ level: 'EH2' }),
      'post',
      paths.api.userMeansUpgrade,
    )
    expect(lower.status).toBe(422)
    expect(await db.application.count()).toBe(before)
    const badType = checked(await api().post(path).set(auth()).send({ level: 'EH2', termYears: 2 }), 'post', paths.api.userMeans)
    expect(badType.status).toBe(400)
  })

  it('When a person with an EH2+ means is upgraded to EH3, then a signed upgrade application exists', async () => {
    const db = t.database.db
    const link = await db.organisationLink.findFirst({
      where: { organisationId, user: { means: { some: { status: 'active', level: 'EH2_PLUS' } }, applications: { none: { type: 'upgrade' } } } },
      select: { userId: true },
    })
    if (!link) return
    const response = checked(
      await api()
        .post(pathFor(paths.api.userMeansUpgrade, { id: link.userId }))
        .set(auth())
        .send({ level: 'EH3' }),
      'post',
      paths.api.userMeansUpgrade,
    )
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    expect(await db.application.count({ where: { subjectUserId: link.userId, type: 'upgrade' } })).toBe(1)
  })
})

describe('link requests and If-Match', () => {
  it('When a link request is made, read with its ETag and cancelled with a stale If-Match, then 412 and it stays open; with the current one it is cancelled', async () => {
    const created = checked(
      await api().post(paths.api.linkRequests).set(auth()).send({ email: 'nieuw.persoon@elders.example' }),
      'post',
      paths.api.linkRequests,
    )
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.status).toBe('pending')
    const id = created.body.id as string
    const list = checked(await api().get(paths.api.linkRequests).set(auth()), 'get', paths.api.linkRequests)
    expect(list.body.data.some((r: { id: string }) => r.id === id)).toBe(true)
    const one = checked(await api().get(pathFor(paths.api.linkRequest, { id })).set(auth()), 'get', paths.api.linkRequest)
    const etag = one.headers.etag as string
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
    const cancel = pathFor(paths.api.linkRequestCancel, { id })
    const stale = checked(await api().post(cancel).set(auth()).set('If-Match', '"0000"'), 'post', paths.api.linkRequestCancel)
    expect(stale.status).toBe(412)
    expect(stale.headers['content-type']).toContain('application/problem+json')
    expect((await t.database.db.linkRequest.findUniqueOrThrow({ where: { id } })).status).toBe('pending')
    const done = checked(await api().post(cancel).set(auth()).set('If-Match', etag), 'post', paths.api.linkRequestCancel)
    expect(done.status).toBe(200)
    expect(done.body.status).toBe('cancelled')
    const bad = checked(await api().post(paths.api.linkRequests).set(auth()).send({ email: 'geen-adres' }), 'post', paths.api.linkRequests)
    expect(bad.status).toBe(422)
  })

  it('When a mandate changed after its ETag was read, then revoke with that If-Match is 412 and the mandate stays active', async () => {
    const db = t.database.db
    const m = await db.mandate.findFirstOrThrow({ where: { organisationId, status: 'active', kind: 'use', level: { in: ['EH2', 'EH2_PLUS'] } } })
    const one = checked(
      await api()
        .get(pathFor(paths.api.mandate, { id: m.id }))
        .set(auth()),
      'get',
      paths.api.mandate,
    )
    const etag = one.headers.etag as string
    const renewed = checked(
      await api()
        .post(pathFor(paths.api.mandateRenew, { id: m.id }))
        .set(auth())
        .set('If-Match', etag)
        .send({ termYears: 1 }),
      'post',
      paths.api.mandateRenew,
    )
    expect([200, 422]).toContain(renewed.status)
    if (renewed.status !== 200) return
    const stale = checked(
      await api()
        .post(pathFor(paths.api.mandateRevoke, { id: m.id }))
        .set(auth())
        .set('If-Match', etag),
      'post',
      paths.api.mandateRevoke,
    )
    expect(stale.status).toBe(412)
    expect((await db.mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('active')
    const user = checked(
      await api()
        .get(pathFor(paths.api.user, { id: m.userId }))
        .set(auth()),
      'get',
      paths.api.user,
    )
    expect(user.headers.etag).toBeTruthy()
    const offboard = checked(
      await api()
        .post(pathFor(paths.api.userOffboard, { id: m.userId }))
        .set(auth())
        .set('If-Match', '"stale"'),
      'post',
      paths.api.userOffboard,
    )
    expect(offboard.status).toBe(412)
    expect(await db.organisationLink.count({ where: { userId: m.userId, organisationId } })).toBe(1)
  })
})
