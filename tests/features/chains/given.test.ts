// Ketenmachtigingen's list (ChainService.given): the chains the admin's organisations gave, live first,
// read through the page reads; exactly what Prisma's CHAIN_VIEW reads, with each scope's names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHAIN_VIEW, ChainService } from '../../../src/features/chains/chainService.ts'
import { chainScopeData } from '../../../src/features/chains/common.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { chainFixtures, day } from '../../helpers/chainFixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
let f: ReturnType<typeof chainFixtures>
beforeAll(async () => {
  t = await createTestDatabase()
  f = chainFixtures(t.db)
})
afterAll(async () => {
  await t?.drop()
})

describe('ChainService.given', () => {
  it('When an admin of two organisations opens Ketenmachtigingen, then he sees exactly the chains they gave, as Prisma reads them, with their scopes named', async () => {
    const [mine, alsoMine, other, intermediary] = [await f.organisation(), await f.organisation(), await f.organisation(), await f.organisation()]
    const { service, providerId } = await f.service('EH3')
    const employee = await f.person('EH3', { linkTo: intermediary.id })
    const service2 = await f.service('EH2')
    const chains = [
      await f.chain({ organisationId: mine.id, intermediaryOrganisationId: intermediary.id, level: 'EH4' }),
      await f.chain({
        organisationId: mine.id,
        intermediaryOrganisationId: intermediary.id,
        scope: 'service',
        serviceId: service.id,
        validUntil: day({ days: 30 }),
      }),
      await f.chain({ organisationId: alsoMine.id, intermediaryOrganisationId: intermediary.id, scope: 'provider', providerId, status: 'suspended' }),
      await f.chain({
        organisationId: alsoMine.id,
        intermediaryOrganisationId: intermediary.id,
        scope: 'service',
        serviceId: service2.service.id,
        status: 'revoked',
      }),
    ]
    await f.chain({ organisationId: other.id, intermediaryOrganisationId: intermediary.id })
    await f.assignment({ chainMandateId: chains[0]!.id, userId: employee.id })
    await f.assignment({ chainMandateId: chains[1]!.id, userId: employee.id, scope: 'service', serviceId: service.id, status: 'revoked' })
    const admin = await f.person('EH4')
    const principal: Principal = {
      id: admin.id,
      email: 'admin@test.example',
      name: 'Admin',
      role: 'user',
      locale: 'nl',
      adminOrganisations: [mine, alsoMine].map((o) => ({ id: o.id, name: o.name, kvkNumber: o.kvkNumber, level: 'EH4' as const })),
    }

    const given = await new ChainService(t.db).given(principal)

    const expected = await t.db.chainMandate.findMany({
      where: { organisationId: { in: [mine.id, alsoMine.id] } },
      select: { ...CHAIN_VIEW, serviceId: true, providerId: true },
      orderBy: [{ status: 'asc' }, { validUntil: 'asc' }, { id: 'asc' }],
    })
    const names = {
      providers: new Map((await t.db.serviceProvider.findMany()).map((p) => [p.id, p.name])),
      services: new Map((await t.db.service.findMany()).map((s) => [s.id, { name: s.name }])),
    }
    expect(given).toEqual(expected.map((r) => ({ ...r, scopeLabel: chainScopeData(r, names) })))
    expect(given.map((g) => g.id).sort()).toEqual(chains.map((c) => c.id).sort())
    expect(given.map((g) => g._count.assignments)).toContain(1)
    expect(given.map((g) => g.scopeLabel)).toContainEqual({ scope: 'service', serviceName: service.name })
    expect(given.map((g) => g.level)).toContain('EH4')
  })
})
