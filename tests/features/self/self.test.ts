import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

function tokenFrom(url: unknown): string {
  return String(url).split('/').pop()!
}

describe('Mijn gegevens', () => {
  it('When a plain user opens Mijn gegevens, then he sees his own means and mandates', async () => {
    const agent = await t.loginAs('jan')
    const page = await agent.get('/mijn-gegevens')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Mijn eHerkenningsmiddelen')
    expect(page.text).toContain('Ingelogd als Jan Smit')
    expect(page.text).toContain('Bakkerij De Vries B.V.')
  })

  it('When a user opens Mijn gegevens, then each own mandate shows its service or scope, and an open request names the organisation, its KvK number and who asked', async () => {
    const db = t.database.db
    const jan = await db.user.findFirstOrThrow({ where: { email: 'jan.smit@demo.example' } })
    const holding = await db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' } })
    const sanne = await db.user.findFirstOrThrow({ where: { email: 'sanne.devries@demo.example' } })
    await db.linkRequest.create({
      data: { userId: jan.id, organisationId: holding.id, requestedById: sanne.id, expiresAt: new Date(Date.now() + 7 * 86_400_000) },
    })
    const mandates = await db.mandate.findMany({ where: { userId: jan.id }, include: { service: true, provider: true, organisation: true } })
    expect(mandates.length).toBeGreaterThan(0)

    const page = await (await t.loginAs('jan')).get('/mijn-gegevens')

    expect(page.status).toBe(200)
    for (const m of mandates) {
      const scope = m.scope === 'service' ? m.service!.name : m.scope === 'provider' ? m.provider!.name : 'Alle diensten'
      expect(page.text).toContain(scope)
      expect(page.text).toContain(m.organisation.name)
    }
    expect(page.text).toContain(`De Vries Holding B.V. (KvK ${holding.kvkNumber})`)
    expect(page.text).toContain('Sanne de Vries')
  })

  it('When a user changes his mobile number, then a Dutch number is stored and a bad one is refused with the value kept', async () => {
    const agent = await t.loginAs('jan')
    const bad = await postForm(agent, '/mijn-gegevens', '/mijn-gegevens/mobiel', { mobile: '020-1234567' })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('Vul een Nederlands mobiel nummer in')
    expect(bad.text).toContain('value="020-1234567"')
    const ok = await postForm(agent, '/mijn-gegevens', '/mijn-gegevens/mobiel', { mobile: '06-87654321' })
    expect(ok.status).toBe(303)
    expect((await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })).mobile).toBe('+31687654321')
  })

  it('When a user changes his e-mail address, then it changes only after the link sent to the new address is used, and the link works once', async () => {
    const agent = await t.loginAs('jan')
    // Changed by #20: an address of someone else used to be refused with "al in gebruik" (an oracle
    // on who has an account); now it gets the same answer as a free one, but no link and no mail.
    const taken = await postForm(agent, '/mijn-gegevens', '/mijn-gegevens/e-mailadres', { email: 'Sanne.DeVries@demo.example' })
    expect(taken.status).toBe(303)
    expect(await t.database.db.outgoingMail.count({ where: { template: 'email-change' } })).toBe(0)
    expect(await t.database.db.actionToken.count({ where: { purpose: 'email-change' } })).toBe(0)
    const response = await postForm(agent, '/mijn-gegevens', '/mijn-gegevens/e-mailadres', { email: 'jan.smit@nieuw.example' })
    expect(response.status).toBe(303)
    expect(await t.database.db.user.count({ where: { emailKey: 'jan.smit@demo.example' } })).toBe(1)
    const mail = await t.database.db.outgoingMail.findFirstOrThrow({ where: { template: 'email-change', toAddress: 'jan.smit@nieuw.example' } })
    const url = (mail.data as { confirmPath: string }).confirmPath
    const token = tokenFrom(url)
    const stored = await t.database.db.actionToken.findFirstOrThrow({ where: { purpose: 'email-change' } })
    expect(stored.tokenHash).not.toContain(token)
    const anonymous = t.agent()
    const page = await anonymous.get(`/mijn-gegevens/e-mailadres/${token}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('jan.smit@nieuw.example')
    const confirm = await postForm(anonymous, `/mijn-gegevens/e-mailadres/${token}`, `/mijn-gegevens/e-mailadres/${token}`, {})
    expect(confirm.status).toBe(303)
    expect(await t.database.db.user.count({ where: { emailKey: 'jan.smit@nieuw.example' } })).toBe(1)
    const again = await anonymous.get(`/mijn-gegevens/e-mailadres/${token}`)
    expect(again.status).toBe(410)
    expect(again.text).toContain('Deze link is al gebruikt')
    const bogus = await anonymous.get('/mijn-gegevens/e-mailadres/ditisgeenechtetokenmaarwelgenoeglang')
    expect(bogus.status).toBe(410)
    expect(bogus.text).toContain('Deze link is niet geldig')
  })
})
