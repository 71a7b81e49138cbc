// PostgreSQL restarted under a running app (its own embedded server in a temp folder, stopped and
// started again): requests while it is away get the styled Dutch 503 page, a form posted then changes
// nothing, the app reconnects by itself (the session survives: it is in the database), and the log
// has one warning line per failed request and no stack. Then the same under load: pages and
// revocations (each one transaction with its audit entry and mail) running while PostgreSQL restarts:
// every answer is a page or the 503 page, and every revocation is whole or absent.
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
import { systemActor } from '../../src/shared/actor.ts'
import { databaseUnavailableReason } from '../../src/db/unavailable.ts'
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

  it('under load, answers every request with a page or the 503 page, and leaves every revocation whole or absent', async () => {
    const sanne = await db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.sanne.email } })
    const principal = (await services.authService.loadPrincipal(sanne.id))!
    const actor = { ...systemActor(), principal }
    const targets = await db.mandate.findMany({
      where: { organisationId: { in: principal.adminOrganisations.map((o) => o.id) }, kind: 'use', status: 'active' },
      select: { id: true },
    })
    expect(targets.length).toBeGreaterThan(5)
    const auditBefore = await db.auditEvent.count({ where: { action: 'mandate.revoked' } })
    const mailBefore = await db.outgoingMail.count({ where: { template: 'mandate-revoked' } })
    const statuses: number[] = []
    const otherErrors: string[] = []
    let running = true
    const pages = [links.overview(), links.mandates(), links.users(), links.auditLog()]
    const browse = async (i: number) => {
      for (let n = i; running; n++) statuses.push((await agent.get(pages[n % pages.length]!)).status)
    }
    const revoke = async () => {
      for (const { id } of targets) {
        if (!running) return
        await services.mandateLifecycleService.revoke(actor, id).catch((error: unknown) => {
          if (!databaseUnavailableReason(error)) otherErrors.push(String(error))
        })
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    const load = Promise.all([browse(0), browse(1), browse(2), revoke()])
    await new Promise((resolve) => setTimeout(resolve, 400))
    await server.stop()
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    server = await start()
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    running = false
    await load

    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([])
    expect(statuses).toContain(503)
    expect(otherErrors).toEqual([])
    expect((await agent.get(links.overview())).status).toBe(200)
    // Whole or absent: each revoked mandate has its one audit entry and its one mail, nothing else does.
    const revoked = await db.mandate.findMany({ where: { id: { in: targets.map((t) => t.id) }, status: 'revoked' }, select: { id: true } })
    const audited = await db.auditEvent.findMany({ where: { action: 'mandate.revoked' }, select: { subjectId: true }, skip: auditBefore })
    expect(audited.map((a) => a.subjectId).sort()).toEqual(revoked.map((m) => m.id).sort())
    expect((await db.outgoingMail.count({ where: { template: 'mandate-revoked' } })) - mailBefore).toBe(revoked.length)
    expect(revoked.length).toBeGreaterThan(0)
    const lines = log
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number })
    expect(lines.filter((l) => l.level >= 50)).toEqual([])
  }, 120_000)
})
