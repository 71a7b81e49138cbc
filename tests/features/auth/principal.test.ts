import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthService } from '../../../src/features/auth/authService.ts'
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
