// A private database per test file, cloned from the migrated template made by globalSetup.
//   let t: TestDatabase
//   beforeAll(async () => { t = await createTestDatabase() })
//   afterAll(async () => { await t.drop() })
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createPrismaClient, type Db } from '../../src/db/prisma.ts'
import { poolConfigFromUrl } from '../../src/db/poolConfig.ts'

export type TestDatabase = { name: string; url: string; db: Db; drop: () => Promise<void> }

/** Serialises CREATE DATABASE ... TEMPLATE across the parallel test processes. */
const CREATE_LOCK = 7_341_205
const TEMPLATE_BUSY = '55006' // object_in_use: "source database is being accessed by other users"

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function withAdmin<T>(run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client(poolConfigFromUrl(inject('testAdminUrl')))
  await admin.connect()
  try {
    return await run(admin)
  } finally {
    await admin.end()
  }
}

/** `demo: true` clones the template that also holds the demo data (src/features/demo). */
export async function createTestDatabase(options: { poolSize?: number; demo?: boolean } = {}): Promise<TestDatabase> {
  const template = options.demo ? inject('testDemoTemplateDatabase') : inject('testTemplateDatabase')
  const name = `test_${randomBytes(6).toString('hex')}`
  await withAdmin(async (admin) => {
    await admin.query('select pg_advisory_lock($1)', [CREATE_LOCK])
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.query(`create database "${name}" template "${template}"`)
          return
        } catch (error) {
          if ((error as { code?: string }).code !== TEMPLATE_BUSY || attempt >= 50) throw error
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [CREATE_LOCK])
    }
  })
  const url = withDatabase(inject('testClientUrl'), name)
  const db = createPrismaClient(url, options.poolSize ?? 4)
  let dropped = false
  return {
    name,
    url,
    db,
    drop: async () => {
      if (dropped) return
      dropped = true
      await db.$disconnect()
      await withAdmin((admin) => admin.query(`drop database if exists "${name}" with (force)`))
    },
  }
}
