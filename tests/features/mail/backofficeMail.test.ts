// One app per file: passport's (de)serialisers are process-wide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueMail } from '../../../src/shared/outbox.ts'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'
import { startSmtpServer, type TestSmtp } from '../../helpers/smtp.ts'

const mail = (n: number, to: string) => ({
  idempotencyKey: `pages:${n}`,
  to,
  template: 'password-reset' as const,
  locale: 'nl',
  data: { name: 'Jan Smit', resetPath: '/wachtwoord/abc', expiresAt: '2030-01-01' },
})

describe('back office outbox', () => {
  let t: TestApp
  let smtp: TestSmtp
  beforeAll(async () => {
    smtp = await startSmtpServer({ refuse: ['onbekend@demo.example'] })
    t = await createTestApp({ env: { SMTP_URL: smtp.url } })
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  it('When the server refused an address, then the back office sees the failed mail with the server answer and can send it again (audited)', async () => {
    await t.database.db.$transaction((tx) => queueMail(tx, mail(2, 'onbekend@demo.example')))
    await t.database.db.$transaction((tx) => queueMail(tx, mail(3, 'jan.smit@demo.example')))
    expect(await t.services.mailDelivery.deliverDue()).toMatchObject({ sent: 1, failed: 1 })
    const agent = await t.loginAs('backoffice')
    const page = await agent.get('/backoffice/mail?status=failed')
    expect(page.status).toBe(200)
    expect(page.text).toContain('onbekend@demo.example')
    expect(page.text).toContain('550')
    expect(page.text).toContain('Recipient address rejected')
    expect(page.text).not.toContain('jan.smit@demo.example')
    const row = await t.database.db.outgoingMail.findUniqueOrThrow({ where: { idempotencyKey: 'pages:2' } })
    const response = await postForm(agent, '/backoffice/mail?status=failed', `/backoffice/mail/${row.id}/opnieuw`, {})
    expect(response.status).toBe(303)
    const after = await t.database.db.outgoingMail.findUniqueOrThrow({ where: { id: row.id } })
    expect(after).toMatchObject({ status: 'pending', attempts: 0 })
    const audit = await t.database.db.auditEvent.findFirstOrThrow({ where: { action: 'mail.retried', subjectId: row.id } })
    expect(audit.actorLabel).toBe('backoffice@demo.example')
    const flash = await agent.get('/backoffice/mail?status=failed')
    expect(flash.text).toContain('De e-mail aan onbekend@demo.example wordt opnieuw verstuurd.')
  })

  it('When someone outside the back office asks for the outbox, then it does not exist for him', async () => {
    const sanne = await t.loginAs('sanne')
    expect((await sanne.get('/backoffice/mail')).status).toBe(404)
    expect((await t.agent().get('/backoffice/mail')).status).toBe(303)
  })
})
