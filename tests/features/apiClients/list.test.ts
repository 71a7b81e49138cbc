// API-koppelingen's list (ApiClientsService.list): the clients of the admin's organisations, live first
// and newest first, read through the page reads; exactly what Prisma reads, with the organisation's name
// and the creator's address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC } from '../../../src/features/apiClients/apiClientsService.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { makeClient } from '../api/apiHelpers.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('ApiClientsService.list', () => {
  it('When the admin has live, rotated, revoked and SCIM clients, then the list is exactly what Prisma reads, live first, newest first', async () => {
    const { principal } = await makeClient(t, ['users:read'], 'Eerste')
    const actor = { ...systemActor(), principal }
    const rotated = await makeClient(t, ['users:read', 'mandates:read'], 'Gedraaid')
    await t.services.apiClientsService.rotate(principal, actor, rotated.client.id)
    const revoked = await makeClient(t, ['audit:read'], 'Ingetrokken')
    await t.services.apiClientsService.revoke(principal, actor, revoked.client.id)
    const scim = await makeClient(t, ['users:read', 'users:write'], 'Okta')
    await t.services.apiClientsService.issueScimToken(principal, actor, scim.client.id)

    const listed = await t.services.apiClientsService.list(principal)

    const expected = await t.database.db.apiClient.findMany({
      where: { organisationId: { in: principal.adminOrganisations.map((o) => o.id) } },
      select: { ...PUBLIC, organisation: { select: { name: true } }, createdBy: { select: { email: true } } },
      orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }, { id: 'asc' }],
    })
    expect(listed).toEqual(expected)
    expect(listed.map((c) => c.name)).toEqual(['Okta', 'Gedraaid', 'Eerste', 'Ingetrokken'])
    expect(listed.find((c) => c.name === 'Okta')?.scimTokenIssuedAt).toBeInstanceOf(Date)
    expect(listed.find((c) => c.name === 'Gedraaid')?.rotatedAt).toBeInstanceOf(Date)
  })
})
