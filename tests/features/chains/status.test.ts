// Schorsen, opheffen and intrekken of a ketenmachtiging through ChainStatusService (rules 18, 20, 21):
// what suspension does to the assignments below it, what lifting refuses, and the digest binding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, RuleViolation } from '../../../src/errors.ts'
import { ChainStatusService } from '../../../src/features/chains/chainStatusService.ts'
import type { Actor } from '../../../src/shared/actor.ts'
import { check } from '../../../src/shared/authorisations.ts'
import { chainFixtures, day } from '../../helpers/chainFixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
let f: ReturnType<typeof chainFixtures>
let service: ChainStatusService
beforeAll(async () => {
  t = await createTestDatabase()
  f = chainFixtures(t.db)
  service = new ChainStatusService(t.db)
})
afterAll(async () => {
  await t?.drop()
})

async function setting(options: { adminLevel?: 'EH3' | 'EH4'; validUntil?: Date } = {}) {
  const client = await f.organisation()
  const intermediary = await f.organisation()
  const employee = await f.person('EH3', { linkTo: intermediary.id })
  const svc = (await f.service('EH3')).service
  const chain = await f.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id, validUntil: options.validUntil ?? day({ years: 1 }) })
  const assignment = await f.assignment({ chainMandateId: chain.id, userId: employee.id, validUntil: options.validUntil ?? day({ years: 1 }) })
  const admin = await f.person('EH4')
  const actor: Actor = {
    principal: {
      id: admin.id,
      email: 'admin@test.example',
      name: 'Admin',
      role: 'user',
      locale: 'nl',
      adminOrganisations: [{ id: client.id, name: client.name, kvkNumber: client.kvkNumber, level: options.adminLevel ?? 'EH4' }],
    },
    label: 'test',
    ipAddress: null,
    requestId: null,
    locale: 'nl',
  }
  return { client, intermediary, employee, service: svc, chain, assignment, actor, principal: actor.principal! }
}

describe('ChainStatusService', () => {
  it('When the chain is suspended, then the assignment below it stays as it was but authorises nothing; lifting restores it', async () => {
    const s = await setting()
    const shown = await service.confirmation(s.principal, s.chain.id, 'suspend')
    expect(shown).toMatchObject({ count: 1, refusal: null })

    await service.suspend(s.actor, s.chain.id, shown.digest)

    expect((await t.db.chainAssignment.findUniqueOrThrow({ where: { id: s.assignment.id } })).status).toBe('active')
    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toEqual({ allowed: false, reason: 'suspended' })
    expect((await service.confirmation(s.principal, s.chain.id, 'suspend')).refusal).toBe('chains:errors.alreadySuspended')
    const lift = await service.confirmation(s.principal, s.chain.id, 'lift')
    await service.lift(s.actor, s.chain.id, lift.digest)
    expect(await check(t.db, s.employee.id, s.client.id, s.service.id)).toMatchObject({ allowed: true, path: { via: 'chain' } })
  })

  it('When an assignment changed after the page was shown, then the action changes nothing (ConflictError)', async () => {
    const s = await setting()
    const shown = await service.confirmation(s.principal, s.chain.id, 'revoke')
    await t.db.chainAssignment.update({ where: { id: s.assignment.id }, data: { level: 'EH3', updatedAt: new Date(Date.now() + 1000) } })

    await expect(service.revoke(s.actor, s.chain.id, shown.digest)).rejects.toBeInstanceOf(ConflictError)
    expect((await t.db.chainMandate.findUniqueOrThrow({ where: { id: s.chain.id } })).status).toBe('active')
  })

  it('When the admin is below the chain level (rule 2), or another live chain for the scope was given meanwhile, then lifting is refused', async () => {
    const s = await setting({ adminLevel: 'EH3' })
    await t.db.chainMandate.update({ where: { id: s.chain.id }, data: { level: 'EH4', status: 'suspended' } })
    await expect(service.lift(s.actor, s.chain.id, (await service.confirmation(s.principal, s.chain.id, 'lift')).digest)).rejects.toBeInstanceOf(RuleViolation)

    const other = await setting()
    await t.db.chainMandate.update({ where: { id: other.chain.id }, data: { status: 'suspended' } })
    await f.chain({ organisationId: other.client.id, intermediaryOrganisationId: other.intermediary.id })
    const lift = await service.confirmation(other.principal, other.chain.id, 'lift')
    await expect(service.lift(other.actor, other.chain.id, lift.digest)).rejects.toMatchObject({ messageKey: 'chains:errors.liveExists' })
  })

  it('When the chain belongs to another organisation, then it answers 404 (rule 7)', async () => {
    const s = await setting()
    const stranger = await setting()
    await expect(service.confirmation(stranger.principal, s.chain.id, 'suspend')).rejects.toMatchObject({ status: 404 })
  })
})
