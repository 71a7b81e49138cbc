// An app on a private test database (with the demo data), and agents logged in as demo accounts.
//   const t = await createTestApp()
//   const agent = await t.loginAs('sanne')      // admin of bv 1 and bv 2
//   const page = await agent.get('/overzicht')
//   await postForm(agent, '/some/form/page', '/some/form/action', { field: 'x' })   // with its CSRF token
//   afterAll(() => t.close())
import request from 'supertest'
import type TestAgent from 'supertest/lib/agent.js'
import { createApp } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { DEMO_PASSWORD } from '../../src/features/demo/seedDemo.ts'
import { createServices, type Services } from '../../src/services.ts'
import { createTestDatabase, type TestDatabase } from './db.ts'
import { captureLog, secretsIn } from './logCapture.ts'

export const ACCOUNTS = {
  /** Admin of Bakkerij De Vries B.V. (bv 1) and De Vries Holding B.V. (bv 2), EH3. */
  sanne: { email: 'sanne.devries@demo.example', totp: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD' },
  /** Admin of Bakker Installatietechniek B.V. only, EH2+. */
  pieter: { email: 'pieter.bakker@demo.example', totp: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
  /** The supplier's back office. */
  backoffice: { email: 'backoffice@demo.example', totp: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' },
  /** Admin of Administratiekantoor Van Dijk & Partners B.V. (the demo intermediary), EH3. */
  johan: { email: 'johan.vandijk@demo.example', totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
  /** A plain user of Bakkerij De Vries (no Beheer tab). */
  jan: { email: 'jan.smit@demo.example', totp: null },
} as const
export type AccountName = keyof typeof ACCOUNTS
export type Agent = InstanceType<typeof TestAgent>

export type TestApp = {
  app: ReturnType<typeof createApp>
  services: Services
  database: TestDatabase
  config: Config
  agent: () => Agent
  loginAs: (account: AccountName) => Promise<Agent>
  /** Everything the app logged so far (pino JSON lines, level info and up). */
  logText: () => string
  /** Closes the app; fails when its log holds a cookie, a session id, a token link or a password (#20). */
  close: () => Promise<void>
}

/**
 * A TOTP code logs in once (replay protection). Tests log the same demo account in several times
 * within one 30-second window, so they clear the marker first.
 */
export async function allowTotpAgain(db: TestDatabase['db'], email: string): Promise<void> {
  await db.user.updateMany({ where: { emailKey: email.toLowerCase() }, data: { totpLastStep: null } })
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]!
}

/** GETs `formPage` for its CSRF token, then POSTs `fields` to `action` as a form. */
export async function postForm(agent: Agent, formPage: string, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(formPage)
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page.text) })
}

export async function createTestApp(options: { env?: Record<string, string>; demo?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase({ demo: options.demo ?? true })
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env })
  // Every test app logs into memory at level info, and close() scans it for secrets (#20).
  const log = captureLog('info')
  const services = createServices(config, database.url, { logger: log.logger, db: database.db })
  const app = createApp(services)
  const agent = () => request.agent(app)
  return {
    app,
    services,
    database,
    config,
    agent,
    async loginAs(account) {
      const a = agent()
      const { email, totp } = ACCOUNTS[account]
      await allowTotpAgain(database.db, email)
      const response = await postForm(a, '/inloggen', '/inloggen', {
        email,
        password: DEMO_PASSWORD,
        code: totp ? currentTotp(totp) : '',
      })
      if (response.status !== 303) throw new Error(`login as ${account} failed: ${response.status}`)
      return a
    },
    logText: log.text,
    async close() {
      await services.close().catch(() => {})
      await database.drop()
      const found = secretsIn(log.text())
      if (found.length > 0) throw new Error(`the app logged secrets:\n${found.join('\n')}`)
    },
  }
}

/** The names of the organisations a user administers on a given day (rule 3 tests). */
export async function adminOrganisationNamesOn(t: TestApp, userId: string, day: Date): Promise<string[]> {
  return ((await t.services.authService.loadPrincipal(userId, day))?.adminOrganisations ?? []).map((o) => o.name)
}
