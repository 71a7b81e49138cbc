// The rules the database holds itself (prisma/migrations/*_rules): each test here fails when its
// constraint or trigger is dropped. Every test builds its own organisation and people, so the
// tests share one database without touching each other's rows.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Level, MandateKind, MandateScope, MandateStatus } from '../../src/generated/prisma/enums.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { chainFixtures } from '../helpers/chainFixtures.ts'

let t: TestDatabase

beforeAll(async () => {
  t = await createTestDatabase()
})

afterAll(async () => {
  await t?.drop()
})

// ---- fixtures -------------------------------------------------------------------------------

let sequence = 0
function next(): number {
  sequence += 1
  return sequence
}

/** A UTC-midnight Date (what Prisma reads and writes for @db.Date), `days`/`years` from today. */
function day(offset: { days?: number; years?: number } = {}): Date {
  const now = new Date()
  return new Date(Date.UTC(now.getUTCFullYear() + (offset.years ?? 0), now.getUTCMonth(), now.getUTCDate() + (offset.days ?? 0)))
}

function kvk(): string {
  return String(10_000_000 + next() * 7919).slice(0, 8)
}

function digits(length: number, n: number): string {
  return String(n).padStart(length, '0')
}

async function makeOrganisation() {
  return t.db.organisation.create({ data: { kvkNumber: kvk(), name: `Organisatie ${next()}` } })
}

async function makeUser(options: { email?: string; means?: Level | null; meansStatus?: 'active' | 'requested' } = {}) {
  const n = next()
  const user = await t.db.user.create({
    data: {
      firstName: 'Test',
      lastName: `Persoon ${n}`,
      dateOfBirth: new Date(Date.UTC(1980, 0, 1)),
      email: options.email ?? `persoon${n}@example.nl`,
    },
  })
  const level = options.means === undefined ? 'EH4' : options.means
  if (level) {
    await t.db.means.create({
      data: { userId: user.id, level, status: options.meansStatus ?? 'active', validFrom: day(), validUntil: day({ years: 3 }) },
    })
  }
  return user
}

async function makeService(requiredLevel: Level = 'EH2') {
  const n = next()
  const oin = digits(20, 1_000_000 + n)
  const provider = await t.db.serviceProvider.create({ data: { oin, name: `Dienstverlener ${n}` } })
  const service = await t.db.service.create({
    data: { id: randomUUID(), serviceId: `urn:etoegang:DV:${oin}:services:${n}`, name: `Dienst ${n}`, requiredLevel, providerId: provider.id },
  })
  return { provider, service }
}

type MandateInput = {
  userId: string
  organisationId: string
  kind?: MandateKind
  scope?: MandateScope
  serviceId?: string | null
  providerId?: string | null
  level?: Level
  status?: MandateStatus
  validFrom?: Date
  validUntil?: Date
}

function createMandate(input: MandateInput) {
  return t.db.mandate.create({
    data: {
      kind: 'use',
      scope: 'all',
      level: 'EH2',
      status: 'active',
      validFrom: day(),
      validUntil: day({ years: 1 }),
      ...input,
    },
  })
}

/** An organisation and a user holding an active EH4 means (unless told otherwise). */
async function makeHolder(means: Level | null = 'EH4') {
  const organisation = await makeOrganisation()
  const user = await makeUser({ means })
  return { organisation, user, base: { userId: user.id, organisationId: organisation.id } }
}

// ---- organisations --------------------------------------------------------------------------

describe('organisations', () => {
  it('When a second organisation gets an existing KvK number, then it is refused', async () => {
    // Arrange
    const first = await makeOrganisation()

    // Act
    const second = t.db.organisation.create({ data: { kvkNumber: first.kvkNumber, name: 'Dubbel BV' } })

    // Assert
    await expect(second).rejects.toThrow(/organisations_kvk_number_key/)
  })

  it.each(['1234567A', '1234567', 'ABCDEFGH', '1234 567'])('When the KvK number is %j, then it is refused', async (kvkNumber) => {
    // Arrange
    const data = { kvkNumber, name: 'Onjuist BV' }

    // Act
    const created = t.db.organisation.create({ data })

    // Assert
    await expect(created).rejects.toThrow(/organisations_kvk_number_format/)
  })

  it('When the KvK number has 8 digits, then the organisation is stored', async () => {
    // Arrange
    const kvkNumber = kvk()

    // Act
    const organisation = await t.db.organisation.create({ data: { kvkNumber, name: 'Juist BV' } })

    // Assert
    expect(organisation.kvkNumber).toBe(kvkNumber)
  })

  it('When an organisation is renamed, then the change is stored', async () => {
    // Arrange
    const organisation = await makeOrganisation()

    // Act
    const renamed = await t.db.organisation.update({ where: { id: organisation.id }, data: { name: 'Nieuwe Naam BV' } })

    // Assert
    expect(renamed.name).toBe('Nieuwe Naam BV')
    expect(renamed.kvkNumber).toBe(organisation.kvkNumber)
  })

  it('When the KvK number of an organisation is changed, then the update is refused', async () => {
    // Arrange
    const organisation = await makeOrganisation()
    const otherNumber = kvk()

    // Act
    const update = t.db.organisation.update({ where: { id: organisation.id }, data: { kvkNumber: otherNumber } })

    // Assert
    await expect(update).rejects.toThrow(/kvk_number is immutable/)
    const stored = await t.db.organisation.findUniqueOrThrow({ where: { id: organisation.id } })
    expect(stored.kvkNumber).toBe(organisation.kvkNumber)
  })
})

// ---- users ----------------------------------------------------------------------------------

describe('users', () => {
  it('When an e-mail address is stored, then its key is the lower-cased address', async () => {
    // Arrange
    const email = `Mixed.Case${next()}@Example.NL`

    // Act
    const user = await makeUser({ email, means: null })

    // Assert
    expect(user.email).toBe(email)
    expect(user.emailKey).toBe(email.toLowerCase())
  })

  it('When a second user gets the same e-mail address in another case, then it is refused', async () => {
    // Arrange
    const n = next()
    await makeUser({ email: `A${n}@x.nl`, means: null })

    // Act
    const second = makeUser({ email: `a${n}@X.nl`, means: null })

    // Assert
    await expect(second).rejects.toThrow(/users_email_key_key/)
  })

  it('When an existing user changes to another user’s address in another case, then it is refused', async () => {
    // Arrange
    const n = next()
    await makeUser({ email: `b${n}@x.nl`, means: null })
    const other = await makeUser({ means: null })

    // Act
    const update = t.db.user.update({ where: { id: other.id }, data: { email: `B${n}@X.NL` } })

    // Assert
    await expect(update).rejects.toThrow(/users_email_key_key/)
  })
})

// ---- terms ----------------------------------------------------------------------------------

describe('means and mandate terms', () => {
  it.each([
    ['on the start date', 0],
    ['before the start date', -1],
  ])('When a means ends %s, then it is refused', async (_label, days) => {
    // Arrange
    const user = await makeUser({ means: null })

    // Act
    const created = t.db.means.create({
      data: { userId: user.id, level: 'EH3', status: 'active', validFrom: day({ days: 10 }), validUntil: day({ days: 10 + days }) },
    })

    // Assert
    await expect(created).rejects.toThrow(/means_term/)
  })

  it('When a means ends more than 5 years ahead, then it is refused', async () => {
    // Arrange
    const user = await makeUser({ means: null })

    // Act
    const created = t.db.means.create({
      data: { userId: user.id, level: 'EH3', status: 'active', validFrom: day(), validUntil: day({ years: 5, days: 2 }) },
    })

    // Assert
    await expect(created).rejects.toThrow(/term longer than 5 years/)
  })

  it('When a means is extended to more than 5 years ahead, then the update is refused', async () => {
    // Arrange
    const user = await makeUser({ means: null })
    const means = await t.db.means.create({
      data: { userId: user.id, level: 'EH3', status: 'active', validFrom: day(), validUntil: day({ years: 1 }) },
    })

    // Act
    const update = t.db.means.update({ where: { id: means.id }, data: { validUntil: day({ years: 5, days: 2 }) } })

    // Assert
    await expect(update).rejects.toThrow(/term longer than 5 years/)
  })

  it('When a means ends just within 5 years, then it is stored', async () => {
    // Arrange
    const user = await makeUser({ means: null })
    const validUntil = day({ years: 5, days: -2 })

    // Act
    const means = await t.db.means.create({ data: { userId: user.id, level: 'EH3', status: 'active', validFrom: day(), validUntil } })

    // Assert
    expect(means.validUntil).toEqual(validUntil)
  })

  it('When a mandate ends on its start date, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder()

    // Act
    const created = createMandate({ ...base, validFrom: day({ days: 3 }), validUntil: day({ days: 3 }) })

    // Assert
    await expect(created).rejects.toThrow(/mandates_term/)
  })

  it('When a mandate ends more than 5 years ahead, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder()

    // Act
    const created = createMandate({ ...base, validFrom: day(), validUntil: day({ years: 5, days: 2 }) })

    // Assert
    await expect(created).rejects.toThrow(/term longer than 5 years/)
  })

  it('When a mandate starting later ends more than 5 years after its start, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder()

    // Act
    const created = createMandate({ ...base, validFrom: day({ years: 1 }), validUntil: day({ years: 6, days: 2 }) })

    // Assert
    await expect(created).rejects.toThrow(/term longer than 5 years/)
  })

  it('When a mandate is given a new end date, then neither the key nor the term trigger runs for it; a status change, a new scope or a term past 5 years still runs them', async () => {
    // Arrange: the trigger functions' calls counted within one transaction (pg_stat_get_xact_function_calls)
    const { base } = await makeHolder('EH4')
    const { provider } = await makeService()
    const mandate = await createMandate({ ...base })
    const calls = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`set local track_functions = 'pl'`)
      const count = async () => {
        const [row] = await tx.$queryRaw<{ keys: bigint | null; term: bigint | null }[]>`
          select pg_stat_get_xact_function_calls('mandates_set_keys'::regproc) as keys,
                 pg_stat_get_xact_function_calls('check_term_at_most_five_years'::regproc) as term`
        return [Number(row!.keys ?? 0), Number(row!.term ?? 0)]
      }

      // Act: a renewal as the bulk statement writes it (status and start named, unchanged), a suspend, a new scope
      await tx.$executeRaw`update mandates set valid_until = valid_until + 30, valid_from = valid_from, status = status where id = ${mandate.id}::uuid`
      const afterRenewal = await count()
      await tx.$executeRaw`update mandates set status = 'suspended' where id = ${mandate.id}::uuid`
      const afterSuspend = await count()
      await tx.$executeRaw`update mandates set scope = 'provider', provider_id = ${provider.id}::uuid where id = ${mandate.id}::uuid`
      const [row] = await tx.$queryRaw<{ scope_key: string; live: boolean | null }[]>`select scope_key, live from mandates where id = ${mandate.id}::uuid`
      return { afterRenewal, afterSuspend, afterScope: await count(), keys: row }
    })
    const tooLong = t.db.mandate.update({ where: { id: mandate.id }, data: { validUntil: day({ years: 5, days: 2 }) } })

    // Assert: [key trigger calls, term trigger calls]; the keys follow the scope and the suspension
    expect(calls).toEqual({ afterRenewal: [0, 0], afterSuspend: [1, 0], afterScope: [2, 0], keys: { scope_key: `provider:${provider.id}`, live: null } })
    await expect(tooLong).rejects.toThrow(/term longer than 5 years/)
  })

  it('When a mandate ends just within 5 years, then it is stored', async () => {
    // Arrange
    const { base } = await makeHolder()
    const validUntil = day({ years: 5, days: -2 })

    // Act
    const mandate = await createMandate({ ...base, validUntil })

    // Assert
    expect(mandate.validUntil).toEqual(validUntil)
  })
})

// ---- mandate scope --------------------------------------------------------------------------

describe('mandate scope', () => {
  it('When each scope names exactly its own target, then the mandates are stored with their scope keys', async () => {
    // Arrange
    const { base } = await makeHolder()
    const { provider, service } = await makeService()

    // Act
    const all = await createMandate({ ...base, scope: 'all' })
    const byProvider = await createMandate({ ...base, scope: 'provider', providerId: provider.id })
    const byService = await createMandate({ ...base, scope: 'service', serviceId: service.id })

    // Assert
    expect(all.scopeKey).toBe('all')
    expect(byProvider.scopeKey).toBe(`provider:${provider.id}`)
    expect(byService.scopeKey).toBe(`service:${service.id}`)
    expect([all.live, byProvider.live, byService.live]).toEqual([true, true, true])
  })

  it.each([
    ['service', 'without a service'],
    ['provider', 'without a provider'],
  ] as const)('When a %s-scoped mandate is made %s, then it is refused', async (scope, _label) => {
    // Arrange
    const { base } = await makeHolder()

    // Act
    const created = createMandate({ ...base, scope })

    // Assert: the key trigger leaves scope_key NULL here, so NOT NULL refuses the row before
    // mandates_scope_target is checked; either way the database refuses it.
    await expect(created).rejects.toThrow()
    expect(await t.db.mandate.count({ where: base })).toBe(0)
  })

  it.each([
    ['service', 'with a provider too', { service: true, provider: true }],
    ['provider', 'with a service too', { service: true, provider: true }],
    ['all', 'with a service', { service: true }],
    ['all', 'with a provider', { provider: true }],
  ] as const)('When a %s-scoped mandate is made %s, then it is refused', async (scope, _label, targets) => {
    // Arrange
    const { base } = await makeHolder()
    const { provider, service } = await makeService()
    const t1 = targets as { service?: boolean; provider?: boolean }

    // Act
    const created = createMandate({
      ...base,
      scope,
      serviceId: t1.service ? service.id : null,
      providerId: t1.provider ? provider.id : null,
    })

    // Assert
    await expect(created).rejects.toThrow(/mandates_scope_target/)
  })
})

// ---- one live mandate per scope -------------------------------------------------------------

describe('one live mandate per user, organisation, kind and scope', () => {
  it('When a second active mandate is made for the same scope, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder()
    await createMandate({ ...base })

    // Act
    const second = createMandate({ ...base })

    // Assert
    await expect(second).rejects.toThrow(/mandates_one_live_per_scope/)
  })

  it('When a pending mandate is made beside an active one for the same service, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder()
    const { service } = await makeService()
    await createMandate({ ...base, scope: 'service', serviceId: service.id })

    // Act
    const pending = createMandate({ ...base, scope: 'service', serviceId: service.id, status: 'pending' })

    // Assert
    await expect(pending).rejects.toThrow(/mandates_one_live_per_scope/)
  })

  it('When a revoked mandate exists, then an active one for the same scope is accepted', async () => {
    // Arrange
    const { base } = await makeHolder()
    const old = await createMandate({ ...base })
    await t.db.mandate.update({ where: { id: old.id }, data: { status: 'revoked', revokedAt: new Date() } })

    // Act
    const renewed = await createMandate({ ...base })

    // Assert
    const rows = await t.db.mandate.findMany({ where: base, orderBy: { createdAt: 'asc' } })
    expect(rows.map((row) => [row.status, row.live])).toEqual([
      ['revoked', null],
      ['active', true],
    ])
    expect(renewed.status).toBe('active')
  })

  it('When a revoked mandate is made active again beside a new active one, then the update is refused', async () => {
    // Arrange
    const { base } = await makeHolder()
    const old = await createMandate({ ...base, status: 'revoked' })
    await createMandate({ ...base })

    // Act
    const revive = t.db.mandate.update({ where: { id: old.id }, data: { status: 'active' } })

    // Assert
    await expect(revive).rejects.toThrow(/mandates_one_live_per_scope/)
  })

  it('When mandates differ in kind or scope, then both are live', async () => {
    // Arrange
    const { base } = await makeHolder()
    const { provider } = await makeService()
    await createMandate({ ...base, kind: 'use' })

    // Act
    const admin = await createMandate({ ...base, kind: 'admin' })
    const byProvider = await createMandate({ ...base, scope: 'provider', providerId: provider.id })

    // Assert
    expect(admin.live).toBe(true)
    expect(byProvider.live).toBe(true)
  })
})

// ---- levels ---------------------------------------------------------------------------------

describe('mandate levels', () => {
  it('When an active mandate is above the holder’s active means level, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder('EH3')

    // Act
    const created = createMandate({ ...base, level: 'EH4' })

    // Assert
    await expect(created).rejects.toThrow(/above the level of the holder's active means/)
  })

  it('When an active mandate is at the holder’s active means level, then it is stored', async () => {
    // Arrange
    const { base } = await makeHolder('EH3')

    // Act
    const mandate = await createMandate({ ...base, level: 'EH3' })

    // Assert
    expect(mandate.level).toBe('EH3')
  })

  it('When the holder’s only means is not yet active, then an active mandate is refused', async () => {
    // Arrange
    const organisation = await makeOrganisation()
    const user = await makeUser({ means: 'EH4', meansStatus: 'requested' })

    // Act
    const created = createMandate({ userId: user.id, organisationId: organisation.id, level: 'EH2' })

    // Assert
    await expect(created).rejects.toThrow(/above the level of the holder's active means/)
  })

  it('When a mandate is raised above the holder’s means level, then the update is refused', async () => {
    // Arrange
    const { base } = await makeHolder('EH2_PLUS')
    const mandate = await createMandate({ ...base, level: 'EH2' })

    // Act
    const update = t.db.mandate.update({ where: { id: mandate.id }, data: { level: 'EH3' } })

    // Assert
    await expect(update).rejects.toThrow(/above the level of the holder's active means/)
  })

  it('When a pending mandate above the holder’s means level is activated, then the update is refused', async () => {
    // Arrange
    const { base } = await makeHolder('EH2')
    const mandate = await createMandate({ ...base, level: 'EH3', status: 'pending' })

    // Act
    const update = t.db.mandate.update({ where: { id: mandate.id }, data: { status: 'active' } })

    // Assert
    await expect(update).rejects.toThrow(/above the level of the holder's active means/)
  })

  it('When mandates are revoked, suspended or given a new end date, then the level check does not run for them', async () => {
    // Arrange: the check's calls counted within one transaction (pg_stat_get_xact_function_calls)
    const { base } = await makeHolder('EH4')
    const mandate = await createMandate({ ...base, level: 'EH3' })
    const calls = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`set local track_functions = 'pl'`)
      const count = async () =>
        Number((await tx.$queryRaw<{ n: bigint | null }[]>`select pg_stat_get_xact_function_calls('mandates_check_levels'::regproc) as n`)[0]!.n ?? 0)

      // Act: a renewal (status named, unchanged), a suspend, a lift (back to active) and a revoke
      await tx.$executeRaw`update mandates set valid_until = valid_until + 30, status = status where id = ${mandate.id}::uuid`
      const afterRenewal = await count()
      await tx.$executeRaw`update mandates set status = 'suspended' where id = ${mandate.id}::uuid`
      const afterSuspend = await count()
      await tx.$executeRaw`update mandates set status = 'active' where id = ${mandate.id}::uuid`
      const afterLift = await count()
      await tx.$executeRaw`update mandates set status = 'revoked' where id = ${mandate.id}::uuid`
      return { afterRenewal, afterSuspend, afterLift, afterRevoke: await count() }
    })

    // Assert: only the change back to active is checked
    expect(calls).toEqual({ afterRenewal: 0, afterSuspend: 0, afterLift: 1, afterRevoke: 1 })
  })

  it('When a service-scoped mandate is below the service’s required level, then it is refused', async () => {
    // Arrange
    const { base } = await makeHolder('EH4')
    const { service } = await makeService('EH3')

    // Act
    const created = createMandate({ ...base, scope: 'service', serviceId: service.id, level: 'EH2_PLUS' })

    // Assert
    await expect(created).rejects.toThrow(/below the level the service requires/)
  })

  it('When a service-scoped mandate meets the service’s required level, then it is stored', async () => {
    // Arrange
    const { base } = await makeHolder('EH4')
    const { service } = await makeService('EH3')

    // Act
    const mandate = await createMandate({ ...base, scope: 'service', serviceId: service.id, level: 'EH3' })

    // Assert
    expect(mandate.level).toBe('EH3')
  })
})

// ---- audit trail ----------------------------------------------------------------------------

describe('audit trail', () => {
  async function makeEvent() {
    return t.db.auditEvent.create({
      data: { actorLabel: 'test', action: 'test.event', subjectType: 'test', subjectId: String(next()) },
    })
  }

  it('When an audit event is written, then it is stored', async () => {
    // Arrange / Act
    const event = await makeEvent()

    // Assert
    expect(await t.db.auditEvent.count({ where: { id: event.id } })).toBe(1)
  })

  it('When an audit event is updated, then the update is refused', async () => {
    // Arrange
    const event = await makeEvent()

    // Act
    const update = t.db.auditEvent.update({ where: { id: event.id }, data: { action: 'test.changed' } })

    // Assert
    await expect(update).rejects.toThrow(/audit_events is append-only/)
    const stored = await t.db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })
    expect(stored.action).toBe('test.event')
  })

  it('When an audit event is deleted, then the delete is refused', async () => {
    // Arrange
    const event = await makeEvent()

    // Act
    const removal = t.db.auditEvent.delete({ where: { id: event.id } })

    // Assert
    await expect(removal).rejects.toThrow(/audit_events is append-only/)
    expect(await t.db.auditEvent.count({ where: { id: event.id } })).toBe(1)
  })

  it('When the audit table is truncated, then it is refused', async () => {
    // Arrange
    await makeEvent()

    // Act
    const truncate = t.db.$executeRawUnsafe('truncate table audit_events')

    // Assert
    await expect(truncate).rejects.toThrow(/audit_events is append-only/)
  })
})

// ---- applications ---------------------------------------------------------------------------

describe('application term', () => {
  it.each([2, 4, 0, 10])('When an application asks for a term of %i years, then it is refused', async (termYears) => {
    // Arrange
    const organisation = await makeOrganisation()

    // Act
    const created = t.db.application.create({ data: { organisationId: organisation.id, type: 'new_means', level: 'EH3', termYears } })

    // Assert
    await expect(created).rejects.toThrow(/applications_term_years/)
  })

  it('When an application asks for 1, 3 or 5 years or none, then it is stored', async () => {
    // Arrange
    const organisation = await makeOrganisation()

    // Act
    const stored = await Promise.all(
      [1, 3, 5, null].map((termYears) => t.db.application.create({ data: { organisationId: organisation.id, type: 'new_means', level: 'EH3', termYears } })),
    )

    // Assert
    expect(stored.map((application) => application.termYears)).toEqual([1, 3, 5, null])
  })
})

// ---- ketenmachtigingen (rule 20) ------------------------------------------------------------

describe('chain mandates and assignments', () => {
  async function chainBase() {
    const c = chainFixtures(t.db)
    const client = await c.organisation()
    const intermediary = await c.organisation()
    const employee = await c.person('EH4', { linkTo: intermediary.id })
    return { c, client, intermediary, employee }
  }

  it('When an organisation chains to itself, then it is refused', async () => {
    const { c, client } = await chainBase()

    await expect(c.chain({ organisationId: client.id, intermediaryOrganisationId: client.id })).rejects.toThrow(/chain_mandates_not_to_itself/)
  })

  it('When a chain is below EH3, then it is refused', async () => {
    const { c, client, intermediary } = await chainBase()

    await expect(c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id, level: 'EH2_PLUS' })).rejects.toThrow(
      /chain_mandates_level_eh3/,
    )
  })

  it('When a second live chain has the same client, intermediary and scope, then it is refused; after a revoke it is allowed', async () => {
    const { c, client, intermediary } = await chainBase()
    const first = await c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id })

    await expect(c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id })).rejects.toThrow(/chain_mandates_one_live_per_scope/)
    await t.db.chainMandate.update({ where: { id: first.id }, data: { status: 'revoked' } })
    await expect(c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id })).resolves.toBeTruthy()
  })

  it('When a chain runs more than 5 years, then it is refused', async () => {
    const { c, client, intermediary } = await chainBase()

    await expect(
      c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id, validFrom: day(), validUntil: day({ years: 5, days: 1 }) }),
    ).rejects.toThrow(/term longer than 5 years/)
  })

  it('When an assignment holder is not linked to the intermediary, then it is refused', async () => {
    const { c, client, intermediary } = await chainBase()
    const chain = await c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id })
    const outsider = await c.person('EH4')

    await expect(c.assignment({ chainMandateId: chain.id, userId: outsider.id })).rejects.toThrow(/not linked to the intermediary/)
  })

  it("When an assignment is above the chain's level, beyond its end or outside its scope, then it is refused", async () => {
    const { c, client, intermediary, employee } = await chainBase()
    const { service } = await c.service('EH3')
    const other = await c.service('EH3')
    const chain = await c.chain({
      organisationId: client.id,
      intermediaryOrganisationId: intermediary.id,
      scope: 'service',
      serviceId: service.id,
      level: 'EH3',
    })

    await expect(c.assignment({ chainMandateId: chain.id, userId: employee.id, scope: 'service', serviceId: service.id, level: 'EH4' })).rejects.toThrow(
      /above the chain/,
    )
    await expect(
      c.assignment({ chainMandateId: chain.id, userId: employee.id, scope: 'service', serviceId: service.id, validUntil: day({ years: 2 }) }),
    ).rejects.toThrow(/beyond the chain/)
    await expect(c.assignment({ chainMandateId: chain.id, userId: employee.id, scope: 'service', serviceId: other.service.id })).rejects.toThrow(
      /outside the chain/,
    )
    await expect(c.assignment({ chainMandateId: chain.id, userId: employee.id, scope: 'all' })).rejects.toThrow(/outside the chain/)
  })

  it("When an active assignment is above the holder's means or below the service's level, or below EH3, then it is refused", async () => {
    const { c, client, intermediary } = await chainBase()
    const { service } = await c.service('EH4')
    const chain = await c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id, level: 'EH4' })
    const eh3 = await c.person('EH3', { linkTo: intermediary.id })

    await expect(c.assignment({ chainMandateId: chain.id, userId: eh3.id, level: 'EH4' })).rejects.toThrow(/holder''?s active means/)
    await expect(c.assignment({ chainMandateId: chain.id, userId: eh3.id, scope: 'service', serviceId: service.id, level: 'EH3' })).rejects.toThrow(
      /service requires/,
    )
    await expect(c.assignment({ chainMandateId: chain.id, userId: eh3.id, level: 'EH2_PLUS' })).rejects.toThrow(/chain_assignments_level_eh3/)
  })

  it('When an assignment holder has left the intermediary, then the assignment can still be revoked or expired, but not made active again', async () => {
    const { c, client, intermediary, employee } = await chainBase()
    const chain = await c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id })
    const first = await c.assignment({ chainMandateId: chain.id, userId: employee.id })
    await t.db.organisationLink.deleteMany({ where: { userId: employee.id, organisationId: intermediary.id } })

    await expect(t.db.chainAssignment.update({ where: { id: first.id }, data: { status: 'expired' } })).resolves.toMatchObject({ status: 'expired' })
    await expect(t.db.chainAssignment.update({ where: { id: first.id }, data: { status: 'active' } })).rejects.toThrow(/not linked to the intermediary/)
    await expect(t.db.chainAssignment.update({ where: { id: first.id }, data: { status: 'revoked' } })).resolves.toMatchObject({ status: 'revoked' })
  })

  it("When a chain is written or its client is renamed, then the chain's client_name is the client's name", async () => {
    const { c, client, intermediary } = await chainBase()
    const chain = await c.chain({ organisationId: client.id, intermediaryOrganisationId: intermediary.id })
    expect((await t.db.chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).clientName).toBe(client.name)

    await t.db.organisation.update({ where: { id: client.id }, data: { name: 'Hernoemd B.V.' } })
    await t.db.chainMandate.update({ where: { id: chain.id }, data: { clientName: 'iets anders' } })

    expect((await t.db.chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).clientName).toBe('Hernoemd B.V.')
  })
})

// ---- API clients' SCIM tokens ---------------------------------------------------------------

describe('API client SCIM token', () => {
  it('When a SCIM token lacks its issue time, or a revoked client keeps one, then it is refused', async () => {
    const organisation = await makeOrganisation()
    const admin = await makeUser()
    const base = { organisationId: organisation.id, name: 'Okta', scopes: ['users:write'], level: 'EH2' as const, secretHash: '0'.repeat(64) }
    const client = await t.db.apiClient.create({ data: { ...base, validUntil: day({ years: 1 }), createdById: admin.id } })
    const where = { id: client.id }

    await expect(t.db.apiClient.update({ where, data: { scimTokenHash: 'a'.repeat(64) } })).rejects.toThrow(/api_clients_scim_token_issued/)
    await expect(t.db.apiClient.update({ where, data: { scimTokenIssuedAt: new Date() } })).rejects.toThrow(/api_clients_scim_token_issued/)
    const issued = { scimTokenHash: 'a'.repeat(64), scimTokenIssuedAt: new Date() }
    await expect(t.db.apiClient.update({ where, data: issued })).resolves.toMatchObject(issued)
    await expect(t.db.apiClient.update({ where, data: { revokedAt: new Date() } })).rejects.toThrow(/api_clients_scim_token_not_revoked/)
    const revoked = { revokedAt: new Date(), scimTokenHash: null, scimTokenIssuedAt: null }
    await expect(t.db.apiClient.update({ where, data: revoked })).resolves.toMatchObject({ scimTokenHash: null })
  })
})
