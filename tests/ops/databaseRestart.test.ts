// PostgreSQL restarted under a running app (its own embedded server in a temp folder, stopped and
// started again): requests while it is away get the styled Dutch 503 page, a form posted then changes
// nothing, the app reconnects by itself (the session survives: it is in the database), and the log
// has one warning line per failed request and no stack.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts'
import { applyMigrations } from '../../src/db/migrations.ts'
import { createPrismaClient, type Db } from '../../src/db/prisma.ts'
import { DEMO_PASSWORD, seedDemo } from '../../src/features/demo/seedDemo.ts'
import { createServices, type Services } from '../../src/services.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { links } from '../../src/paths.ts'
import { ACCOUNTS, csrfFrom, type Agent } from '../helpers/app.ts'
import { captureLog, type LogCapture } from '../helpers/logCapture.ts'
import { pickPort } from './helpers/instances.ts'

let dir: string
let port: number
let server: EmbeddedDatabase
let db: Db
let services: Services
let log: LogCapture
let agent: Agent

const start = () => startEmbeddedPostgres({ dir: path.join(dir, 'data'), port, database: 'beheermodule' })

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'beheermodule-restart-'))
  chmodSync(dir, 0o755) // as root, PostgreSQL runs as `postgres` and must reach the folder
  port = await pickPort()
  server = await start()
  await applyMigrations(server.url)
  db = createPrismaClient(server.url, 4)
  await seedDemo(db)
  log = captureLog('info')
  services = createServices(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), server.url, { logger: log.logger, db })
  agent = request.agent(createApp(services))
  const page = await agent.get(links.login())
  const login = await agent
    .post(links.login())
    .type('form')
    .send({ email: ACCOUNTS.sanne.email, password: DEMO_PASSWORD, code: currentTotp(ACCOUNTS.sanne.totp), _csrf: csrfFrom(page.text) })
  expect(login.status).toBe(303)
}, 180_000)

afterAll(async () => {
  await services?.close().catch(() => {})
  await server?.stop().catch(() => {})
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('PostgreSQL restarted under the app', () => {
  it('answers 503 while it is away, writes nothing, and reconnects by itself', async () => {
    const before = await agent.get(links.overview())
    expect(before.status).toBe(200)
    const csrf = csrfFrom(before.text) // the logout form in the header
    const auditBefore = await db.auditEvent.count()

    await server.stop()
    const down = await agent.get(links.overview())
    expect(down.status).toBe(503)
    expect(down.headers['retry-after']).toBe('30')
    expect(down.text).toContain('Tijdelijk niet beschikbaar')
    expect(down.text).toContain('/assets/css/app.css') // the styled layout, not a bare text
    expect(down.text).not.toMatch(/at .*\.ts:\d+/) // no stack on the page
    const posted = await agent.post(links.logout()).type('form').send({ _csrf: csrf })
    expect(posted.status).toBe(503)

    server = await start()
    let after = await agent.get(links.overview())
    for (let i = 0; i < 20 && after.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      after = await agent.get(links.overview())
    }
    expect(after.status).toBe(200) // still logged in: the logout posted while it was away did nothing
    expect(await db.auditEvent.count()).toBe(auditBefore)

    const lines = log
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: unknown; reason?: string })
    expect(lines.filter((l) => l.level >= 50)).toEqual([])
    expect(lines.filter((l) => JSON.stringify(l).includes('stack'))).toEqual([])
    const unavailable = lines.filter((l) => l.msg === 'database unavailable')
    expect(unavailable).toHaveLength(2)
  })
})
