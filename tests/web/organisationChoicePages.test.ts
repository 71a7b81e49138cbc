// An admin of more than ORGANISATION_SELECT_MAX organisations (an accountant) types the organisation
// in the filters of Machtigingen, Gebruikers, Logboek and Wie mag wat, and in API-koppelingen' form,
// instead of choosing from a list of all of them; the back office types it in Logboek once there are
// that many organisations. Each page is filled through its own form (tests/helpers/forms.ts).
import * as cheerio from 'cheerio'
import type { Element } from 'domhandler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../../src/domain/auditActions.ts'
import { ORGANISATION_SELECT_MAX } from '../../src/web/organisationChoice.ts'
import { createTestApp, type Agent, type TestApp } from '../helpers/app.ts'
import { giveAdminOrganisations } from '../helpers/adminOrganisations.ts'
import { submitForm, submitFormIn } from '../helpers/forms.ts'

const EXTRA = ORGANISATION_SELECT_MAX + 5
const BAKKERIJ = 'Bakkerij De Vries B.V.'
const ACTION = AUDIT_ACTIONS.find((a) => a === 'organisation.kvk_refreshed')!

let t: TestApp
let sanne: Agent
let bakkerij: { id: string; kvkNumber: string }
/** Wie mag wat shows rows for an organisation and a service. */
const extra: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  await giveAdminOrganisations(db, 'sanne.devries@demo.example', { count: EXTRA, prefix: 'Klant van Sanne', firstKvk: 71000000 })
  bakkerij = await db.organisation.findFirstOrThrow({ where: { name: BAKKERIJ }, select: { id: true, kvkNumber: true } })
  // An entry of the bakkerij for Logboek (the demo writes none), with an action the app writes.
  await db.auditEvent.create({
    data: { actorLabel: 'sanne.devries@demo.example', action: ACTION, organisationId: bakkerij.id, subjectType: 'organisation', subjectId: bakkerij.id },
  })
  const service = await db.service.findFirstOrThrow({ where: { name: 'Aangifte loonheffingen' }, select: { id: true } })
  extra['/beheer/wie-mag-wat'] = { dienst: service.id }
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t?.close()
})

/** The pages with an "Organisatie" filter: where the filter form posts, its field's name, and the rows of a result. */
const FILTERS = [
  { page: 'Machtigingen', url: '/beheer/machtigingen', field: 'organisatie' },
  { page: 'Gebruikers', url: '/beheer/gebruikers', field: 'organisationId' },
  { page: 'Logboek', url: '/beheer/logboek', field: 'organisatie' },
  { page: 'Wie mag wat', url: '/beheer/wie-mag-wat', field: 'organisatie' },
] as const

const filterForm = (url: string) => (form: cheerio.Cheerio<Element>) => form.attr('method') === 'get' && form.attr('action') === url
/** The rows the page shows ('' for none). */
const rowsOf = (html: string) => cheerio.load(html)('main table tbody').html() ?? ''
const fieldOf = (html: string, name: string) => cheerio.load(html)(`[name="${name}"]`).first()

describe('The "Organisatie" field of an admin of many organisations', () => {
  it.each(FILTERS)('When $page opens, then the field is a search field with its hint, not a list of every organisation', async ({ url, field }) => {
    const page = await sanne.get(url)
    expect(page.status).toBe(200)
    const input = fieldOf(page.text, field)
    expect(input.is('input[type="search"]')).toBe(true)
    const $ = cheerio.load(page.text)
    expect($('#' + input.attr('id') + '-hint').text()).toContain('KvK-nummer')
    expect(page.text).not.toContain('Klant van Sanne 01 B.V.</option>')
    expect(page.text).not.toContain(`<option value="${bakkerij.id}"`)
  })

  it.each(FILTERS)(
    'When a KvK number or part of one name is typed in $page, then it shows what the organisation id shows, and the field names the organisation',
    async ({ url, field }) => {
      const more = extra[url] ?? {}
      const byId = await sanne.get(`${url}?${new URLSearchParams({ [field]: bakkerij.id, ...more }).toString()}`)
      expect(byId.status).toBe(200)
      expect(rowsOf(byId.text)).not.toBe('')
      for (const typed of [bakkerij.kvkNumber, 'bakkerij', `${BAKKERIJ} (KvK ${bakkerij.kvkNumber})`]) {
        const result = await submitForm(sanne, url, filterForm(url), { [field]: typed, ...more })
        expect(result.status, typed).toBe(200)
        expect(rowsOf(result.text)).toBe(rowsOf(byId.text))
        expect(fieldOf(result.text, field).attr('value')).toBe(`${BAKKERIJ} (KvK ${bakkerij.kvkNumber})`)
      }
    },
  )

  it.each(FILTERS)('When a text that fits several or none is typed in $page, then the field says so and keeps the text', async ({ url, field }) => {
    const several = await submitForm(sanne, url, filterForm(url), { [field]: 'Klant van Sanne' })
    expect(several.status).toBe(400)
    expect(several.text).toContain(`‘Klant van Sanne’ past bij ${EXTRA} organisaties, onder meer: Klant van Sanne 01 B.V. (KvK 71000001);`)
    expect(fieldOf(several.text, field).attr('value')).toBe('Klant van Sanne')
    expect(fieldOf(several.text, field).attr('aria-invalid')).toBe('true')
    const none = await submitForm(sanne, url, filterForm(url), { [field]: 'Bakker Installatietechniek' })
    expect(none.status).toBe(400)
    // Another admin's organisation is never matched or named.
    expect(none.text).toContain('Geen organisatie die u hier kunt kiezen heeft ‘Bakker Installatietechniek’ in de naam of als KvK-nummer.')
  })

  it("When the filtered list links on (next page, export, bulk), then the links carry the organisation's id", async () => {
    const result = await submitForm(sanne, '/beheer/machtigingen', filterForm('/beheer/machtigingen'), { organisatie: bakkerij.kvkNumber })
    expect(result.text).toContain(`/beheer/machtigingen/export.csv?organisatie=${bakkerij.id}`)
    const users = await submitForm(sanne, '/beheer/gebruikers', filterForm('/beheer/gebruikers'), { organisationId: 'bakkerij' })
    expect(users.text).toContain(`organisationId=${bakkerij.id}`)
  })

  it('When an API client is made with the organisation typed, then it belongs to that organisation; a text that fits several is said at the field', async () => {
    const url = '/beheer/api-koppelingen'
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('method') === 'post' && form.attr('action') === url
    const fields = { name: 'Boekhoudpakket', scopes: 'mandates:read', level: 'EH3' }
    const several = await submitForm(sanne, url, pick, { ...fields, organisationId: 'De Vries' })
    expect(several.status).toBe(400)
    expect(several.text).toContain('‘De Vries’ past bij 2 organisaties')
    expect(fieldOf(several.text, 'name').attr('value')).toBe('Boekhoudpakket')
    // With another field wrong too, both are said at once, and what was typed stays.
    const both = await submitForm(sanne, url, pick, { ...fields, name: '', organisationId: 'De Vries' })
    expect(both.status).toBe(400)
    expect(both.text).toContain('‘De Vries’ past bij 2 organisaties')
    expect(both.text).toContain('Vul een naam in van hoogstens 100 tekens')
    expect(fieldOf(both.text, 'name').attr('aria-invalid')).toBe('true')
    expect(fieldOf(both.text, 'organisationId').attr('value')).toBe('De Vries')
    expect(cheerio.load(both.text)('input[name="scopes"][value="mandates:read"]').attr('checked')).toBeDefined()
    const made = await submitForm(sanne, url, pick, { ...fields, organisationId: bakkerij.kvkNumber })
    expect(made.status).toBe(201)
    const client = await t.database.db.apiClient.findFirstOrThrow({ where: { name: 'Boekhoudpakket' } })
    expect(client.organisationId).toBe(bakkerij.id)
  })

  it('When an admin has few organisations, then the field stays a list of their names (as the FAQ names it)', async () => {
    const pieter = await t.loginAs('pieter')
    for (const { url, field } of FILTERS) {
      const page = await pieter.get(url)
      expect(fieldOf(page.text, field).is('select'), url).toBe(true)
    }
  })

  it('When the back office types an organisation in Logboek, then any organisation can be found by name or KvK number', async () => {
    const office = await t.loginAs('backoffice')
    const url = '/beheer/logboek'
    const page = await office.get(url)
    const input = fieldOf(page.text, 'organisatie')
    expect(input.is('input[type="search"]')).toBe(true)
    const byId = await office.get(`${url}?organisatie=${bakkerij.id}`)
    const byKvk = await submitForm(office, url, filterForm(url), { organisatie: bakkerij.kvkNumber })
    expect(byKvk.status).toBe(200)
    expect(rowsOf(byKvk.text)).toBe(rowsOf(byId.text))
    expect(fieldOf(byKvk.text, 'organisatie').attr('value')).toBe(`${BAKKERIJ} (KvK ${bakkerij.kvkNumber})`)
    const bakker = await submitForm(office, url, filterForm(url), { organisatie: 'installatietechniek' })
    expect(bakker.status).toBe(200)
    expect(fieldOf(bakker.text, 'organisatie').attr('value')).toMatch(/^Bakker Installatietechniek B\.V\. \(KvK \d{8}\)$/)
    const several = await submitForm(office, url, filterForm(url), { organisatie: 'Klant van Sanne' })
    expect(several.status).toBe(400)
    expect(several.text).toContain(`past bij ${EXTRA} organisaties`)
  })
})

describe('The "Organisatie" field of the forms that make something for one of his organisations', () => {
  const holding = () => t.database.db.organisation.findFirstOrThrow({ where: { name: 'De Vries Holding B.V.' }, select: { id: true, kvkNumber: true } })

  it('When he makes a verzoek with the organisation typed, then it is for that organisation; a text that fits several is said at the field and the e-mail address stays', async () => {
    const url = '/beheer/verzoeken/nieuw'
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('method') === 'post' && form.attr('action') === url
    expect(fieldOf((await sanne.get(url)).text, 'organisationId').is('input[type="search"]')).toBe(true)
    const several = await submitForm(sanne, url, pick, { organisationId: 'De Vries', email: 'nieuw.lid@elders.example' })
    expect(several.status).toBe(400)
    expect(several.text).toContain('‘De Vries’ past bij 2 organisaties')
    expect(fieldOf(several.text, 'email').attr('value')).toBe('nieuw.lid@elders.example')
    const made = await submitForm(sanne, url, pick, { organisationId: bakkerij.kvkNumber, email: 'nieuw.lid@elders.example' })
    expect(made.status).toBe(303)
    const request = await t.database.db.linkRequest.findFirstOrThrow({ where: { email: 'nieuw.lid@elders.example' } })
    expect(request.organisationId).toBe(bakkerij.id)
  })

  it('When he appoints an admin, then the page asks for the organisation in a search field', async () => {
    const page = await sanne.get('/beheer/aanvragen/beheerder')
    expect(page.status).toBe(200)
    expect(fieldOf(page.text, 'organisationId').is('input[type="search"]')).toBe(true)
  })

  it('When he gives a ketenmachtiging with the organisation typed, then the confirmation and the signature are for that organisation', async () => {
    const url = '/beheer/ketenmachtigingen/nieuw'
    const client = await holding()
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('method') === 'post' && form.attr('action') === url
    const fields = { organisationId: 'holding', kvkNumber: '81937204', scope: 'all', level: 'EH3', termYears: '1' }
    const confirm = await submitForm(sanne, url, pick, fields, { button: 'Controleren' })
    expect(confirm.status).toBe(200)
    expect(cheerio.load(confirm.text)('input[type="hidden"][name="organisationId"]').attr('value')).toBe(client.id)
    const before = await t.database.db.chainMandate.count({ where: { organisationId: client.id } })
    const signed = await submitFormIn(sanne, confirm.text, url, (form) => form.attr('method') === 'post' && form.attr('action')!.endsWith('/ondertekenen'))
    expect(signed.status).toBe(303)
    expect(await t.database.db.chainMandate.count({ where: { organisationId: client.id } })).toBe(before + 1)
    const several = await submitForm(sanne, url, pick, { ...fields, organisationId: 'Klant van Sanne' }, { button: 'Controleren' })
    expect(several.status).toBe(400)
    expect(several.text).toContain('‘Klant van Sanne’ past bij')
  })

  it("When he starts new mandates, then step 1 asks for the organisation in a search field with the FAQ's hint, and a typed name leads to step 2 for it", async () => {
    const url = '/beheer/machtigingen/nieuw/organisatie'
    await sanne.get('/beheer/machtigingen/nieuw')
    const page = await sanne.get(url)
    const input = fieldOf(page.text, 'organisationId')
    expect(input.is('input[type="search"]')).toBe(true)
    expect(
      cheerio
        .load(page.text)(`#${input.attr('id')}-hint`)
        .text(),
    ).toContain('Selecteer de organisatie waarvoor u de gebruiker wilt machtigen.')
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('method') === 'post' && form.attr('action') === url
    const several = await submitForm(sanne, url, pick, { organisationId: 'Klant van Sanne 1' })
    expect(several.status).toBe(400)
    expect(several.text).toContain('‘Klant van Sanne 1’ past bij')
    const chosen = await submitForm(sanne, url, pick, { organisationId: 'Bakkerij De Vries' })
    expect(chosen.status).toBe(303)
    const step2 = await sanne.get(chosen.headers.location!)
    expect(step2.text).toContain(BAKKERIJ)
  })
  it("When he adds a user with the organisation typed, then the preview is for that organisation; a text that fits several is said at the row's field", async () => {
    const url = '/beheer/gebruikers/toevoegen'
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('method') === 'post' && form.attr('action') === url
    const row = {
      firstName_0: 'Noor',
      lastName_0: 'Bakker',
      dateOfBirth_0: '1990-04-12',
      email_0: 'noor.bakker@bakkerij.example',
      mobile_0: '0612345678',
      level_0: 'EH3',
      termYears_0: '1',
      emailConfirmed: '1',
    }
    expect(fieldOf((await sanne.get(url)).text, 'organisation_0').is('input[type="search"]')).toBe(true)
    const several = await submitForm(sanne, url, pick, { ...row, organisation_0: 'De Vries' }, { button: 'preview' })
    expect(several.status).toBe(422)
    expect(several.text).toContain('‘De Vries’ past bij 2 organisaties')
    expect(fieldOf(several.text, 'organisation_0').attr('value')).toBe('De Vries')
    expect(fieldOf(several.text, 'email_0').attr('value')).toBe('noor.bakker@bakkerij.example')
    const preview = await submitForm(sanne, url, pick, { ...row, organisation_0: bakkerij.kvkNumber }, { button: 'preview' })
    expect(preview.status).toBe(200)
    expect(cheerio.load(preview.text)('main table tbody').text()).toContain(BAKKERIJ)
  })
  it('When he upgrades the means of ticked users with the organisation typed, then the check is for that organisation; a text that fits several is said at the field', async () => {
    const jan = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' }, select: { id: true } })
    const url = `/beheer/gebruikers/upgraden?id=${jan.id}`
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('method') === 'get' && form.attr('action') === '/beheer/gebruikers/upgraden'
    expect(fieldOf((await sanne.get(url)).text, 'organisatie').is('input[type="search"]')).toBe(true)
    const several = await submitForm(sanne, url, pick, { organisatie: 'De Vries', niveau: 'EH3' })
    expect(several.status).toBe(400)
    expect(several.text).toContain('‘De Vries’ past bij 2 organisaties')
    expect(fieldOf(several.text, 'organisatie').attr('value')).toBe('De Vries')
    const checked = await submitForm(sanne, url, pick, { organisatie: 'bakkerij', niveau: 'EH3' })
    expect(checked.status).toBe(200)
    expect(cheerio.load(checked.text)('form[method="post"] input[type="hidden"][name="organisatie"]').attr('value')).toBe(bakkerij.id)
  })
})

describe('Gebruikers of an accountant', () => {
  it('When a person is linked to many of his organisations, then the row names the first five and says how many more; the export names them all', async () => {
    const db = t.database.db
    const person = await db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' }, select: { id: true } })
    const clients = await db.organisation.findMany({ where: { name: { startsWith: 'Klant van Sanne' } }, select: { id: true }, orderBy: { name: 'asc' } })
    await db.organisationLink.createMany({ data: clients.map((c) => ({ userId: person.id, organisationId: c.id })), skipDuplicates: true })
    const page = await sanne.get('/beheer/gebruikers?q=jan.smit')
    const row = cheerio.load(page.text)('main table tbody tr').first()
    const cell = row.find('td').last().text()
    expect(cell).toMatch(
      /^Bakkerij De Vries B\.V\., Klant van Sanne 01 B\.V\., Klant van Sanne 02 B\.V\., Klant van Sanne 03 B\.V\., Klant van Sanne 04 B\.V\. en nog (\d+) organisaties$/,
    )
    expect(Number(/en nog (\d+) organisaties/.exec(cell)![1])).toBe(clients.length + 1 - 5)
    const csv = await sanne.get('/beheer/gebruikers/export.csv?q=jan.smit')
    expect(csv.text).toContain(`Klant van Sanne ${String(EXTRA).padStart(2, '0')} B.V.`)
  })
  it("When a person is linked to many of his organisations, then the person's page asks for the organisation of a means request in a search field, and a typed one is used", async () => {
    const person = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' }, select: { id: true } })
    const url = `/beheer/gebruikers/${person.id}`
    const page = await sanne.get(url)
    expect(page.status).toBe(200)
    const $ = cheerio.load(page.text)
    const renew = $('form[action$="/middel-verlengen"]')
    expect(renew.length).toBe(1)
    expect(renew.find('[name="renewOrganisationId"]').is('input[type="search"]')).toBe(true)
    const pick = (form: cheerio.Cheerio<Element>) => form.attr('action')!.endsWith('/middel-verlengen')
    const several = await submitForm(sanne, url, pick, { renewOrganisationId: 'De Vries', renewTermYears: '1' })
    expect(several.status).toBe(400)
    expect(several.text).toContain('‘De Vries’ past bij 2 organisaties')
    const renewed = await submitForm(sanne, url, pick, { renewOrganisationId: bakkerij.kvkNumber, renewTermYears: '1' })
    expect(renewed.status).toBe(303)
  })
})
