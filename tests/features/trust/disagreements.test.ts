// Issue 19 (e): pages that disagreed with each other or with their handlers.
import * as cheerio from 'cheerio'
import type { Element } from 'domhandler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'
import nlMandates from '../../../src/i18n/locales/nl/mandates.json' with { type: 'json' }
import nlUsers from '../../../src/i18n/locales/nl/users.json' with { type: 'json' }
import nlOverview from '../../../src/i18n/locales/nl/overview.json' with { type: 'json' }
import enMandates from '../../../src/i18n/locales/en/mandates.json' with { type: 'json' }
import enUsers from '../../../src/i18n/locales/en/users.json' with { type: 'json' }
import enOverview from '../../../src/i18n/locales/en/overview.json' with { type: 'json' }

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('Disagreements (issue 19, item 4)', () => {
  it('When the back office fills in the reject form it is shown and submits it, then the application is rejected with that reason', async () => {
    const agent = await t.loginAs('backoffice')
    const tom = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'tom.hendriks@demo.example' } })
    const app = await t.database.db.application.findFirstOrThrow({ where: { subjectUserId: tom.id, status: 'awaiting_identity_check' } })
    const isReject = (form: cheerio.Cheerio<Element>) => form.attr('action') === `/backoffice/${app.id}/afwijzen`
    const page = cheerio.load((await agent.get('/backoffice')).text)
    const field = page(`form[action="/backoffice/${app.id}/afwijzen"] textarea`).attr('name')!
    const response = await submitForm(agent, '/backoffice', isReject, { [field]: 'Paspoort onleesbaar' })
    expect(response.status).toBe(303)
    const after = await t.database.db.application.findUniqueOrThrow({ where: { id: app.id } })
    expect(after.status).toBe('rejected')
    expect(after.rejectionReason).toBe('Paspoort onleesbaar')
  })

  it('When an admin follows "Machtigingen beheren" for one organisation on Overzicht, then the list shows only that organisation', async () => {
    const agent = await t.loginAs('sanne')
    const $ = cheerio.load((await agent.get('/overzicht')).text)
    const manage = $('a')
      .toArray()
      .filter((a) => $(a).text().startsWith('Machtigingen beheren'))
    expect(manage.length).toBeGreaterThan(1)
    for (const a of manage) {
      const orgName = $(a).find('.bm-visually-hidden').text().replace(/^:\s*/, '')
      const list = cheerio.load((await agent.get($(a).attr('href')!)).text)
      const selected = list('select[name="organisatie"] option[selected]').text().trim()
      expect(selected).toBe(orgName)
    }
  })

  it('When a mandate is pending, then every page and language uses one word for it', () => {
    expect(nlUsers.mandateStatus.pending).toBe(nlMandates.status.pending)
    expect(nlOverview.mandateStatus.pending).toBe(nlMandates.status.pending)
    expect(enUsers.mandateStatus.pending).toBe(enMandates.status.pending)
    expect(enOverview.mandateStatus.pending).toBe(enMandates.status.pending)
    for (const status of Object.keys(nlMandates.status) as (keyof typeof nlMandates.status)[]) {
      expect(nlUsers.mandateStatus[status]).toBe(nlMandates.status[status])
      expect(nlOverview.mandateStatus[status]).toBe(nlMandates.status[status])
    }
  })

  it('When a request is malformed, then the 400 page says what was wrong, not "Pagina niet gevonden"', async () => {
    const agent = await t.loginAs('sanne')
    for (const url of ['/beheer/gebruikers/%E0%A4%A', '/beheer/machtigingen?organisatie=%ZZ']) {
      const response = await agent.get(url)
      if (response.status !== 400) continue
      expect(response.text).not.toContain('Pagina niet gevonden')
    }
    const bad = await agent.get('/beheer/gebruikers/%E0%A4%A')
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Ongeldig verzoek')
    expect(bad.text).toContain('webadres')
  })

  it('When an application is signed by one legal representative but still waits for signatures, then the row says why', async () => {
    const app = await t.database.db.application.findFirstOrThrow({
      where: { status: 'awaiting_signature', type: { not: 'admin_appointment' }, organisation: { name: 'Bakkerij De Vries B.V.' } },
      include: { organisation: { include: { legalRepresentatives: true } } },
    })
    const rep = app.organisation.legalRepresentatives[0]!
    await t.database.db.applicationSignature.create({ data: { applicationId: app.id, signerType: 'legal_representative', legalRepresentativeId: rep.id } })
    const agent = await t.loginAs('sanne')
    const $ = cheerio.load((await agent.get('/beheer/aanvragen?status=awaiting_signature')).text)
    const row = $('tr')
      .toArray()
      .find((tr) => $(tr).text().includes(rep.name))!
    expect($(row).text()).toContain('Wacht op ondertekening')
    expect($(row).text()).toContain('Nog niet genoeg handtekeningen')
  })
})
