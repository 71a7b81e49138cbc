// The daily expiry scan and ketenmachtigingen (rules 15, 18, 20): notices to the admins of both sides
// two months, one month and one week before the end, once each; after the end the chain and every
// assignment under it expire, audited on both organisations' Logboek.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ExpiryService } from '../../../src/features/expiry/expiryService.ts'
import { addDays, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { links } from '../../../src/paths.ts'
import { check } from '../../../src/shared/authorisations.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
let expiry: ExpiryService
const today = todayUtc()
const ids = { bakkerij: '', kantoor: '', chain: '', sophie: '', sanne: '', johan: '', service: '', assignment: '' }

beforeAll(async () => {
  t = await createTestDatabase({ demo: true })
  expiry = new ExpiryService(t.db)
  const org = (kvk: string) => t.db.organisation.findUniqueOrThrow({ where: { kvkNumber: kvk } })
  const user = (email: string) => t.db.user.findUniqueOrThrow({ where: { emailKey: email } })
  ids.bakkerij = (await org('86231457')).id
  ids.kantoor = (await org('81937204')).id
  ids.sophie = (await user('sophie.kramer@demo.example')).id
  ids.sanne = (await user('sanne.devries@demo.example')).id
  ids.johan = (await user('johan.vandijk@demo.example')).id
  // The demo's ketenmachtiging of Bakkerij De Vries to the demo intermediary (Belastingdienst), ending in 45 days.
  const chain = await t.db.chainMandate.findFirstOrThrow({ where: { organisationId: ids.bakkerij, intermediaryOrganisationId: ids.kantoor, status: 'active' } })
  ids.chain = chain.id
  await t.db.chainMandate.update({ where: { id: chain.id }, data: { validUntil: addDays(today, 45) } })
  ids.service = (await t.db.service.findFirstOrThrow({ where: { providerId: chain.providerId!, requiredLevel: 'EH3' } })).id
  const assignment = await t.db.chainAssignment.create({
    data: {
      chainMandateId: chain.id,
      userId: ids.sophie,
      scope: 'provider',
      providerId: chain.providerId,
      level: 'EH3',
      validFrom: addDays(today, -1),
      validUntil: addDays(today, 45),
    },
  })
  ids.assignment = assignment.id
})
afterAll(async () => {
  await t.drop()
})

const chainNotices = async () =>
  t.db.outgoingMail.findMany({ where: { template: 'chain-expiry-notice', idempotencyKey: { startsWith: `expiry:chain:${ids.chain}:` } } })

describe('expiry scan: ketenmachtigingen', () => {
  beforeEach(async () => {
    // Other demo items' notices and digests are not what these tests look at.
    await t.db.outgoingMail.deleteMany({ where: { template: { not: 'chain-expiry-notice' } } })
  })

  it("When a chain ends in 45 days, then the client's admin and the intermediary's admin each get the two-month notice, with a link to their own page", async () => {
    const result = await expiry.scan({ today })

    expect(result.chainNotices).toBeGreaterThanOrEqual(2)
    const end = isoDate(addDays(today, 45))
    const mails = await chainNotices()
    expect(mails.map((m) => m.idempotencyKey).sort()).toEqual(
      [`expiry:chain:${ids.chain}:2m:${end}:client:${ids.sanne}`, `expiry:chain:${ids.chain}:2m:${end}:intermediary:${ids.johan}`].sort(),
    )
    const client = mails.find((m) => m.toAddress === 'sanne.devries@demo.example')!
    expect(client.data).toMatchObject({
      role: 'client',
      threshold: '2m',
      validUntil: end,
      clientName: 'Bakkerij De Vries B.V.',
      intermediaryName: 'Administratiekantoor Van Dijk & Partners B.V.',
      scope: 'provider',
      providerName: 'Belastingdienst',
      level: 'EH3',
      path: links.chains(),
    })
    const intermediary = mails.find((m) => m.toAddress === 'johan.vandijk@demo.example')!
    expect(intermediary.data).toMatchObject({ role: 'intermediary', path: links.chainClient(ids.chain) })
  })

  it('When the scan runs again the same day, then no chain notice is queued twice', async () => {
    const before = (await chainNotices()).length

    const result = await expiry.scan({ today })

    expect(result).toMatchObject({ chainNotices: 0, expiredChains: 0, expiredChainAssignments: 0 })
    expect((await chainNotices()).length).toBe(before)
  })

  it('When the days pass, then the one-month and one-week notices follow once each, and after the end the chain and its assignment expire, audited on both sides', async () => {
    const end = isoDate(addDays(today, 45))
    let expired = { chains: 0, assignments: 0 }
    for (let d = 1; d <= 46; d++) {
      const result = await expiry.scan({ today: addDays(today, d) })
      expired = { chains: expired.chains + result.expiredChains, assignments: expired.assignments + result.expiredChainAssignments }
    }

    const keys = (await chainNotices()).map((m) => m.idempotencyKey).sort()
    expect(keys).toEqual(
      ['2m', '1m', '1w']
        .flatMap((th) => [`expiry:chain:${ids.chain}:${th}:${end}:client:${ids.sanne}`, `expiry:chain:${ids.chain}:${th}:${end}:intermediary:${ids.johan}`])
        .sort(),
    )
    expect(expired.chains).toBeGreaterThanOrEqual(1)
    expect((await t.db.chainMandate.findUniqueOrThrow({ where: { id: ids.chain } })).status).toBe('expired')
    expect((await t.db.chainAssignment.findUniqueOrThrow({ where: { id: ids.assignment } })).status).toBe('expired')
    const audit = await t.db.auditEvent.findMany({ where: { subjectId: { in: [ids.chain, ids.assignment] }, action: { endsWith: '.expired' } } })
    expect(audit.map((a) => `${a.action}@${a.organisationId}`).sort()).toEqual(
      [
        `chain.expired@${ids.bakkerij}`,
        `chain.expired@${ids.kantoor}`,
        `chain-assignment.expired@${ids.bakkerij}`,
        `chain-assignment.expired@${ids.kantoor}`,
      ].sort(),
    )
    expect(audit.every((a) => a.actorLabel.includes('systeem'))).toBe(true)
    expect(await check(t.db, ids.sophie, ids.bakkerij, ids.service, addDays(today, 46))).toEqual({ allowed: false, reason: 'expired' })
  })

  it('When an assignment holder has left the intermediary before the chain ends, then the scan still expires the chain and the assignment', async () => {
    const chain = await t.db.chainMandate.findFirstOrThrow({ where: { intermediaryOrganisationId: ids.kantoor, status: 'active', scope: 'service' } })
    const assignment = await t.db.chainAssignment.create({
      data: {
        chainMandateId: chain.id,
        userId: ids.sophie,
        scope: 'service',
        serviceId: chain.serviceId,
        level: 'EH3',
        validFrom: addDays(today, -1),
        validUntil: chain.validUntil,
      },
    })
    await t.db.organisationLink.deleteMany({ where: { userId: ids.sophie, organisationId: ids.kantoor } })

    const result = await expiry.scan({ today: addDays(chain.validUntil, 1) })

    expect(result.expiredChains).toBeGreaterThanOrEqual(1)
    expect((await t.db.chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).status).toBe('expired')
    expect((await t.db.chainAssignment.findUniqueOrThrow({ where: { id: assignment.id } })).status).toBe('expired')
  })
})
