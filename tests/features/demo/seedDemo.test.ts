import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ACCOUNTS, seedDemo } from '../../../src/features/demo/seedDemo.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'

async function counts(t: TestDatabase) {
  const db = t.db
  return {
    organisations: await db.organisation.count(),
    users: await db.user.count(),
    means: await db.means.count(),
    mandates: await db.mandate.count(),
    services: await db.service.count(),
    links: await db.organisationLink.count(),
    applications: await db.application.count(),
    linkRequests: await db.linkRequest.count(),
  }
}

describe('demo data', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(async () => {
    await t.drop()
  })

  it('When the demo is seeded on an empty database, then it holds organisations, the catalogue and mandates in every state', async () => {
    const result = await seedDemo(t.db)
    expect(result.seeded).toBe(true)
    const c = await counts(t)
    expect(c.organisations).toBeGreaterThanOrEqual(4)
    expect(c.services).toBeGreaterThanOrEqual(20)
    const statuses = await t.db.mandate.groupBy({ by: ['status'], _count: { _all: true } })
    expect(statuses.map((s) => s.status).sort()).toEqual(['active', 'expired', 'pending', 'revoked', 'suspended'])
    for (const account of DEMO_ACCOUNTS) {
      expect(await t.db.user.findUnique({ where: { emailKey: account.email.toLowerCase() } })).not.toBeNull()
    }
  })

  it('When the demo is seeded again, then nothing changes', async () => {
    const before = await counts(t)
    const result = await seedDemo(t.db)
    expect(result.seeded).toBe(false)
    expect(await counts(t)).toEqual(before)
  })
})
