import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthService } from '../../../src/features/auth/authService.ts'
import { prismaPageReads } from '../../../src/db/pageReads.ts'
import type { Prisma } from '../../../src/generated/prisma/client.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

let t: TestDatabase
let auth: AuthService
beforeAll(async () => {
  t = await createTestDatabase({ demo: true })
  auth = new AuthService(t.db)
})
afterAll(async () => {
  await t?.drop()
})

const idOf = async (email: string) => (await t.db.user.findUniqueOrThrow({ where: { emailKey: email } })).id

describe('loadPrincipal (every request)', () => {
  it('When an admin of two organisations is loaded, then both come with name, KvK number and level, by name', async () => {
    const principal = await auth.loadPrincipal(await idOf('sanne.devries@demo.example'))
    expect(principal).toMatchObject({ email: 'sanne.devries@demo.example', name: 'Sanne de Vries', role: 'user', locale: 'nl' })
    expect(principal!.adminOrganisations.map((o) => [o.name, o.level])).toEqual([
      ['Bakkerij De Vries B.V.', 'EH3'],
      ['De Vries Holding B.V.', 'EH3'],
    ])
    expect(principal!.adminOrganisations[0]!.kvkNumber).toMatch(/^\d{8}$/)
  })

  it('When an admin mandate is at EH2+, then the level reads EH2_PLUS as everywhere in the code', async () => {
    const principal = await auth.loadPrincipal(await idOf('pieter.bakker@demo.example'))
    expect(principal!.adminOrganisations.map((o) => o.level)).toEqual(['EH2_PLUS'])
  })

  it('When an admin mandate has ended or is revoked, then it gives no admin rights that day', async () => {
    const id = await idOf('pieter.bakker@demo.example')
    const mandate = await t.db.mandate.findFirstOrThrow({ where: { userId: id, kind: 'admin', status: 'active' } })
    const dayAfter = new Date(mandate.validUntil.getTime() + 24 * 60 * 60 * 1000)
    expect((await auth.loadPrincipal(id, mandate.validUntil))!.adminOrganisations).toHaveLength(1)
    expect((await auth.loadPrincipal(id, dayAfter))!.adminOrganisations).toEqual([])
    const before = new Date(mandate.validFrom.getTime() - 24 * 60 * 60 * 1000)
    expect((await auth.loadPrincipal(id, before))!.adminOrganisations).toEqual([])
  })

  it('When a plain user or the back office is loaded, then there are no admin organisations', async () => {
    expect((await auth.loadPrincipal(await idOf('jan.smit@demo.example')))!.adminOrganisations).toEqual([])
    const backoffice = await auth.loadPrincipal(await idOf('backoffice@demo.example'))
    expect(backoffice).toMatchObject({ role: 'backoffice', adminOrganisations: [] })
  })

  it('When the user no longer exists, then there is no principal', async () => {
    expect(await auth.loadPrincipal('00000000-0000-4000-8000-000000000000')).toBeNull()
  })
})

describe('loadPrincipal keeps principals in memory while users.principal_version stays put', () => {
  /** An AuthService of its own (one app process), counting its reads: the probe, or the probe and the full read. */
  function instance() {
    const reads = prismaPageReads(t.db)
    const statements: string[] = []
    const service = new AuthService(t.db, undefined, {
      rows: <T>(query: Prisma.Sql) => {
        statements.push(query.text.includes('json_agg') ? 'full' : 'probe')
        return reads.rows<T>(query)
      },
    })
    return { service, statements }
  }
  const adminMandate = async (userId: string) => t.db.mandate.findFirstOrThrow({ where: { userId, kind: 'admin', status: 'active' }, orderBy: { id: 'asc' } })

  it('When nothing changed, then the second request reads only the version, and gets the same frozen principal', async () => {
    const { service, statements } = instance()
    const id = await idOf('sanne.devries@demo.example')
    const first = await service.loadPrincipal(id)
    const second = await service.loadPrincipal(id)
    expect(statements).toEqual(['probe', 'full', 'probe'])
    expect(second).toBe(first)
    expect(Object.isFrozen(second)).toBe(true)
    expect(Object.isFrozen(second!.adminOrganisations[0])).toBe(true)
  })

  it('When an admin mandate is revoked, then the next request on either of two instances has no admin rights for it', async () => {
    const a = instance()
    const b = instance()
    const id = await idOf('pieter.bakker@demo.example')
    expect((await a.service.loadPrincipal(id))!.adminOrganisations).toHaveLength(1)
    expect((await b.service.loadPrincipal(id))!.adminOrganisations).toHaveLength(1)
    const mandate = await adminMandate(id)
    await t.db.mandate.update({ where: { id: mandate.id }, data: { status: 'revoked', revokedAt: new Date() } })
    try {
      expect((await a.service.loadPrincipal(id))!.adminOrganisations).toEqual([])
      expect((await b.service.loadPrincipal(id))!.adminOrganisations).toEqual([])
    } finally {
      await t.db.mandate.update({ where: { id: mandate.id }, data: { status: 'active', revokedAt: null } })
    }
    expect((await a.service.loadPrincipal(id))!.adminOrganisations).toHaveLength(1)
  })

  it("When an admin mandate's level or end date changes, then the next request has the new level and term", async () => {
    const { service } = instance()
    const id = await idOf('pieter.bakker@demo.example')
    const mandate = await adminMandate(id)
    expect((await service.loadPrincipal(id))!.adminOrganisations[0]!.level).toBe('EH2_PLUS')
    await t.db.mandate.update({ where: { id: mandate.id }, data: { level: 'EH2' } })
    try {
      expect((await service.loadPrincipal(id))!.adminOrganisations[0]!.level).toBe('EH2')
      const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000)
      await t.db.mandate.update({ where: { id: mandate.id }, data: { validUntil: yesterday } })
      expect((await service.loadPrincipal(id))!.adminOrganisations).toEqual([])
    } finally {
      await t.db.mandate.update({ where: { id: mandate.id }, data: { level: mandate.level, validUntil: mandate.validUntil } })
    }
  })

  it('When a new admin mandate is granted, then the next request administers that organisation too', async () => {
    const { service } = instance()
    const id = await idOf('jan.smit@demo.example')
    expect((await service.loadPrincipal(id))!.adminOrganisations).toEqual([])
    const other = await adminMandate(await idOf('pieter.bakker@demo.example'))
    const granted = await t.db.mandate.create({
      data: {
        kind: 'admin',
        userId: id,
        organisationId: other.organisationId,
        scope: 'all',
        level: other.level,
        validFrom: other.validFrom,
        validUntil: other.validUntil,
      },
    })
    try {
      expect((await service.loadPrincipal(id))!.adminOrganisations.map((o) => o.id)).toEqual([other.organisationId])
    } finally {
      await t.db.mandate.delete({ where: { id: granted.id } })
    }
    expect((await service.loadPrincipal(id))!.adminOrganisations).toEqual([])
  })

  it('When the organisation is renamed or blocked (rule 24), then its admins see that on the next request', async () => {
    const { service } = instance()
    const id = await idOf('pieter.bakker@demo.example')
    const mandate = await adminMandate(id)
    const organisation = await t.db.organisation.findUniqueOrThrow({ where: { id: mandate.organisationId } })
    expect((await service.loadPrincipal(id))!.adminOrganisations[0]!.name).toBe(organisation.name)
    await t.db.organisation.update({ where: { id: organisation.id }, data: { name: `${organisation.name} (nieuw)` } })
    try {
      expect((await service.loadPrincipal(id))!.adminOrganisations[0]!.name).toBe(`${organisation.name} (nieuw)`)
      await t.db.organisation.update({ where: { id: organisation.id }, data: { blockedAt: new Date() } })
      expect((await service.loadPrincipal(id))!.adminOrganisations).toEqual([])
    } finally {
      await t.db.organisation.update({ where: { id: organisation.id }, data: { name: organisation.name, blockedAt: null } })
    }
  })

  it("When the person's name, e-mail address, language or role changes, then the next request shows it", async () => {
    const { service } = instance()
    const id = await idOf('jan.smit@demo.example')
    const user = await t.db.user.findUniqueOrThrow({ where: { id } })
    await service.loadPrincipal(id)
    await t.db.user.update({ where: { id }, data: { firstName: 'Johannes', email: 'johannes.smit@demo.example', locale: 'en' } })
    try {
      expect(await service.loadPrincipal(id)).toMatchObject({ name: 'Johannes Smit', email: 'johannes.smit@demo.example', locale: 'en' })
      await t.db.user.update({ where: { id }, data: { role: 'backoffice' } })
      expect((await service.loadPrincipal(id))!.role).toBe('backoffice')
    } finally {
      await t.db.user.update({ where: { id }, data: { firstName: user.firstName, email: user.email, locale: user.locale, role: user.role } })
    }
  })

  it("When the day changes, then the principal is read again (an admin mandate's term starts and ends with a day)", async () => {
    const { service, statements } = instance()
    const id = await idOf('pieter.bakker@demo.example')
    const mandate = await adminMandate(id)
    expect((await service.loadPrincipal(id, mandate.validUntil))!.adminOrganisations).toHaveLength(1)
    const dayAfter = new Date(mandate.validUntil.getTime() + 24 * 60 * 60 * 1000)
    expect((await service.loadPrincipal(id, dayAfter))!.adminOrganisations).toEqual([])
    expect(statements).toEqual(['probe', 'full', 'probe', 'full'])
  })

  it('When a use mandate changes, then the version stays put (a bulk change of use mandates costs no principal reads)', async () => {
    const { service, statements } = instance()
    const id = await idOf('sanne.devries@demo.example')
    await service.loadPrincipal(id)
    const use = await t.db.mandate.findFirstOrThrow({ where: { kind: 'use', status: 'active' } })
    const version = async () => (await t.db.user.findUniqueOrThrow({ where: { id: use.userId } })).principalVersion
    const before = await version()
    await t.db.mandate.update({ where: { id: use.id }, data: { status: 'suspended' } })
    await t.db.mandate.update({ where: { id: use.id }, data: { status: use.status } })
    expect(await version()).toBe(before)
    await service.loadPrincipal(id)
    expect(statements).toEqual(['probe', 'full', 'probe'])
  })

  it('When the person is deleted, then there is no principal, also where one was kept', async () => {
    const { service } = instance()
    const user = await t.db.user.create({
      data: { firstName: 'Tijdelijk', lastName: 'Persoon', dateOfBirth: new Date('1990-01-01'), email: 'tijdelijk@demo.example' },
    })
    expect(await service.loadPrincipal(user.id)).toMatchObject({ name: 'Tijdelijk Persoon' })
    await t.db.user.delete({ where: { id: user.id } })
    expect(await service.loadPrincipal(user.id)).toBeNull()
  })
})
