// Issue 19 (b): look before you sign. An application's page says who, what, which level and
// organisation, who signed and who else must; "Ondertekenen" is bound to what the page showed.
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, type TestApp } from '../../helpers/app.ts'
import { submitForm, submitFormIn } from '../../helpers/forms.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db

async function openApplication(email: string) {
  const user = await db().user.findFirstOrThrow({ where: { emailKey: email } })
  return db().application.findFirstOrThrow({ where: { subjectUserId: user.id, status: 'awaiting_signature', type: { not: 'admin_appointment' } } })
}

describe('Aanvragen: look before you sign (issue 19)', () => {
  it('When an admin clicks "Ondertekenen" on Aanvragen, then a page shows the person, level, organisation, signatures and what signing means, and nothing is signed yet', async () => {
    const app = await openApplication('jan.smit@demo.example')
    const agent = await t.loginAs('sanne')
    const list = cheerio.load((await agent.get('/beheer/aanvragen')).text)
    const sign = list(`a[href="/beheer/aanvragen/${app.id}"]`).filter((_i, a) => list(a).text().startsWith('Ondertekenen'))
    expect(sign.length).toBe(1)
    expect(list(`form[action="/beheer/aanvragen/${app.id}/ondertekenen"]`).length).toBe(0)
    const page = await agent.get(`/beheer/aanvragen/${app.id}`)
    expect(page.status).toBe(200)
    const main = cheerio.load(page.text)('main').text()
    expect(main).toContain('Jan Smit')
    expect(main).toContain('Bakkerij De Vries B.V.')
    expect(main).toContain('Met uw handtekening verklaart u')
    expect(main).toContain('Nog niet getekend')
    expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).status).toBe('awaiting_signature')
  })

  it('When the application changed after the page was shown, then signing is refused (409) with the new state; a replay or a forged version is refused too, and nothing changes', async () => {
    const app = await openApplication('jan.smit@demo.example')
    const agent = await t.loginAs('sanne')
    const shown = await agent.get(`/beheer/aanvragen/${app.id}`)
    const $ = cheerio.load(shown.text)
    const version = $('input[name="versie"]').attr('value')!
    // Another admin's act in between: a legal representative signs.
    const org = await db().organisation.findUniqueOrThrow({ where: { id: app.organisationId }, include: { legalRepresentatives: true } })
    await db().applicationSignature.create({
      data: { applicationId: app.id, signerType: 'legal_representative', legalRepresentativeId: org.legalRepresentatives[0]!.id },
    })
    const stale = await agent
      .post(`/beheer/aanvragen/${app.id}/ondertekenen`)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), versie: version })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Er is niets ondertekend')
    expect(stale.text).toContain(org.legalRepresentatives[0]!.name)
    expect(await db().applicationSignature.count({ where: { applicationId: app.id, signerType: 'admin' } })).toBe(0)
    const forged = await agent
      .post(`/beheer/aanvragen/${app.id}/ondertekenen`)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), versie: 'forged' })
    expect(forged.status).toBe(409)
    const signed = await submitForm(agent, `/beheer/aanvragen/${app.id}`, (f) => f.attr('action') === `/beheer/aanvragen/${app.id}/ondertekenen`)
    expect(signed.status).toBe(303)
    const fresh = cheerio.load(stale.text)('input[name="versie"]').attr('value')!
    const replay = await agent
      .post(`/beheer/aanvragen/${app.id}/ondertekenen`)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), versie: fresh })
    expect(replay.status).toBe(409)
    expect(await db().applicationSignature.count({ where: { applicationId: app.id, signerType: 'admin' } })).toBe(1)
    const unknown = await agent
      .post(`/beheer/aanvragen/00000000-0000-4000-8000-000000000000/ondertekenen`)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), versie: fresh })
    expect(unknown.status).toBe(404)
  })
})

describe('Middel upgraden: look before you sign (issue 19)', () => {
  it('When an admin asks for an upgrade, then a page shows what will happen and nothing is requested until he confirms; levels above his own are not offered, with the reason', async () => {
    const agent = await t.loginAs('sanne')
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const detail = cheerio.load((await agent.get(`/beheer/gebruikers/${jan.id}`)).text)
    const offered = detail('select[name="level"] option')
      .toArray()
      .map((o) => detail(o).attr('value'))
      .filter(Boolean)
    expect(offered).not.toContain('EH4')
    expect(detail('main').text()).toContain('Niet aangeboden: EH4')
    const before = await db().application.count({ where: { subjectUserId: jan.id, type: 'upgrade' } })
    const preview = await submitForm(agent, `/beheer/gebruikers/${jan.id}`, (f) => f.attr('action') === `/beheer/gebruikers/${jan.id}/upgrade`, {
      level: 'EH3',
    })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('Upgrade controleren en ondertekenen')
    expect(preview.text).toContain('controleert de leverancier daarna de identiteit')
    expect(await db().application.count({ where: { subjectUserId: jan.id, type: 'upgrade' } })).toBe(before)
    const confirmed = await submitFormIn(agent, preview.text, 'upgrade', (f) => f.find('input[name="versie"]').length > 0)
    expect(confirmed.status).toBe(303)
    expect(await db().application.count({ where: { subjectUserId: jan.id, type: 'upgrade' } })).toBe(before + 1)
    const replay = await submitFormIn(agent, preview.text, 'upgrade', (f) => f.find('input[name="versie"]').length > 0)
    expect(replay.status).toBe(409)
    expect(await db().application.count({ where: { subjectUserId: jan.id, type: 'upgrade' } })).toBe(before + 1)
  })
})
