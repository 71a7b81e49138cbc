import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotFoundError, RuleViolation } from '../../../src/errors.ts'
import { MandateLifecycleService } from '../../../src/features/mandates/lifecycleService.ts'
import { MandateListService } from '../../../src/features/mandates/listService.ts'
import { DEFAULT_PAGE_SIZE } from '../../../src/features/mandates/model.ts'
import { MandateWizardService } from '../../../src/features/mandates/wizardService.ts'
import { addYearsClamped } from '../../../src/domain/terms.ts'
import { todayUtc } from '../../../src/domain/dates.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'
import { actorFor, demo, mandateOf, yearsFromToday } from './helpers.ts'

let t: TestDatabase
let list: MandateListService
let wizard: MandateWizardService
let lifecycle: MandateLifecycleService
let d: Awaited<ReturnType<typeof demo>>
beforeAll(async () => {
  t = await createTestDatabase({ demo: true, poolSize: 6 })
  list = new MandateListService(t.db)
  wizard = new MandateWizardService(t.db)
  lifecycle = new MandateLifecycleService(t.db)
  d = await demo(t.db)
})
afterAll(async () => {
  await t.drop()
})

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a refusal')
}

async function expectRule(promise: Promise<unknown>, key: string) {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(RuleViolation)
  expect((error as RuleViolation).messageKey).toBe(key)
}

const audits = (subjectId: string) => t.db.auditEvent.count({ where: { subjectId } })
const today = () => todayUtc()

describe('grant', () => {
  it('When an admin grants a linked user a mandate for all services, then it is active with an audit entry and a mail (rule 14)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const mailsBefore = await t.db.outgoingMail.count({ where: { template: 'mandates-granted' } })
    const result = await wizard.grant(actor, {
      organisationId: d.bakkerij,
      userId: d.ingrid,
      level: 'EH3',
      termYears: 3,
      branchId: null,
      items: [{ scope: 'all' }],
    })
    expect(result.status).toBe('active')
    const m = await t.db.mandate.findUniqueOrThrow({ where: { id: result.mandates[0]!.id } })
    expect(m.scope).toBe('all')
    expect(m.validFrom).toEqual(today())
    expect(m.validUntil).toEqual(addYearsClamped(today(), 3))
    expect(await audits(m.id)).toBe(1)
    expect(await t.db.outgoingMail.count({ where: { template: 'mandates-granted' } })).toBe(mailsBefore + 1)
  })

  it('When several services are requested at once, then each gets its own mandate in one request', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const result = await wizard.grant(actor, {
      organisationId: d.holding,
      userId: d.ingrid,
      level: 'EH3',
      termYears: 1,
      branchId: null,
      items: [
        { scope: 'service', serviceId: await d.service('mijn.rvo.nl') },
        { scope: 'provider', providerId: await d.provider('Kamer van Koophandel') },
      ],
    })
    expect(result.mandates).toHaveLength(2)
  })

  it("When the level is above the holder's active means, then the grant is refused (rule 1)", async () => {
    const actor = await actorFor(t.db, d.sanne)
    await expectRule(
      wizard.grant(actor, { organisationId: d.bakkerij, userId: d.jan, level: 'EH3', termYears: 1, branchId: null, items: [{ scope: 'all' }] }),
      'mandates:errors.meansLevel',
    )
  })

  it("When the level is above the admin's own admin mandate, then the grant is refused (rule 2)", async () => {
    const actor = await actorFor(t.db, d.sanne)
    await expectRule(
      wizard.grant(actor, { organisationId: d.holding, userId: d.ingrid, level: 'EH4', termYears: 1, branchId: null, items: [{ scope: 'all' }] }),
      'mandates:errors.adminLevel',
    )
  })

  it('When the admin grants for an organisation he does not administer, then it does not exist (rules 2 and 7)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const error = await rejection(
      wizard.grant(actor, { organisationId: d.bakker, userId: d.ahmed, level: 'EH2', termYears: 1, branchId: null, items: [{ scope: 'all' }] }),
    )
    expect(error).toBeInstanceOf(NotFoundError)
  })

  it("When the user is linked to none of the admin's organisations, then it does not exist (rule 7)", async () => {
    const actor = await actorFor(t.db, d.sanne)
    const error = await rejection(
      wizard.grant(actor, { organisationId: d.bakkerij, userId: d.ahmed, level: 'EH2', termYears: 1, branchId: null, items: [{ scope: 'all' }] }),
    )
    expect(error).toBeInstanceOf(NotFoundError)
  })

  it('When the term is not 1, 3 or 5 years, then the grant is refused (rule 4)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    await expectRule(
      wizard.grant(actor, { organisationId: d.bakkerij, userId: d.jan, level: 'EH2', termYears: 2, branchId: null, items: [{ scope: 'all' }] }),
      'mandates:errors.term',
    )
  })

  it('When a service requires a higher level than the mandate, then it is refused (rule 5)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const mbd = await d.service('Mijn Belastingdienst Zakelijk')
    await expectRule(
      wizard.grant(actor, {
        organisationId: d.bakkerij,
        userId: d.jan,
        level: 'EH2_PLUS',
        termYears: 1,
        branchId: null,
        items: [{ scope: 'service', serviceId: mbd }],
      }),
      'mandates:errors.serviceLevel',
    )
  })

  it('When the service is not in the catalogue, then it is refused (rule 5)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    await expectRule(
      wizard.grant(actor, {
        organisationId: d.bakkerij,
        userId: d.jan,
        level: 'EH2',
        termYears: 1,
        branchId: null,
        items: [{ scope: 'service', serviceId: '00000000-0000-4000-8000-000000000000' }],
      }),
      'mandates:errors.unknownService',
    )
  })

  it('When the branch belongs to another organisation, then it is refused; a branch of the organisation is accepted (rule 6)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const foreign = await t.db.branch.findFirstOrThrow({ where: { organisationId: d.bakker } })
    const own = await t.db.branch.findFirstOrThrow({ where: { organisationId: d.bakkerij } })
    const item = {
      scope: 'service' as const,
      serviceId: await d.service('Justis VOG-aanvraag (werkgevers)').catch(() => d.service('Verklaring Omtrent het Gedrag (VOG) klaarzetten')),
    }
    await expectRule(
      wizard.grant(actor, {
        organisationId: d.bakkerij,
        userId: d.mark,
        level: 'EH2',
        termYears: 1,
        branchId: foreign.id,
        items: [{ scope: 'provider', providerId: await d.provider('UWV') }],
      }),
      'mandates:errors.branch',
    )
    const ok = await wizard.grant(actor, { organisationId: d.bakkerij, userId: d.fatma, level: 'EH2_PLUS', termYears: 1, branchId: own.id, items: [item] })
    expect((await t.db.mandate.findUniqueOrThrow({ where: { id: ok.mandates[0]!.id } })).branchId).toBe(own.id)
  })

  it('When a live mandate for the same scope exists, then the grant says it already exists', async () => {
    const actor = await actorFor(t.db, d.sanne)
    await expectRule(
      wizard.grant(actor, {
        organisationId: d.bakkerij,
        userId: d.fatma,
        level: 'EH3',
        termYears: 1,
        branchId: null,
        items: [{ scope: 'service', serviceId: await d.service('Mijn Belastingdienst Zakelijk') }],
      }),
      'mandates:errors.exists',
    )
  })

  it('When an unlinked user managed elsewhere is chosen, then nothing is written or mailed until the grant; the grant makes the link request, its mail and the waiting mandates together (rule 8)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const mailsBefore = await t.db.outgoingMail.count({ where: { template: 'link-request' } })
    const chosen = await wizard.chooseHolder(actor, d.holding, d.jan)
    expect(chosen.linkRequestNeeded).toBe(true)
    expect(await t.db.linkRequest.count({ where: { userId: d.jan, organisationId: d.holding, status: 'pending' } })).toBe(0)
    expect(await t.db.outgoingMail.count({ where: { template: 'link-request' } })).toBe(mailsBefore)
    const result = await wizard.grant(actor, {
      organisationId: d.holding,
      userId: d.jan,
      level: 'EH2_PLUS',
      termYears: 1,
      branchId: null,
      items: [{ scope: 'all' }],
    })
    expect(result.status).toBe('pending')
    expect(result.linkRequestCreated).toBe(true)
    const request = await t.db.linkRequest.findFirstOrThrow({ where: { userId: d.jan, organisationId: d.holding, status: 'pending' } })
    expect(request.expiresAt.getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000)
    expect(await t.db.outgoingMail.count({ where: { template: 'link-request', idempotencyKey: `link-request:${request.id}` } })).toBe(1)
    expect(await audits(request.id)).toBe(1)
    // Choosing him again: the request exists, so no second one.
    expect((await wizard.chooseHolder(actor, d.holding, d.jan)).linkRequestNeeded).toBe(false)
  })

  it('When two identical grants run at once, then only one live mandate exists and the other says it exists', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const input = {
      organisationId: d.bakkerij,
      userId: d.mark,
      level: 'EH2' as const,
      termYears: 1,
      branchId: null,
      items: [{ scope: 'provider' as const, providerId: await d.provider('Kamer van Koophandel') }],
    }
    const results = await Promise.allSettled([wizard.grant(actor, input), wizard.grant(actor, input)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(RuleViolation)
    expect(['mandates:errors.exists', 'mandates:errors.existsRace']).toContain((refused.reason as RuleViolation).messageKey)
    expect(await t.db.mandate.count({ where: { userId: d.mark, organisationId: d.bakkerij, scopeKey: { startsWith: 'provider:' }, live: true } })).toBe(1)
  })

  it('When the level step is shown, then only allowed levels are offered with the reason for the others (rules 1 and 2)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const forJan = await wizard.levelChoices(actor.principal!, d.bakkerij, d.jan)
    expect(forJan.choices.map((c) => [c.level, c.reason])).toEqual([
      ['EH2', null],
      ['EH2_PLUS', null],
      ['EH3', 'meansLevel'],
      ['EH4', 'adminLevel'],
    ])
  })
})

describe('revoke', () => {
  it('When an admin revokes a mandate, then it is revoked at once with one audit entry and a mail to the holder (rules 9, 14)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.jan, d.bakkerij, 'mijn.rvo.nl')
    await lifecycle.revoke(actor, m.id)
    const after = await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })
    expect(after.status).toBe('revoked')
    expect(after.revokedAt).not.toBeNull()
    expect(await audits(m.id)).toBe(1)
    expect(await t.db.outgoingMail.count({ where: { template: 'mandate-revoked', idempotencyKey: `mandate-revoked:${m.id}` } })).toBe(1)
  })

  it('When two admins revoke the same mandate at once, then it is revoked once with one audit entry', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.ingrid, d.bakkerij, 'Mijn Kadaster')
    const results = await Promise.allSettled([lifecycle.revoke(actor, m.id), lifecycle.revoke(actor, m.id)])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as RuleViolation).messageKey).toBe('mandates:errors.alreadyRevoked')
    expect(await audits(m.id)).toBe(1)
  })

  it('When an admin revokes a mandate of an organisation he does not administer, then it does not exist and nothing changes (rule 7)', async () => {
    const actor = await actorFor(t.db, d.pieter)
    const m = await mandateOf(t.db, d.fatma, d.bakkerij, 'Aangifte omzetbelasting')
    expect(await rejection(lifecycle.revoke(actor, m.id))).toBeInstanceOf(NotFoundError)
    expect((await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('active')
  })
})

describe('renew', () => {
  it('When a mandate is renewed, then it runs on from its current end date (rule 4)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.fatma, d.bakkerij, 'Aangifte omzetbelasting')
    const [outcome] = await lifecycle.renew(actor, { ids: [m.id] }, 1)
    expect(outcome!.refusal).toBeNull()
    const after = await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })
    expect(after.validUntil).toEqual(addYearsClamped(m.validUntil, 1))
    expect(await audits(m.id)).toBe(1)
  })

  it('When an expired mandate is renewed, then it runs from today and is active again (rule 4)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.jan, d.bakkerij, 'Verklaring Omtrent het Gedrag (VOG) klaarzetten')
    const [outcome] = await lifecycle.renew(actor, { ids: [m.id] }, 1)
    expect(outcome!.refusal).toBeNull()
    const after = await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })
    expect(after.status).toBe('active')
    expect(after.validUntil).toEqual(addYearsClamped(today(), 1))
  })

  it('When the new end would lie more than 5 years ahead, then the renewal is refused (rule 4)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.jan, d.bakkerij, 'Ondernemersloket Zwolle')
    const [outcome] = await lifecycle.renew(actor, { ids: [m.id] }, 5)
    expect(outcome!.refusal).toBe('tooLong')
    expect((await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })).validUntil).toEqual(m.validUntil)
    expect(await audits(m.id)).toBe(0)
  })

  it('When the term is not 1, 3 or 5 years, then the renewal is refused (rule 4)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.jan, d.bakkerij, 'Ondernemersloket Zwolle')
    await expectRule(lifecycle.renew(actor, { ids: [m.id] }, 2), 'mandates:errors.term')
  })

  it('When a revoked mandate is in a bulk renewal, then it is never renewed (rule 9)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const revoked = await mandateOf(t.db, d.fatma, d.bakkerij, 'Aangifte loonheffingen')
    const ok = await mandateOf(t.db, d.fatma, d.bakkerij, 'Mijn Belastingdienst Zakelijk')
    const outcomes = await lifecycle.renew(actor, { ids: [revoked.id, ok.id] }, 1)
    expect(outcomes.find((o) => o.id === revoked.id)!.refusal).toBe('revoked')
    expect(outcomes.find((o) => o.id === ok.id)!.refusal).toBeNull()
    expect((await t.db.mandate.findUniqueOrThrow({ where: { id: revoked.id } })).status).toBe('revoked')
  })

  it("When the holder's means is below the mandate level, then the renewal is refused (rule 1)", async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.ingrid, d.holding, 'Inschrijving wijzigen')
    await t.db.means.updateMany({ where: { userId: d.ingrid, status: 'active' }, data: { level: 'EH2' } })
    try {
      const [outcome] = await lifecycle.renew(actor, { ids: [m.id] }, 1)
      expect(outcome!.refusal).toBe('meansLevel')
      expect(await audits(m.id)).toBe(0)
    } finally {
      await t.db.means.updateMany({ where: { userId: d.ingrid, status: 'active' }, data: { level: 'EH4' } })
    }
  })

  it("When the mandate level is above the admin's own level, then the renewal is refused (rule 2)", async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.ingrid, d.holding, 'UWV Mijn Gegevensdiensten')
    const [outcome] = await lifecycle.renew(actor, { ids: [m.id] }, 1)
    expect(outcome!.refusal).toBe('adminLevel')
  })

  it("When another organisation's mandate ids are given, then nothing is renewed (rule 7)", async () => {
    const actor = await actorFor(t.db, d.pieter)
    const m = await mandateOf(t.db, d.ingrid, d.holding, 'Inschrijving wijzigen')
    expect(await lifecycle.renew(actor, { ids: [m.id] }, 1)).toEqual([])
    expect(await audits(m.id)).toBe(0)
  })

  it('When two admins renew the same mandate at once, then each real change has one audit entry and the result is consistent', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.jan, d.bakkerij, 'Berichtenbox voor bedrijven') // ends in 45 days
    const results = await Promise.all([lifecycle.renew(actor, { ids: [m.id] }, 3), lifecycle.renew(actor, { ids: [m.id] }, 3)])
    const outcomes = results.map((r) => r[0]!)
    expect(outcomes.filter((o) => o.refusal === null)).toHaveLength(1)
    expect(outcomes.filter((o) => o.refusal === 'tooLong')).toHaveLength(1)
    expect((await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })).validUntil).toEqual(addYearsClamped(m.validUntil, 3))
    expect(await audits(m.id)).toBe(1)
  })

  it('When renewing everything matching a filter, then one set-based update renews them and refuses the rest with reasons', async () => {
    const actor = await actorFor(t.db, d.pieter)
    const outcomes = await lifecycle.renew(actor, { filter: { organisationId: d.bakker, inactive: true } }, 1)
    expect(outcomes.length).toBeGreaterThan(3)
    expect(outcomes.some((o) => o.refusal === null)).toBe(true)
    // Ahmed's EH3 mandates are above Pieter's EH2+ admin mandate.
    expect(outcomes.filter((o) => o.userName === 'Ahmed Bouzid').every((o) => o.refusal === 'adminLevel')).toBe(true)
    const renewedIds = outcomes.filter((o) => o.refusal === null).map((o) => o.id)
    expect(await t.db.auditEvent.count({ where: { subjectId: { in: renewedIds }, action: 'mandate.renewed' } })).toBe(renewedIds.length)
  })
  it('When more than twenty mandates are renewed at once, then each gets its audit entry in the one batch insert and the holder one mail', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const taken = (await t.db.mandate.findMany({ where: { userId: d.ingrid, organisationId: d.bakkerij, live: true }, select: { serviceId: true } })).map(
      (m) => m.serviceId,
    )
    const services = await t.db.service.findMany({
      where: { requiredLevel: { in: ['EH2', 'EH2_PLUS', 'EH3'] }, id: { notIn: taken.filter((x): x is string => Boolean(x)) } },
      take: 25,
    })
    expect(services.length).toBe(25)
    const validUntil = yearsFromToday(1)
    await t.db.mandate.createMany({
      data: services.map((s) => ({
        userId: d.ingrid,
        organisationId: d.bakkerij,
        scope: 'service' as const,
        serviceId: s.id,
        level: 'EH3' as const,
        validFrom: today(),
        validUntil,
        status: 'active' as const,
      })),
    })
    const ids = (
      await t.db.mandate.findMany({
        where: { userId: d.ingrid, organisationId: d.bakkerij, serviceId: { in: services.map((s) => s.id) } },
        select: { id: true },
      })
    ).map((m) => m.id)
    const mailsBefore = await t.db.outgoingMail.count({ where: { template: 'renewal-done', toAddress: 'ingrid.mulder@demo.example' } })
    const outcomes = await lifecycle.renew(actor, { ids }, 1)
    expect(outcomes.filter((o) => o.refusal === null)).toHaveLength(25)
    const events = await t.db.auditEvent.findMany({ where: { subjectId: { in: ids }, action: 'mandate.renewed' } })
    expect(events).toHaveLength(25)
    expect(events[0]!.actorId).toBe(d.sanne)
    expect(events[0]!.ipAddress).toBe('127.0.0.1')
    expect((events[0]!.after as { termYears: number }).termYears).toBe(1)
    expect(await t.db.outgoingMail.count({ where: { template: 'renewal-done', toAddress: 'ingrid.mulder@demo.example' } })).toBe(mailsBefore + 1)
  })
})

describe('activate', () => {
  it('When an expired mandate is activated, then it is active from today for the chosen term', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.ingrid, d.holding, 'Aangifte vennootschapsbelasting')
    await lifecycle.activate(actor, m.id, 3)
    const after = await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })
    expect(after.status).toBe('active')
    expect(after.validFrom).toEqual(today())
    expect(after.validUntil).toEqual(addYearsClamped(today(), 3))
    expect(await audits(m.id)).toBe(1)
  })

  it('When a revoked mandate is activated, then it is refused (rule 9)', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await t.db.mandate.findFirstOrThrow({
      where: { userId: (await t.db.user.findFirstOrThrow({ where: { email: 'ruud.peters@demo.example' } })).id, status: 'revoked' },
    })
    await expectRule(lifecycle.activate(actor, m.id, 1), 'mandates:errors.revokedNeverActivated')
    expect((await t.db.mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('revoked')
  })

  it('When an active mandate is activated, then it is refused', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const m = await mandateOf(t.db, d.fatma, d.bakkerij, 'Mijn Belastingdienst Zakelijk')
    await expectRule(lifecycle.activate(actor, m.id, 1), 'mandates:errors.notExpired')
  })
})

describe('list', () => {
  it('When an admin lists mandates, then he sees only his organisations, active and pending by default', async () => {
    const actor = await actorFor(t.db, d.pieter)
    const page = await list.list(actor.principal!, {}, null)
    expect(page.rows.length).toBeGreaterThan(0)
    expect(page.rows.every((r) => r.organisationId === d.bakker)).toBe(true)
    expect(page.rows.every((r) => r.status === 'active' || r.status === 'pending')).toBe(true)
    const all = await list.list(actor.principal!, { inactive: true }, null)
    expect(all.rows.some((r) => r.status === 'suspended')).toBe(true)
  })

  it('When the list is paged, then the keyset cursor walks forward and back without gaps', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const all = { inactive: true, pageSize: 100 }
    const everything = await list.list(actor.principal!, all, null)
    const ids = everything.rows.map((r) => r.id)
    const third = everything.rows[2]!
    const after = await list.list(actor.principal!, all, { direction: 'after', date: third.validUntil.toISOString().slice(0, 10), id: third.id })
    expect(after.rows.map((r) => r.id)).toEqual(ids.slice(3))
    const before = await list.list(actor.principal!, all, { direction: 'before', date: third.validUntil.toISOString().slice(0, 10), id: third.id })
    expect(before.rows.map((r) => r.id)).toEqual(ids.slice(0, 2))
  })

  it('When no page size is chosen, then a page holds 25 rows and the next page continues where it stopped', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const ids = (await list.list(actor.principal!, { inactive: true, pageSize: 100 }, null)).rows.map((r) => r.id)
    expect(ids.length).toBeGreaterThan(DEFAULT_PAGE_SIZE)
    const first = await list.list(actor.principal!, { inactive: true }, null)
    expect(first.rows.map((r) => r.id)).toEqual(ids.slice(0, DEFAULT_PAGE_SIZE))
    expect(first.next).not.toBeNull()
    const second = await list.list(actor.principal!, { inactive: true }, first.next)
    expect(second.rows.map((r) => r.id)).toEqual(ids.slice(DEFAULT_PAGE_SIZE, 2 * DEFAULT_PAGE_SIZE))
    const fifty = await list.list(actor.principal!, { inactive: true, pageSize: 50 }, null)
    expect(fifty.rows.map((r) => r.id)).toEqual(ids.slice(0, 50))
  })

  it('When mandates are listed, then each row names its organisation, service and provider as stored', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const page = await list.list(actor.principal!, { inactive: true, pageSize: 100 }, null)
    const stored = await t.db.mandate.findMany({
      where: { id: { in: page.rows.map((r) => r.id) } },
      select: {
        id: true,
        organisation: { select: { name: true } },
        service: { select: { name: true, provider: { select: { name: true } } } },
        provider: { select: { name: true } },
        branch: { select: { name: true, branchNumber: true } },
      },
    })
    const byId = new Map(stored.map((m) => [m.id, m]))
    expect(page.rows.some((r) => r.scope === 'service') && page.rows.some((r) => r.scope === 'provider')).toBe(true)
    expect(page.rows.some((r) => r.branchName !== null)).toBe(true)
    for (const row of page.rows) {
      const m = byId.get(row.id)!
      expect(row.organisationName).toBe(m.organisation.name)
      expect([row.branchName, row.branchNumber]).toEqual([m.branch?.name ?? null, m.branch?.branchNumber ?? null])
      expect(row.serviceName).toBe(m.service?.name ?? null)
      expect(row.providerName).toBe(m.provider?.name ?? m.service?.provider.name ?? null)
    }
  })

  it('When the list offers its "Dienst" filter, then every service and provider of the catalogue is in it, by name', async () => {
    const catalogue = await list.catalogueForFilter()
    expect(catalogue.services).toHaveLength(await t.db.service.count())
    expect(catalogue.providers).toHaveLength(await t.db.serviceProvider.count())
    const names = catalogue.services.map((s) => s.name)
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'nl')))
    expect(await list.catalogueForFilter()).toBe(catalogue)
  })

  it('When filtered by user, level and scope, then only matching mandates are listed', async () => {
    const actor = await actorFor(t.db, d.sanne)
    const byUser = await list.list(actor.principal!, { user: 'fatma', inactive: true }, null)
    expect(byUser.rows.length).toBeGreaterThan(0)
    expect(byUser.rows.every((r) => r.userName === 'Fatma Yılmaz')).toBe(true)
    const byLevel = await list.list(actor.principal!, { level: 'EH4' }, null)
    expect(byLevel.rows.every((r) => r.level === 'EH4')).toBe(true)
    // With inactive ones the level is an index condition, without them a filter: the same rows.
    for (const level of ['EH2_PLUS', 'EH3'] as const) {
      const everything = await list.list(actor.principal!, { inactive: true, pageSize: 100 }, null)
      const withInactive = await list.list(actor.principal!, { level, inactive: true, pageSize: 100 }, null)
      expect(withInactive.rows.map((r) => r.id)).toEqual(everything.rows.filter((r) => r.level === level).map((r) => r.id))
      const live = await list.list(actor.principal!, { level, pageSize: 100 }, null)
      expect(live.rows.map((r) => r.id)).toEqual(withInactive.rows.filter((r) => r.status === 'active' || r.status === 'pending').map((r) => r.id))
      expect(live.rows.length).toBeGreaterThan(0)
    }
    const all = await list.list(actor.principal!, { scope: 'all', inactive: true }, null)
    expect(all.rows.every((r) => r.scope === 'all')).toBe(true)
  })
})
