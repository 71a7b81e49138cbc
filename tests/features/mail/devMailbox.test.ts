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
})
