// GET /api/v1/authorisations/check: the who-may-act resolver (rule 21) for the client's organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, makeClient, sanneAndOrganisation, tokenFor } from './apiHelpers.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { paths } from '../../../src/paths.ts'

let t: TestApp
let token: string
let organisationId: string

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeClient(t, ['mandates:read'])
  organisationId = made.organisation.id
  token = await tokenFor(t, made.client.id, made.secret)
})
afterAll(async () => {
  await t.close()
})

const ask = (query: Record<string, string>, bearer = token) =>
  request(t.app).get(paths.api.authorisationCheck).query(query).set('Authorization', `Bearer ${bearer}`)

describe('authorisations/check', () => {
  it('When a person holds an active mandate for the service, then allowed with the mandate as path; otherwise the reason', async () => {
    const db = t.database.db
    const mandate = await db.mandate.findFirstOrThrow({
      where: { organisationId, status: 'active', scope: 'service', kind: 'use', validUntil: { gte: new Date() }, suspendedMeansId: null },
      select: { id: true, userId: true, serviceId: true },
    })
    const yes = checked(await ask({ userId: mandate.userId, serviceId: mandate.serviceId! }), 'get', paths.api.authorisationCheck)
    expect(yes.status).toBe(200)
    expect(yes.body).toMatchObject({ allowed: true, reason: null, path: { via: 'mandate' } })

    // Someone just added to the organisation, without any mandate there: refused, nothing to point at.
    const { principal } = await sanneAndOrganisation(t)
    const added = await t.services.importService.addOne(
      principal,
      { ...systemActor(), principal },
      {
        firstName: 'Zonder',
        lastNamePrefix: '',
        lastName: 'Machtiging',
        dateOfBirth: '1990-01-01',
        email: 'zonder.machtiging@bakkerij-devries.example',
        mobile: '0612345670',
        level: 'EH2+',
        termYears: '1',
        organisation: organisationId,
      },
    )
    if (!('userId' in added)) throw new Error(JSON.stringify(added))
    const without = { userId: added.userId }
    const no = checked(await ask({ userId: without.userId, serviceId: mandate.serviceId! }), 'get', paths.api.authorisationCheck)
    expect(no.body).toEqual({ allowed: false, level: null, path: null, reason: 'none' })
    const unknown = checked(await ask({ userId: mandate.userId, serviceId: '00000000-0000-4000-8000-000000000000' }), 'get', paths.api.authorisationCheck)
    expect(unknown.body).toMatchObject({ allowed: false, reason: 'unknownService' })
  })

  it('When the question is malformed, about another organisation, or the token lacks mandates:read, then 400, 404 or 403', async () => {
    const user = '00000000-0000-4000-8000-000000000001'
    const service = '00000000-0000-4000-8000-000000000002'
    expect(checked(await ask({ userId: user }), 'get', paths.api.authorisationCheck).status).toBe(400)
    expect(checked(await ask({ userId: 'x', serviceId: service }), 'get', paths.api.authorisationCheck).status).toBe(400)
    expect(checked(await ask({ userId: user, serviceId: service, organisationId: user }), 'get', paths.api.authorisationCheck).status).toBe(404)
    const made = await makeClient(t, ['users:read'], 'Zonder machtigingen')
    const other = await tokenFor(t, made.client.id, made.secret)
    expect(checked(await ask({ userId: user, serviceId: service }, other), 'get', paths.api.authorisationCheck).status).toBe(403)
  })
})
