import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueMail } from '../../../src/shared/outbox.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'

const mail = (n: number, to: string) => ({
  idempotencyKey: `pages:${n}`,
  to,
  template: 'password-reset' as const,
  locale: 'nl',
  data: { name: 'Jan Smit', resetPath: '/wachtwoord/abc', expiresAt: '2030-01-01' },
})

describe('development mailbox', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.close())

  it('When there is no SMTP_URL, then every sent mail is listed at /dev/mailbox and viewable as text and HTML', async () => {
    await t.database.db.$transaction((tx) => queueMail(tx, mail(1, 'jan.smit@demo.example')))
    expect(await t.services.mailDelivery.deliverDue()).toMatchObject({ sent: 1 })
    const list = await t.agent().get('/dev/mailbox')
    expect(list.status).toBe(200)
    expect(list.text).toContain('Nieuw wachtwoord instellen')
    expect(list.text).toContain('jan.smit@demo.example')
    const id = /href="\/dev\/mailbox\/([0-9a-f-]{36})"/.exec(list.text)![1]
    const detail = await t.agent().get(`/dev/mailbox/${id}`)
    expect(detail.status).toBe(200)
    expect(detail.text).toContain('Beste Jan Smit,')
    expect(detail.text).toContain('http://localhost:3000/wachtwoord/abc')
    const html = await t.agent().get(`/dev/mailbox/${id}/html`)
    expect(html.status).toBe(200)
    expect(html.headers['content-type']).toContain('text/html')
    expect(html.text).toContain('href="http://localhost:3000/wachtwoord/abc"')
  })

  it('When an unknown or malformed mail id is asked for, then the answer is 404', async () => {
    expect((await t.agent().get('/dev/mailbox/00000000-0000-4000-8000-000000000000')).status).toBe(404)
    expect((await t.agent().get('/dev/mailbox/nope')).status).toBe(404)
  })

  it('When the request does not come from this machine, then the mailbox does not exist unless a back-office user is logged in (#20)', async () => {
    // Through a proxy (it names a forwarder), anonymous and a plain admin get 404; the back office 200.
    expect((await t.agent().get('/dev/mailbox').set('X-Forwarded-For', '203.0.113.9')).status).toBe(404)
    expect((await t.agent().get('/dev/mailbox').set('Forwarded', 'for=203.0.113.9')).status).toBe(404)
    const sanne = await t.loginAs('sanne')
    expect((await sanne.get('/dev/mailbox').set('X-Forwarded-For', '203.0.113.9')).status).toBe(404)
    const backoffice = await t.loginAs('backoffice')
    expect((await backoffice.get('/dev/mailbox').set('X-Forwarded-For', '203.0.113.9')).status).toBe(200)
  })

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
  it.skipIf(!external)('When the app listens on a non-loopback interface, then a request arriving there gets 404 (#20)', async () => {
    const server = t.app.listen(0, external!)
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      const response = await request(`http://${external}:${port}`).get('/dev/mailbox')
      expect(response.status).toBe(404)
      expect(response.text).not.toContain('jan.smit@demo.example')
    } finally {
      server.close()
    }
  })
})
