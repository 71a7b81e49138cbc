// "Exporteren als CSV" of many mandates (30,000 more than the demo's, about 5 MB): the file crosses many
// cursor batches and is still the list's rows cell for cell; a reader that stops reading holds the export
// at the batch it is on (back-pressure: the cursor waits, nothing piles up); a reader that leaves ends the
// export's transaction and gives its connection back, so later exports run.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../../src/paths.ts'
import { createTestApp, allowTotpAgain, csrfFrom, ACCOUNTS, type TestApp } from '../../helpers/app.ts'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { currentTotp } from '../../../src/shared/totp.ts'
import { expectedExport } from './exportExpected.ts'

const USERS = 3_000
const PER_USER = 10
let t: TestApp
let server: http.Server
let base: string
let cookie: string
let total: number
beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  const org = (await db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })).id
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        insert into users (id, first_name, last_name, date_of_birth, email, updated_at)
        select gen_random_uuid(), 'Stroom', 'Gebruiker ' || lpad(g::text, 5, '0'), date '1970-01-01' + g, 'stroom' || g || '@export.example', now()
        from generate_series(1, ${USERS}::int) g`
      await tx.$executeRaw`
        insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
        select gen_random_uuid(), u.id, 'EH4', 'active', current_date - 10, current_date + 1000, now() from users u where u.email like 'stroom%@export.example'`
      await tx.$executeRaw`
        insert into organisation_links (id, user_id, organisation_id)
        select gen_random_uuid(), u.id, ${org}::uuid from users u where u.email like 'stroom%@export.example'`
      await tx.$executeRaw`
        with s as (select id, required_level, row_number() over (order by id) - 1 as n, count(*) over () as total from services),
        u as (select id, row_number() over (order by email) as n from users where email like 'stroom%@export.example'),
        g as (select u.id as user_id, u.n as un, k, u.n * 10 + k as seq from u cross join generate_series(0, ${PER_USER - 1}::int) k)
        insert into mandates (id, kind, user_id, organisation_id, scope, service_id, level, valid_from, valid_until, status, updated_at)
        select gen_random_uuid(), 'use', g.user_id, ${org}::uuid, 'service', s.id, s.required_level, current_date - 10,
               current_date + 1 + ((g.seq * 7919) % 1450)::int, (case when g.seq % 10 = 3 then 'revoked' else 'active' end)::"MandateStatus", now()
        from g join s on s.n = (g.un + g.k * 3) % s.total`
    },
    { timeout: 120_000 },
  )
  const sanne = await db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.sanne.email } })
  const orgs = (await t.services.authService.loadPrincipal(sanne.id))!.adminOrganisations.map((o) => o.id)
  total = await db.mandate.count({ where: { organisationId: { in: orgs }, kind: 'use' } })

  server = await new Promise((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  cookie = await logIn()
}, 180_000)
afterAll(async () => {
  server?.closeAllConnections()
  server?.close()
  await t.close()
})

async function logIn(): Promise<string> {
  const cookiesOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
  await allowTotpAgain(t.database.db, ACCOUNTS.sanne.email)
  const page = await fetch(`${base}/inloggen`)
  const login = await fetch(`${base}/inloggen`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(page) },
    body: new URLSearchParams({
      _csrf: csrfFrom(await page.text()),
      email: ACCOUNTS.sanne.email,
      password: DEMO_PASSWORD,
      code: currentTotp(ACCOUNTS.sanne.totp),
    }),
  })
  if (login.status !== 303) throw new Error(`login failed: ${login.status}`)
  return cookiesOf(login)
}

/** The export's cursor statements PostgreSQL is in, and in which state. */
async function exportBackends(): Promise<{ state: string; query: string; since: Date }[]> {
  return t.database.db.$queryRaw`
    select state, query, state_change as since from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and query like 'fetch % from bm_export'`
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read()
    if (done(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('mandate export of many rows', () => {
  it("When 30,000 and more mandates are exported, then the file is the list's rows cell for cell, across every cursor batch", async () => {
    const response = await fetch(`${base}${links.mandatesExport({ inactief: '1' })}`, { headers: { cookie } })
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text.split('\n').length - 2).toBe(total)
    const sanne = (await t.services.authService.loadPrincipal((await t.database.db.user.findFirstOrThrow({ where: { emailKey: ACCOUNTS.sanne.email } })).id))!
    expect('\uFEFF' + text).toBe(await expectedExport(t.services, sanne, { inactief: '1' }))
  }, 120_000)

  it('When the reader stops reading, then the export waits at its batch; when the reader leaves, its transaction ends and later exports run', async () => {
    const request = http.get(`${base}${links.mandatesExport({ inactief: '1' })}`, { headers: { cookie } })
    const response = await new Promise<http.IncomingMessage>((resolve) => request.once('response', resolve))
    expect(response.statusCode).toBe(200)
    await new Promise((resolve) => response.once('data', resolve))
    response.pause()
    // Back-pressure: the export sits between two FETCHes, in its transaction, waiting for the reader.
    // The kernel's socket buffers still drain for a while after pause(), so a first idle sample can fall between
    // two FETCHes: the export waits when it stays idle in its transaction, unchanged, across 300 ms.
    const waiting = await until(
      async () => {
        const before = await exportBackends()
        await new Promise((resolve) => setTimeout(resolve, 300))
        return { before, after: await exportBackends() }
      },
      ({ before, after }) =>
        after.length === 1 &&
        before.length === 1 &&
        after[0]!.state === 'idle in transaction' &&
        before[0]!.state === 'idle in transaction' &&
        after[0]!.since.getTime() === before[0]!.since.getTime(),
      'the export to wait for the reader',
    )
    expect(waiting.after).toEqual([expect.objectContaining({ state: 'idle in transaction' })])
    request.destroy()
    await until(exportBackends, (rows) => rows.every((r) => r.state === 'idle'), 'the export to end its transaction')
    // The cursor pool has two connections: three exports in a row run only if the abandoned one was given back.
    for (let i = 0; i < 3; i++) {
      const again = await fetch(`${base}${links.mandatesExport({ inactief: '1', status: 'revoked' })}`, { headers: { cookie } })
      expect(again.status).toBe(200)
      expect((await again.text()).split('\n').length).toBeGreaterThan(USERS)
    }
  }, 120_000)
})
