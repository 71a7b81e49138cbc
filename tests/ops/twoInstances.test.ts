// Two app processes (src/server.ts, different ports) on one database, started together, with a real
// SMTP catcher: one browser's requests go alternately to both. Sessions, CSRF tokens and rate limits
// live in PostgreSQL, the daily expiry scan is a pg-boss job recorded per day (job_runs), and the
// outbox is claimed row by row, so: a login on one is valid on the other, a token from one is accepted
// by the other, failures count across both, the missed scan runs once, every mail arrives once, and
// a SIGTERM to one under load finishes its requests and leaves no mail behind.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { DEMO_PASSWORD } from '../../src/features/demo/seedDemo.ts'
import { dueDay } from '../../src/features/expiry/dailyRun.ts'
import { links } from '../../src/paths.ts'
import { currentTotp } from '../../src/shared/totp.ts'
import { ACCOUNTS } from '../helpers/app.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.ts'
import { csrfIn, Session, startInstance, type Instance } from './helpers/instances.ts'

let t: TestDatabase
let smtp: TestSmtp
let a: Instance
let b: Instance

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** The login form fetched from one instance and posted (password and TOTP code) to another. */
async function logIn(browser: Session, account: 'sanne' | 'pieter', formFrom: Instance, postTo: Instance) {
  const loginPage = await browser.get(formFrom, links.login())
  return browser.post(postTo, links.login(), {
    email: ACCOUNTS[account].email,
    password: DEMO_PASSWORD,
    code: currentTotp(ACCOUNTS[account].totp),
    _csrf: csrfIn(loginPage.text),
  })
}

const pendingMail = async () => t.db.outgoingMail.count({ where: { status: { in: ['pending', 'sending'] } } })

beforeAll(async () => {
  t = await createTestDatabase({ demo: true })
  smtp = await startSmtpServer()
  const options = { databaseUrl: t.url, smtpUrl: smtp.url }
  ;[a, b] = await Promise.all([startInstance('a', options), startInstance('b', options)])
}, 180_000)

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await smtp?.close()
  await t?.drop()
})

describe('two instances on one database', () => {
  it('runs the missed daily scan once, and delivers each mail once', async () => {
    const day = dueDay(new Date())
    await until(async () => (await t.db.jobRun.count({ where: { job: 'expiry', finishedAt: { not: null } } })) === 1)
    await until(async () => (await pendingMail()) === 0)
    const runs = await t.db.jobRun.findMany()
    expect(runs.map((r) => r.day.toISOString().slice(0, 10))).toEqual([day])
    expect([...a.logged('expiry scan done'), ...b.logged('expiry scan done')]).toHaveLength(1)
    const sent = await t.db.outgoingMail.findMany({ where: { status: 'sent' }, select: { messageId: true } })
    expect(sent.length).toBeGreaterThan(0) // the demo has mandates ending within two months
    await smtp.waitFor(sent.length)
    await new Promise((resolve) => setTimeout(resolve, 2_000)) // a duplicate would arrive now
    const ids = smtp.messages.map((m) => m.messageId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(sent.length)
  })

  it('keeps one session across both: login, CSRF token and logout', async () => {
    const browser = new Session()
    const login = await logIn(browser, 'sanne', a, b)
    expect(login.status).toBe(303)
    const onA = await browser.get(a, links.overview())
    const onB = await browser.get(b, links.overview())
    expect([onA.status, onB.status]).toEqual([200, 200])
    // The logout form's token from B, posted to A: accepted, and the session ends on both.
    const logout = await browser.post(a, links.logout(), { _csrf: csrfIn(onB.text) })
    expect(logout.status).toBe(303)
    expect((await browser.get(b, links.overview())).status).toBe(303)
  })

  it('counts failed logins across both instances', async () => {
    const browser = new Session()
    const attempt = async (instance: Instance) => {
      const page = await browser.get(instance, links.login())
      return browser.post(instance, links.login(), { email: ACCOUNTS.jan.email, password: 'not-the-password', code: '', _csrf: csrfIn(page.text) })
    }
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 ? b : a)).status).not.toBe(429)
    expect((await attempt(a)).status).toBe(429)
    expect((await attempt(b)).status).toBe(429)
  })

  it('finishes in-flight requests on SIGTERM and loses no queued mail', async () => {
    const t0 = Date.now()
    const marks: string[] = []
    const mark = (what: string) => marks.push(`${Date.now() - t0} ms ${what}`)
    onTestFailed(() => {
      console.error(
        `SIGTERM test phases:\n${marks.join('\n')}\n--- A stdout:\n${a.stdout()}\n--- A stderr:\n${a.stderr()}\n--- B stdout (tail):\n${b.stdout().slice(-4000)}`,
      )
    })
    const browser = new Session()
    await t.db.user.updateMany({ where: { emailKey: ACCOUNTS.pieter.email }, data: { totpLastStep: null } })
    const login = await logIn(browser, 'pieter', a, a)
    expect(login.status).toBe(303)
    const mailsBefore = await t.db.outgoingMail.count()
    const forgot = new Session()
    const forgotPage = await forgot.get(a, links.forgotPassword())
    // Load on A: pages, and password-reset requests that each queue a mail; then SIGTERM mid-way.
    const emails = [ACCOUNTS.sanne.email, ACCOUNTS.johan.email, ACCOUNTS.backoffice.email]
    const load = [
      ...Array.from({ length: 16 }, (_, i) => browser.get(a, i % 2 ? links.overview() : links.mandates())),
      ...emails.map((email) => forgot.post(a, links.forgotPassword(), { email, _csrf: csrfIn(forgotPage.text) })),
    ]
    await new Promise((resolve) => setTimeout(resolve, 300)) // every request is on the wire, most not answered yet
    mark('load sent')
    const exit = a.stop('SIGTERM')
    const settled = await Promise.allSettled(load)
    mark('load settled')
    expect(settled.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([])
    const replies = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    expect(replies).toHaveLength(load.length)
    expect(replies.map((r) => r.status).filter((s) => s !== 200 && s !== 303)).toEqual([])
    expect(await exit).toBe(0)
    mark('A exited')
    expect(a.logged('stopped')).toHaveLength(1)
    const queued = (await t.db.outgoingMail.count()) - mailsBefore
    expect(queued).toBe(emails.length)
    // B delivers what A did not: nothing stays pending, every queued mail arrives once.
    await until(async () => (await pendingMail()) === 0, 90_000)
    mark('outbox empty')
    const sent = await t.db.outgoingMail.count({ where: { status: 'sent' } })
    await smtp.waitFor(sent)
    const ids = smtp.messages.map((m) => m.messageId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(sent)
    expect(b.stderr()).toBe('')
  }, 150_000) // a stop may take the drain (10 s) and a running mail job (15 s); the outbox wait is 90 s
})
