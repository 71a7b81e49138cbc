import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { demo, mandateOf } from './helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent
beforeAll(async () => {
  t = await createTestApp()
  d = await demo(t.services.db)
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

const LIST = '/beheer/machtigingen'
const db = () => t.services.db

describe('the list', () => {
  it('When an admin opens Beheer, then he lands on Machtigingen', async () => {
    const response = await sanne.get('/beheer')
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe(LIST)
  })

  it("When an admin opens Machtigingen, then he sees his organisations' active mandates with the seed's buttons", async () => {
    const page = await sanne.get(LIST)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Nieuwe Machtigingen Aanvragen')
    expect(page.text).toContain('href="/beheer/gebruikers/toevoegen"')
    expect(page.text).toContain('Nieuw Middel Aanvragen')
    expect(page.text).toContain('Toon ook inactieve machtigingen')
    expect(page.text).toContain('Machtigingen Verlengen')
    expect(page.text).toContain('aria-label="Machtiging intrekken"')
    expect(page.text).toContain('aria-label="Machtiging verlengen"')
    expect(page.text).toContain('Alle diensten van UWV')
    expect(page.text).toContain('Verloopt binnen twee maanden')
    expect(page.text).not.toContain('Bakker Installatietechniek B.V.</td>')
    expect(page.text).not.toContain('Activeren')
  })

  it('When "Toon ook inactieve machtigingen" is ticked, then expired ones show with "Activeren" and revoked ones without', async () => {
    const page = await sanne.get(`${LIST}?inactief=1`)
    expect(page.text).toContain('Verklaring Omtrent het Gedrag (VOG) klaarzetten')
    expect(page.text).toContain('>Activeren</a>')
    expect(page.text).toContain('Ingetrokken')
    const revoked = await mandateOf(db(), d.fatma, d.bakkerij, 'Aangifte loonheffingen')
    expect(page.text).not.toContain(`/beheer/machtigingen/${revoked.id}/activeren`)
  })

  it("When the list is filtered by another organisation's id, then it answers 404; by a text that fits none of the admin's, then the field says so (400)", async () => {
    expect((await sanne.get(`${LIST}?organisatie=${d.bakker}`)).status).toBe(404)
    const unknown = await sanne.get(`${LIST}?organisatie=not-a-uuid`)
    expect(unknown.status).toBe(400)
    expect(unknown.text).toContain('Geen organisatie die u hier kunt kiezen heeft ‘not-a-uuid’')
  })

  it('When "Aantal per pagina" is set to 50, then up to 50 rows show and the paging links keep the choice; 7 is refused at the field', async () => {
    const rows = (html: string) => (html.match(/<th scope="row"/g) ?? []).length
    const total = await db().mandate.count({
      where: { kind: 'use', organisationId: { in: [d.bakkerij, d.holding] }, status: { in: ['active', 'pending', 'expired', 'revoked', 'suspended'] } },
    })
    const standard = await sanne.get(`${LIST}?inactief=1`)
    expect(rows(standard.text)).toBe(Math.min(total, 25))
    expect(standard.text).toContain('Aantal per pagina')
    const fifty = await sanne.get(`${LIST}?inactief=1&per=50`)
    expect(rows(fifty.text)).toBe(Math.min(total, 50))
    expect(fifty.text).toMatch(/<option value="50" selected>50<\/option>/)
    if (total > 25) expect(standard.text).toMatch(/href="\/beheer\/machtigingen\?inactief=1&amp;na=/)
    if (total > 50) expect(fifty.text).toMatch(/href="\/beheer\/machtigingen\?inactief=1&amp;per=50&amp;na=/)
    const bad = await sanne.get(`${LIST}?per=7`)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Dit filter is ongeldig')
  })

  it('When a plain user opens Machtigingen, then it does not exist for him', async () => {
    const jan = await t.loginAs('jan')
    expect((await jan.get(LIST)).status).toBe(404)
  })
})

describe('Nieuwe Machtigingen Aanvragen', () => {
  it('When an admin follows the steps with "alle", then the user gets a mandate for all services', async () => {
    const start = await sanne.get(`${LIST}/nieuw`)
    expect(start.headers.location).toBe(`${LIST}/nieuw/organisatie`)
    let r = await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.bakkerij })
    expect(r.headers.location).toBe(`${LIST}/nieuw/gebruiker`)
    r = await postForm(sanne, `${LIST}/nieuw/gebruiker`, `${LIST}/nieuw/gebruiker`, { userId: d.fatma })
    expect(r.headers.location).toBe(`${LIST}/nieuw/niveau`)
    r = await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH3' })
    expect(r.headers.location).toBe(`${LIST}/nieuw/diensten`)
    const search = await sanne.get(`${LIST}/nieuw/diensten?zoek=alle`)
    expect(search.text).toContain('Alle diensten')
    expect(search.text).toContain('Machtiging toevoegen')
    r = await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: 'all', zoek: 'alle' })
    expect(r.status).toBe(303)
    const kvk = await d.provider('Kamer van Koophandel')
    r = await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: `provider:${kvk}` })
    const added = await sanne.get(`${LIST}/nieuw/diensten`)
    expect(added.text).toContain('Alle diensten van Kamer van Koophandel')
    r = await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'next' })
    expect(r.headers.location).toBe(`${LIST}/nieuw/termijn`)
    const term = await sanne.get(`${LIST}/nieuw/termijn`)
    expect(term.text).toContain('UWV en de Belastingdienst')
    r = await postForm(sanne, `${LIST}/nieuw/termijn`, `${LIST}/nieuw/termijn`, { termYears: '3', branchId: '' })
    expect(r.headers.location).toBe(`${LIST}/nieuw/bevestigen`)
    r = await postForm(sanne, `${LIST}/nieuw/bevestigen`, `${LIST}/nieuw/bevestigen`, {})
    expect(r.headers.location).toBe(`${LIST}/nieuw/resultaat`)
    const result = await sanne.get(`${LIST}/nieuw/resultaat`)
    expect(result.text).toContain('2 machtigingen zijn toegekend')
    const all = await db().mandate.findFirst({ where: { userId: d.fatma, organisationId: d.bakkerij, scope: 'all', status: 'active' } })
    expect(all).not.toBeNull()
    expect(await db().auditEvent.count({ where: { subjectId: all!.id, action: 'mandate.granted' } })).toBe(1)
  })

  it('When "Toon niet gekoppelde gebruikers" is ticked and such a user is chosen, then nothing is sent until the last step; confirming sends the link request with the waiting mandates and says so', async () => {
    await sanne.get(`${LIST}/nieuw`)
    await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.holding })
    const plain = await sanne.get(`${LIST}/nieuw/gebruiker`)
    expect(plain.text).toContain('Toon niet gekoppelde gebruikers')
    expect(plain.text).not.toContain('Mark Visser')
    const wider = await sanne.get(`${LIST}/nieuw/gebruiker?toonNietGekoppeld=1`)
    expect(wider.text).toContain('Mark Visser (niet gekoppeld)')
    await postForm(sanne, `${LIST}/nieuw/gebruiker?toonNietGekoppeld=1`, `${LIST}/nieuw/gebruiker`, { userId: d.mark, toonNietGekoppeld: '1' })
    expect(await db().linkRequest.count({ where: { userId: d.mark, organisationId: d.holding, status: 'pending' } })).toBe(0)
    const level = await sanne.get(`${LIST}/nieuw/niveau`)
    expect(level.text).toContain('hoger dan het eHerkenningsmiddel van de gebruiker')
    await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH2' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: 'all' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'next' })
    await postForm(sanne, `${LIST}/nieuw/termijn`, `${LIST}/nieuw/termijn`, { termYears: '1' })
    const confirm = await sanne.get(`${LIST}/nieuw/bevestigen`)
    expect(confirm.text).toContain('Wacht op koppeling')
    expect(await db().linkRequest.count({ where: { userId: d.mark, organisationId: d.holding, status: 'pending' } })).toBe(0)
    await postForm(sanne, `${LIST}/nieuw/bevestigen`, `${LIST}/nieuw/bevestigen`, {})
    const m = await db().mandate.findFirst({ where: { userId: d.mark, organisationId: d.holding } })
    expect(m?.status).toBe('pending')
    const request = await db().linkRequest.findFirst({ where: { userId: d.mark, organisationId: d.holding, status: 'pending' } })
    expect(request).not.toBeNull()
    expect(await db().outgoingMail.count({ where: { template: 'link-request', idempotencyKey: `link-request:${request!.id}` } })).toBe(1)
    const result = await sanne.get(`${LIST}/nieuw/resultaat`)
    expect(result.text).toContain('wachten tot Mark Visser het verzoek accepteert')
    expect(result.text).not.toContain('is toegekend')
  })

  it('When the admin searches the user step by name or e-mail, then only matching users show, a page at a time', async () => {
    await sanne.get(`${LIST}/nieuw`)
    await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.bakkerij })
    const found = await sanne.get(`${LIST}/nieuw/gebruiker?zoek=smit`)
    expect(found.text).toContain('Jan Smit')
    expect(found.text).not.toContain('Fatma')
    const byMail = await sanne.get(`${LIST}/nieuw/gebruiker?zoek=jan.smit%40demo`)
    expect(byMail.text).toContain('Jan Smit')
    const none = await sanne.get(`${LIST}/nieuw/gebruiker?zoek=zzzzqq`)
    expect(none.text).toContain('Geen gebruikers gevonden')
    const first = await sanne.get(`${LIST}/nieuw/gebruiker?toonNietGekoppeld=1`)
    expect(first.status).toBe(200)
    expect((first.text.match(/name="userId"/g) ?? []).length).toBeLessThanOrEqual(25)
  })

  it('When a level above what the rules allow is posted, then the step refuses it with the reason', async () => {
    await sanne.get(`${LIST}/nieuw`)
    await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.bakkerij })
    await postForm(sanne, `${LIST}/nieuw/gebruiker`, `${LIST}/nieuw/gebruiker`, { userId: d.jan })
    const tooHigh = await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH3' })
    expect(tooHigh.status).toBe(422)
    expect(tooHigh.text).toContain('Dit niveau is hoger dan het actieve eHerkenningsmiddel van de gebruiker (EH2+)')
    expect(tooHigh.text).toContain('href="#field-level"')
    const aboveAdmin = await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH4' })
    expect(aboveAdmin.status).toBe(422)
    expect(aboveAdmin.text).toContain('hoger dan uw eigen beheerdersmachtiging (EH3)')
    const empty = await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, {})
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Kies een betrouwbaarheidsniveau')
  })

  it("When an unknown service, a too demanding service, a bad term or another organisation's branch is posted, then each is refused with the reason", async () => {
    await postForm(sanne, `${LIST}/nieuw/niveau`, `${LIST}/nieuw/niveau`, { level: 'EH2_PLUS' })
    const unknown = await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, {
      action: 'add',
      choice: 'service:00000000-0000-4000-8000-000000000000',
    })
    expect(unknown.status).toBe(422)
    expect(unknown.text).toContain('Deze dienst bestaat niet in de dienstencatalogus')
    const mbd = await d.service('Mijn Belastingdienst Zakelijk')
    const demanding = await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: `service:${mbd}` })
    expect(demanding.status).toBe(422)
    expect(demanding.text).toContain('Mijn Belastingdienst Zakelijk vereist minstens niveau EH3')
    const none = await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'next' })
    expect(none.status).toBe(422)
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'add', choice: 'all' })
    await postForm(sanne, `${LIST}/nieuw/diensten`, `${LIST}/nieuw/diensten`, { action: 'next' })
    const badTerm = await postForm(sanne, `${LIST}/nieuw/termijn`, `${LIST}/nieuw/termijn`, { termYears: '2' })
    expect(badTerm.status).toBe(400)
    expect(badTerm.text).toContain('Kies een looptijd van 1, 3 of 5 jaar')
    const foreign = await db().branch.findFirstOrThrow({ where: { organisationId: d.bakker } })
    const badBranch = await postForm(sanne, `${LIST}/nieuw/termijn`, `${LIST}/nieuw/termijn`, { termYears: '1', branchId: foreign.id })
    expect(badBranch.status).toBe(422)
    expect(badBranch.text).toContain('Kies een vestiging van deze organisatie')
    expect(badBranch.text).toContain('href="#field-branchId"')
  })

  it('When another organisation or user id is posted in the wizard, then it answers 404; a text that fits none of her organisations is said at the field', async () => {
    await sanne.get(`${LIST}/nieuw`)
    expect((await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.bakker })).status).toBe(404)
    const unknown = await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: 'x' })
    expect(unknown.status).toBe(400)
    expect(unknown.text).toContain('Geen organisatie die u hier kunt kiezen heeft ‘x’')
    await postForm(sanne, `${LIST}/nieuw/organisatie`, `${LIST}/nieuw/organisatie`, { organisationId: d.bakkerij })
    expect((await postForm(sanne, `${LIST}/nieuw/gebruiker`, `${LIST}/nieuw/gebruiker`, { userId: d.ahmed })).status).toBe(404)
    expect((await postForm(sanne, `${LIST}/nieuw/gebruiker`, `${LIST}/nieuw/gebruiker`, { userId: '123' })).status).toBe(404)
    expect(await db().linkRequest.count({ where: { userId: d.ahmed } })).toBe(0)
  })

  it('When a later step is opened before the earlier ones, then the admin is sent back to the first open step', async () => {
    const pieter = await t.loginAs('pieter')
    const response = await pieter.get(`${LIST}/nieuw/bevestigen`)
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe(`${LIST}/nieuw/organisatie`)
  })
})

describe('revoke, renew and activate one mandate', () => {
  it('When the admin clicks the trash can and confirms, then the mandate is revoked, he sees a confirmation and the holder gets a mail', async () => {
    const m = await mandateOf(db(), d.jan, d.bakkerij, 'mijn.rvo.nl')
    const confirm = await sanne.get(`${LIST}/${m.id}/intrekken`)
    expect(confirm.status).toBe(200)
    expect(confirm.text).toContain('Weet u zeker')
    const response = await postForm(sanne, `${LIST}/${m.id}/intrekken`, `${LIST}/${m.id}/intrekken`, {})
    expect(response.status).toBe(303)
    const list = await sanne.get(LIST)
    expect(list.text).toContain('De machtiging van Jan Smit is ingetrokken')
    expect((await db().mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('revoked')
    expect(await db().auditEvent.count({ where: { subjectId: m.id } })).toBe(1)
    expect(await db().outgoingMail.count({ where: { template: 'mandate-revoked', toAddress: 'jan.smit@demo.example' } })).toBe(1)
    const again = await postForm(sanne, `${LIST}/${m.id}/intrekken`, `${LIST}/${m.id}/intrekken`, {})
    expect(again.status).toBe(422)
    expect(again.text).toContain('Deze machtiging is al ingetrokken')
  })

  it('When the admin uses the renew icon, then the mandate is extended from its end by the chosen term', async () => {
    const m = await mandateOf(db(), d.fatma, d.bakkerij, 'Aangifte omzetbelasting')
    const page = await sanne.get(`${LIST}/${m.id}/verlengen`)
    expect(page.text).toContain('1 jaar')
    expect(page.text).toContain('5 jaar')
    const bad = await postForm(sanne, `${LIST}/${m.id}/verlengen`, `${LIST}/${m.id}/verlengen`, { termYears: '4' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Kies een looptijd van 1, 3 of 5 jaar')
    const response = await postForm(sanne, `${LIST}/${m.id}/verlengen`, `${LIST}/${m.id}/verlengen`, { termYears: '1' })
    expect(response.status).toBe(303)
    expect((await sanne.get(LIST)).text).toContain('De machtiging van Fatma Yılmaz is verlengd tot')
    const tooLong = await postForm(sanne, `${LIST}/${m.id}/verlengen`, `${LIST}/${m.id}/verlengen`, { termYears: '5' })
    expect(tooLong.status).toBe(422)
    expect(tooLong.text).toContain('meer dan 5 jaar vooruit')
  })

  it('When the admin activates an expired mandate, then it is active again; a revoked one cannot be activated', async () => {
    const m = await mandateOf(db(), d.ingrid, d.holding, 'Aangifte vennootschapsbelasting', 'expired')
    const response = await postForm(sanne, `${LIST}/${m.id}/activeren`, `${LIST}/${m.id}/activeren`, { termYears: '1' })
    expect(response.status).toBe(303)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('active')
    const revoked = await mandateOf(db(), d.fatma, d.bakkerij, 'Aangifte loonheffingen')
    const refused = await postForm(sanne, `${LIST}/${revoked.id}/activeren`, `${LIST}/${revoked.id}/activeren`, { termYears: '1' })
    expect(refused.status).toBe(422)
    expect(refused.text).toContain('Een ingetrokken machtiging kan niet opnieuw worden geactiveerd')
  })

  it("When another organisation's mandate or a malformed id is used, then it answers 404 and nothing changes", async () => {
    const pieter = await t.loginAs('pieter')
    const m = await mandateOf(db(), d.fatma, d.bakkerij, 'Mijn Belastingdienst Zakelijk')
    expect((await pieter.get(`${LIST}/${m.id}/intrekken`)).status).toBe(404)
    expect((await postForm(pieter, LIST, `${LIST}/${m.id}/intrekken`, {})).status).toBe(404)
    expect((await postForm(pieter, LIST, `${LIST}/${m.id}/verlengen`, { termYears: '1' })).status).toBe(404)
    expect((await postForm(pieter, LIST, `${LIST}/${m.id}/activeren`, { termYears: '1' })).status).toBe(404)
    expect((await sanne.get(`${LIST}/not-a-uuid/intrekken`)).status).toBe(404)
    expect((await postForm(sanne, LIST, `${LIST}/12345/verlengen`, { termYears: '1' })).status).toBe(404)
    const after = await db().mandate.findUniqueOrThrow({ where: { id: m.id } })
    expect(after.status).toBe('active')
    expect(after.validUntil).toEqual(m.validUntil)
  })
})

/** The digest a bulk confirmation page binds its form to, for one choice. */
const digestOn = (html: string, choice: 'selected' | 'filter') => new RegExp(`name="digest_${choice}" value="([^"]+)"`).exec(html)![1]!

describe('Machtigingen Verlengen', () => {
  it('When selected mandates are renewed in bulk, then the result lists per mandate what happened and why', async () => {
    const ok = await mandateOf(db(), d.ingrid, d.holding, 'Inschrijving wijzigen')
    const tooLong = await mandateOf(db(), d.jan, d.bakkerij, 'Ondernemersloket Zwolle')
    const page = await sanne.get(`${LIST}/verlengen?id=${ok.id}&id=${tooLong.id}`)
    expect(page.text).toContain('De 2 geselecteerde machtigingen')
    const response = await postForm(sanne, `${LIST}/verlengen?id=${ok.id}`, `${LIST}/verlengen`, {
      selection: 'selected',
      termYears: '3',
      id: [ok.id, tooLong.id],
      digest_selected: digestOn(page.text, 'selected'),
    })
    expect(response.status).toBe(303)
    const result = await sanne.get(`${LIST}/verlengen/resultaat`)
    expect(result.text).toContain('1 verlengd, 1 niet verlengd')
    expect(result.text).toContain('Niet verlengd: de machtiging zou dan meer dan 5 jaar vooruit lopen.')
    expect(await db().auditEvent.count({ where: { subjectId: ok.id, action: 'mandate.renewed' } })).toBe(1)
  })

  it('When "all matching the filter" is chosen, then every mandate matching the filter is considered', async () => {
    const pieter = await t.loginAs('pieter')
    const page = await pieter.get(`${LIST}/verlengen?niveau=EH2_PLUS`)
    const response = await postForm(pieter, `${LIST}/verlengen`, `${LIST}/verlengen`, {
      selection: 'filter',
      termYears: '1',
      niveau: 'EH2_PLUS',
      digest_filter: digestOn(page.text, 'filter'),
    })
    expect(response.status).toBe(303)
    const result = await pieter.get(`${LIST}/verlengen/resultaat`)
    expect(result.text).toContain('Linda de Groot')
    expect(result.text).not.toContain('Ahmed Bouzid')
  })

  it('When nothing is selected or no term is chosen, then the page says so next to the field', async () => {
    const noTerm = await postForm(sanne, `${LIST}/verlengen`, `${LIST}/verlengen`, { selection: 'selected' })
    expect(noTerm.status).toBe(400)
    expect(noTerm.text).toContain('Kies een looptijd van 1, 3 of 5 jaar')
    const none = await postForm(sanne, `${LIST}/verlengen`, `${LIST}/verlengen`, { selection: 'selected', termYears: '1' })
    expect(none.status).toBe(422)
    expect(none.text).toContain('Vink in de lijst minstens één machtiging aan')
  })

  it("When another organisation's mandate ids are posted, then it answers 404 and nothing changes", async () => {
    const pieter = await t.loginAs('pieter')
    const m = await mandateOf(db(), d.fatma, d.bakkerij, 'Mijn Belastingdienst Zakelijk')
    const response = await postForm(pieter, `${LIST}/verlengen`, `${LIST}/verlengen`, { selection: 'selected', termYears: '1', id: m.id })
    expect(response.status).toBe(404)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: m.id } })).validUntil).toEqual(m.validUntil)
  })
})
