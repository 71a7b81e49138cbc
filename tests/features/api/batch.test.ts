// POST /api/v1/mandates/batch: grants and revokes in one transaction through the pages' services,
// all or nothing by default (422 naming each failing operation, nothing changed), per-operation
// results with "atomic": false, 413 over 1,000 operations; audit entries and mails per grant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, makeClient, tokenFor } from './apiHelpers.ts'
import { paths } from '../../../src/paths.ts'

let t: TestApp
let token: string
let organisationId: string
let clientName: string

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeClient(t)
  organisationId = made.organisation.id
  clientName = made.client.name
  token = await tokenFor(t, made.client.id, made.secret)
})
afterAll(async () => {
  await t.close()
})

const post = (body: unknown) =>
  request(t.app)
    .post(paths.api.mandatesBatch)
    .set({ Authorization: `Bearer ${token}` })
    .send(body as object)
const counts = async () => {
  const db = t.database.db
  return { mandates: await db.mandate.count(), audit: await db.auditEvent.count(), mail: await db.outgoingMail.count() }
}

/** Linked users with an active EH3+ means, and services at EH2/EH2+ none of them holds yet. */
async function grantables(n: number) {
  const db = t.database.db
  const links = await db.organisationLink.findMany({
    where: { organisationId, user: { means: { some: { status: 'active', level: { in: ['EH3', 'EH4'] } } } } },
    select: { userId: true },
    take: 2,
  })
  const taken = await db.mandate.findMany({ where: { organisationId, live: true, userId: { in: links.map((l) => l.userId) } }, select: { serviceId: true } })
  const services = await db.service.findMany({
    where: { requiredLevel: { in: ['EH2', 'EH2_PLUS'] }, id: { notIn: taken.flatMap((m) => (m.serviceId ? [m.serviceId] : [])) } },
    take: n,
  })
  return { userIds: links.map((l) => l.userId), serviceIds: services.map((s) => s.id) }
}

const grantOp = (userId: string, serviceId: string, level = 'EH2_PLUS') => ({
  op: 'grant',
  organisationId,
  userId,
  level,
  termYears: 1,
  items: [{ scope: 'service', serviceId }],
})

describe('batch', () => {
  it('When every operation can be done, then all are done in one go with an audit entry naming the client and a mail per grant', async () => {
    const { userIds, serviceIds } = await grantables(3)
    const before = await counts()
    const ops = serviceIds.map((s) => grantOp(userIds[0]!, s))
    const response = checked(await post({ operations: ops }), 'post', paths.api.mandatesBatch)
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    expect(response.body).toMatchObject({ atomic: true, succeeded: 3, failed: 0 })
    const after = await counts()
    expect(after.mandates - before.mandates).toBe(3)
    expect(after.audit - before.audit).toBe(3)
    expect(after.mail - before.mail).toBe(3)
    const ids = response.body.results.map((r: { mandates: { id: string }[] }) => r.mandates[0]!.id)
    const audit = await t.database.db.auditEvent.findMany({ where: { subjectId: { in: ids } } })
    expect(audit.every((a) => a.action === 'mandate.granted' && a.actorLabel === `api:${clientName}`)).toBe(true)

    const revoke = checked(await post({ operations: ids.map((id: string) => ({ op: 'revoke', id })) }), 'post', paths.api.mandatesBatch)
    expect(revoke.status).toBe(200)
    expect(revoke.body.results.every((r: { outcome: string }) => r.outcome === 'revoked')).toBe(true)
    expect(await t.database.db.mandate.count({ where: { id: { in: ids }, status: 'revoked' } })).toBe(3)
  })

  it('When one operation breaks a rule, then nothing changes and the 422 names that operation and why', async () => {
    const { userIds, serviceIds } = await grantables(2)
    const revokedAlready = await t.database.db.mandate.findFirstOrThrow({ where: { organisationId, status: 'revoked' } })
    const before = await counts()
    const ops = [
      grantOp(userIds[0]!, serviceIds[0]!),
      grantOp(userIds[0]!, serviceIds[1]!, 'EH4'),
      grantOp(userIds[0]!, serviceIds[0]!),
      { op: 'revoke', id: revokedAlready.id },
    ]
    const response = checked(await post({ operations: ops }), 'post', paths.api.mandatesBatch)
    expect(response.status).toBe(422)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/operations/1', '/operations/2', '/operations/3'])
    expect(response.body.errors[2].detail).toMatch(/ingetrokken/)
    expect(await counts()).toEqual(before)
  })

  it('When atomic is false, then what can be done is done and each result says what happened', async () => {
    const { userIds, serviceIds } = await grantables(2)
    const other = await t.database.db.mandate.findFirstOrThrow({ where: { organisationId: { not: organisationId }, status: 'active' } })
    const before = await counts()
    const ops = [grantOp(userIds[0]!, serviceIds[0]!), grantOp(userIds[0]!, serviceIds[1]!, 'EH4'), { op: 'revoke', id: other.id }]
    const response = checked(
      await request(t.app)
        .post(paths.api.mandatesBatch)
        .set({ Authorization: `Bearer ${token}` })
        .set('Accept-Language', 'en')
        .send({ atomic: false, operations: ops }),
      'post',
      paths.api.mandatesBatch,
    )
    expect(response.status).toBe(200)
    expect(response.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['granted', 'failed', 'failed'])
    expect(response.body.results[2].error.status).toBe(404)
    expect(response.body.results[1].error.detail).toMatch(/level/i)
    expect((await counts()).mandates - before.mandates).toBe(1)
    expect((await t.database.db.mandate.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('active')
  })

  it('When a batch holds more than 1,000 operations, an unknown op or a wrong type, then 413 or 400 and nothing changes', async () => {
    const before = await counts()
    const big = Array.from({ length: 1001 }, () => ({ op: 'revoke', id: '00000000-0000-4000-8000-000000000000' }))
    const tooBig = checked(await post({ operations: big }), 'post', paths.api.mandatesBatch)
    expect(tooBig.status).toBe(413)
    for (const body of [{ operations: [] }, { operations: [{ op: 'delete', id: 'x' }] }, { atomic: 'yes', operations: [{ op: 'revoke', id: big[0]!.id }] }]) {
      const bad = checked(await post(body), 'post', paths.api.mandatesBatch)
      expect(bad.status, JSON.stringify(body)).toBe(400)
    }
    expect(await counts()).toEqual(before)
  })
})
