// Rule 21 (who may act) against a real database: every scope kind, chain paths, and each state
// that takes an authorisation away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { check, whoMay } from '../../src/shared/authorisations.ts'
import { chainFixtures, day } from '../helpers/chainFixtures.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

let t: TestDatabase
let f: ReturnType<typeof chainFixtures>

beforeAll(async () => {
  t = await createTestDatabase()
  f = chainFixtures(t.db)
})

afterAll(async () => {
  await t?.drop()
})

async function setting(required: 'EH2' | 'EH3' | 'EH4' = 'EH3') {
  const client = await f.organisation()
  const { service, providerId } = await f.service(required)
  return { client, service, providerId }
}

describe('authorisations.check: mandates', () => {
  it('When the person holds a mandate for that service, then the path is the direct service mandate', async () => {
    const { client, service } = await setting()
    const person = await f.person('EH3')
    const mandate = await f.mandate({ userId: person.id, organisationId: client.id, scope: 'service', serviceId: service.id, level: 'EH3' })

    const answer = await check(t.db, person.id, client.id, service.id)

    expect(answer).toEqual({ allowed: true, level: 'EH3', path: { via: 'mandate', scope: 'service', mandateId: mandate.id } })
  })

  it('When the person holds a mandate for all services of its provider, then the path is the provider mandate', async () => {
    const { client, service, providerId } = await setting()
    const person = await f.person('EH4')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'provider', providerId, level: 'EH4' })

    const answer = await check(t.db, person.id, client.id, service.id)

    expect(answer).toMatchObject({ allowed: true, level: 'EH4', path: { via: 'mandate', scope: 'provider' } })
  })

  it('When the provider mandate is for another provider, then it does not cover the service', async () => {
    const { client, service } = await setting()
    const other = await f.service('EH2')
    const person = await f.person('EH4')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'provider', providerId: other.providerId })

    expect(await check(t.db, person.id, client.id, service.id)).toEqual({ allowed: false, reason: 'none' })
  })

  it('When the person holds an all-services mandate, then the path is the all-services mandate', async () => {
    const { client, service } = await setting()
    const person = await f.person('EH3')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'all', level: 'EH3' })

    expect(await check(t.db, person.id, client.id, service.id)).toMatchObject({ allowed: true, path: { via: 'mandate', scope: 'all' } })
  })

  it('When the mandate is for another organisation, then it does not count', async () => {
    const { client, service } = await setting()
    const elsewhere = await f.organisation()
    const person = await f.person('EH3')
    await f.mandate({ userId: person.id, organisationId: elsewhere.id, scope: 'all' })

    expect(await check(t.db, person.id, client.id, service.id)).toEqual({ allowed: false, reason: 'none' })
  })

  it.each([
    ['expired', { status: 'expired' as const }],
    ['expired', { validFrom: day({ days: -30 }), validUntil: day({ days: -1 }) }],
    ['suspended', { status: 'suspended' as const }],
    ['revoked', { status: 'revoked' as const }],
    ['pending', { status: 'pending' as const }],
    ['notYetValid', { validFrom: day({ days: 2 }), validUntil: day({ years: 1 }) }],
  ])('When the only mandate is %s (%j), then nothing authorises and that is the reason', async (reason, change) => {
    const { client, service } = await setting()
    const person = await f.person('EH4')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'all', level: 'EH3', ...change })

    expect(await check(t.db, person.id, client.id, service.id)).toEqual({ allowed: false, reason })
  })

  it("When the holder's means is below the mandate's level, then the means is too low", async () => {
    const { client, service } = await setting()
    const person = await f.person('EH4')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'all', level: 'EH4' })
    await t.db.means.updateMany({ where: { userId: person.id }, data: { level: 'EH3' } })

    expect(await check(t.db, person.id, client.id, service.id)).toEqual({ allowed: false, reason: 'meansTooLow' })
  })

  it("When the holder's means is suspended, then the mandate authorises nothing (rule 18)", async () => {
    const { client, service } = await setting()
    const person = await f.person('EH3')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'all', level: 'EH3' })
    await t.db.means.updateMany({ where: { userId: person.id }, data: { status: 'suspended' } })

    expect(await check(t.db, person.id, client.id, service.id)).toEqual({ allowed: false, reason: 'meansTooLow' })
  })

  it("When the service's level is above the mandate's level, then the scope does not cover it (rule 5)", async () => {
    const { client, service } = await setting('EH4')
    const person = await f.person('EH4')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'all', level: 'EH3' })

    expect(await check(t.db, person.id, client.id, service.id)).toEqual({ allowed: false, reason: 'serviceLevel' })
  })

  it('When one mandate is revoked and another covers the service, then the valid one answers', async () => {
    const { client, service, providerId } = await setting()
    const person = await f.person('EH3')
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'service', serviceId: service.id, status: 'revoked' })
    await f.mandate({ userId: person.id, organisationId: client.id, scope: 'provider', providerId })

    expect(await check(t.db, person.id, client.id, service.id)).toMatchObject({ allowed: true, path: { via: 'mandate', scope: 'provider' } })
  })

  it('When the service does not exist, then the answer says so', async () => {
    const { client } = await setting()
    const person = await f.person('EH3')

    expect(await check(t.db, person.id, client.id, '00000000-0000-4000-8000-000000000000')).toEqual({ allowed: false, reason: 'unknownService' })
  })
})

async function chainSetting(chain: Parameters<typeof f.chain>[0] extends infer C ? Partial<C> : never = {}, required: 'EH3' | 'EH4' = 'EH3') {
  const { client, service, providerId } = await setting(required)
  const intermediary = await f.organisation()
  const employee = await f.person('EH4', { linkTo: intermediary.id })
  const chainMandate = await f.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id, scope: 'all', level: 'EH4', ...chain })
  return { client, service, providerId, intermediary, employee, chainMandate }
}

describe('authorisations.check: chains', () => {
  it('When an employee of the intermediary is assigned under an active chain, then the path is the chain through that intermediary', async () => {
    const s = await chainSetting()
    const assignment = await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id, scope: 'service', serviceId: s.service.id, level: 'EH3' })

    const answer = await check(t.db, s.employee.id, s.client.id, s.service.id)

    expect(answer).toEqual({
      allowed: true,
      level: 'EH3',
      path: {
        via: 'chain',
        scope: 'all',
        chainMandateId: s.chainMandate.id,
        assignmentId: assignment.id,
        intermediary: { id: s.intermediary.id, name: s.intermediary.name, kvkNumber: s.intermediary.kvkNumber },
      },
    })
  })

  it('When the chain is for all services of the provider, then an assignment for its service authorises', async () => {
    const s0 = await setting()
    const intermediary = await f.organisation()
    const employee = await f.person('EH3', { linkTo: intermediary.id })
    const chain = await f.chain({ organisationId: s0.client.id, intermediaryOrganisationId: intermediary.id, scope: 'provider', providerId: s0.providerId })
    await f.assignment({ chainMandateId: chain.id, userId: employee.id, scope: 'provider', providerId: s0.providerId })

    expect(await check(t.db, employee.id, s0.client.id, s0.service.id)).toMatchObject({ allowed: true, path: { via: 'chain', scope: 'provider' } })
  })

  it('When the chain is for one service, then another service is not covered', async () => {
    const s = await chainSetting()
    const other = await f.service('EH3')
    const chain = await f.chain({ organisationId: s.client.id, intermediaryOrganisationId: s.intermediary.id, scope: 'service', serviceId: other.service.id })
    await f.assignment({ chainMandateId: chain.id, userId: s.employee.id, scope: 'service', serviceId: other.service.id })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'none' })
    expect(await check(t.db, s.employee.id, s.client.id, other.service.id)).toMatchObject({ allowed: true, path: { via: 'chain', scope: 'service' } })
  })

  it.each([
    ['revoked', 'revoked' as const],
    ['suspended', 'suspended' as const],
    ['expired', 'expired' as const],
  ])('When the chain above the assignment is %s, then the assignment authorises nothing', async (reason, status) => {
    const s = await chainSetting()
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id })
    await t.db.chainMandate.update({ where: { id: s.chainMandate.id }, data: { status } })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason })
  })

  it("When the assignment's end date has passed, then it is expired even before the expiry job runs", async () => {
    const s = await chainSetting({ validFrom: day({ days: -400 }), validUntil: day({ years: 1 }) })
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id, validFrom: day({ days: -300 }), validUntil: day({ days: -1 }) })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'expired' })
  })

  it('When the assignment itself is revoked, then it authorises nothing', async () => {
    const s = await chainSetting()
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id, status: 'revoked' })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'revoked' })
  })

  it("When the employee's means fell below the assignment's level, then the means is too low", async () => {
    const s = await chainSetting()
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id, level: 'EH4' })
    await t.db.means.updateMany({ where: { userId: s.employee.id }, data: { level: 'EH3' } })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'meansTooLow' })
  })

  it("When the service needs EH4 and the assignment is EH3, then the service's level refuses it", async () => {
    const s = await chainSetting({}, 'EH4')
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id, level: 'EH3' })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'serviceLevel' })
  })

  it('When the person has a direct mandate and a chain, then the direct mandate is the path', async () => {
    const s = await chainSetting()
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id })
    await f.mandate({ userId: s.employee.id, organisationId: s.client.id, scope: 'all' })

    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toMatchObject({ allowed: true, path: { via: 'mandate', scope: 'all' } })
  })
})

describe('authorisations.whoMay', () => {
  it('lists every person allowed, with the path, and leaves out the refused ones', async () => {
    const s = await chainSetting()
    const direct = await f.person('EH3')
    const refused = await f.person('EH3')
    await f.mandate({ userId: direct.id, organisationId: s.client.id, scope: 'service', serviceId: s.service.id })
    await f.mandate({ userId: refused.id, organisationId: s.client.id, scope: 'all', status: 'suspended' })
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id })

    const who = await whoMay(t.db, s.client.id, s.service.id)

    expect([...who.keys()].sort()).toEqual([direct.id, s.employee.id].sort())
    expect(who.get(s.employee.id)?.path).toMatchObject({ via: 'chain', intermediary: { id: s.intermediary.id } })
  })
})

describe('authorisations: a blocked organisation (rule 24)', () => {
  it('When the back office blocks the organisation, then nobody may act for it, by mandate or chain; unblocking restores both', async () => {
    const s = await chainSetting()
    const direct = await f.person('EH3')
    await f.mandate({ userId: direct.id, organisationId: s.client.id, scope: 'service', serviceId: s.service.id })
    await f.assignment({ chainMandateId: s.chainMandate.id, userId: s.employee.id })
    await t.db.organisation.update({ where: { id: s.client.id }, data: { blockedAt: new Date() } })

    expect(await check(t.db, direct.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'organisationBlocked' })
    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'organisationBlocked' })
    expect((await whoMay(t.db, s.client.id, s.service.id)).size).toBe(0)

    await t.db.organisation.update({ where: { id: s.client.id }, data: { blockedAt: null } })
    expect(await check(t.db, direct.id, s.client.id, s.service.id)).toMatchObject({ allowed: true })
    expect((await whoMay(t.db, s.client.id, s.service.id)).size).toBe(2)
  })
})
