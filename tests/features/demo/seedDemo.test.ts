import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { DEMO_ACCOUNTS, demoSeedRefusal, seedDemo } from '../../../src/features/demo/seedDemo.ts'
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

describe('npm run db:seed in production (#20)', () => {
  const productionEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    SMTP_URL: 'smtp://127.0.0.1:1',
    BASE_URL: 'https://bm.example',
  }

  it('When NODE_ENV=production and no --force-demo is given, then the script refuses, says so and touches no database', () => {
    expect(demoSeedRefusal({ production: false }, [])).toBeNull()
    expect(demoSeedRefusal({ production: true }, ['--force-demo'])).toBeNull()
    // A database that does not exist: the refusal must come before any connection.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-seed.ts'], {
      env: { ...productionEnv, DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('Refusing to seed the demo data with NODE_ENV=production')
    expect(run.stderr).toContain('--force-demo')
  })

  it('When NODE_ENV=production and --force-demo is given, then the demo is seeded', async () => {
    const t = await createTestDatabase({ demo: false })
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-seed.ts', '--force-demo'], {
        env: { ...productionEnv, DATABASE_URL: t.url },
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(run.status, run.stderr).toBe(0)
      expect(await t.db.user.count({ where: { emailKey: 'sanne.devries@demo.example' } })).toBe(1)
    } finally {
      await t.drop()
    }
  }, 180_000)
})
