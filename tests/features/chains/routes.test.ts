// Ketenmachtigingen over HTTP with the demo data: Sanne (admin of De Vries Holding) gives one to the
// demo intermediary, Johan (its admin) assigns an employee, "Wie mag wat" shows the chain, and
// revoking on the client's side ends the assignment. Bad input is refused with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { links } from '../../../src/paths.ts'
import { check } from '../../../src/shared/authorisations.ts'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'

let t: TestApp
let sanne: Agent
let johan: Agent
const ids = { holding: '', bakker: '', sophie: '', jan: '', service: '', chain: '' }

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  ids.holding = (await db.organisation.findUniqueOrThrow({ where: { kvkNumber: '85124096' } })).id
  ids.bakker = (await db.organisation.findUniqueOrThrow({ where: { kvkNumber: '72039584' } })).id
  ids.sophie = (await db.user.findUniqueOrThrow({ where: { emailKey: 'sophie.kramer@demo.example' } })).id
  ids.jan = (await db.user.findUniqueOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })).id
  ids.service = (await db.service.findFirstOrThrow({ where: { requiredLevel: 'EH3' }, orderBy: { name: 'asc' } })).id
  sanne = await t.loginAs('sanne')
  johan = await t.loginAs('johan')
})

afterAll(async () => {
  await t?.close()
})

const give = (fields: Record<string, string>) =>
  postForm(sanne, links.chainGive(), links.chainGive(), {
    organisationId: ids.holding,
    kvkNumber: '81937204',
    intermediaryName: '',
    scope: 'all',
    level: 'EH3',
    termYears: '1',
    ...fields,
  })

/** The digest of a confirmation page. */
const digestOf = (html: string) => /name="digest" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1] ?? ''

/** "Controleren", then "Ondertekenen" on the confirmation page it showed. */
async function giveSigned(fields: Record<string, string>) {
  const confirm = await give(fields)
  expect(confirm.status).toBe(200)
  return postForm(sanne, links.chainGive(), links.chainGiveSign(), { ...baseFields(), ...fields, digest: digestOf(confirm.text) })
}

const baseFields = () => ({ organisationId: ids.holding, kvkNumber: '81937204', intermediaryName: '', scope: 'all', level: 'EH3', termYears: '1' })

/** A status page (intrekken, schorsen, opheffen) and its form posted with the digest it showed. */
async function confirmStatus(agent: Agent, page: string, digest?: string) {
  const shown = await agent.get(page)
  return { shown, response: await postForm(agent, page, page, { digest: digest ?? digestOf(shown.text) }) }
}

describe('giving a ketenmachtiging (client admin)', () => {
  it('When an EH3 admin opens "Nieuwe ketenmachtiging", then EH3 is offered and EH4 (above his own level, rule 2) is not', async () => {
    const page = await sanne.get(links.chainGive())
    expect(page.status).toBe(200)
    expect(page.text).toMatch(/name="level"[^>]*value="EH3"|value="EH3"[^>]*name="level"/)
    expect(page.text).not.toMatch(/name="level"[^>]*value="EH4"|value="EH4"[^>]*name="level"/)
  })

  it.each([
    ['a KvK number of 7 digits', { kvkNumber: '8193720' }, 400, 'Een KvK-nummer bestaat uit 8 cijfers.'],
    ["the client's own number", { kvkNumber: '85124096' }, 422, 'Een organisatie kan zichzelf geen ketenmachtiging geven.'],
    ["a level above the admin's own", { level: 'EH4' }, 422, 'EH3'],
    ['an unknown intermediary without a name', { kvkNumber: '12345678' }, 422, 'vul de naam in'],
  ])('When the form has %s, then it is refused with the reason and nothing changes', async (_what, fields, status, message) => {
    const before = await t.database.db.chainMandate.count()

    const response = await give(fields)

    expect(response.status).toBe(status)
    expect(response.text).toContain(message)
    expect(await t.database.db.chainMandate.count()).toBe(before)
  })

  it('When the organisation is one the admin does not administer, then it answers 404', async () => {
    expect((await give({ organisationId: ids.bakker })).status).toBe(404)
  })

  it('When Sanne checks the form, then the confirmation page shows what she signs, and nothing is given before Ondertekenen', async () => {
    const before = await t.database.db.chainMandate.count()

    const confirm = await give({ level: 'EH3', termYears: '3' })

    expect(confirm.status).toBe(200)
    for (const text of [
      'Controleren en ondertekenen',
      'De Vries Holding B.V.',
      '85124096',
      'Administratiekantoor Van Dijk &amp; Partners B.V.',
      '81937204',
      'Alle diensten (algemene bevoegdheid)',
      'EH3',
      '3 jaar',
      'Door te ondertekenen',
      'Ondertekenen',
    ])
      expect(confirm.text).toContain(text)
    expect(await t.database.db.chainMandate.count()).toBe(before)
  })

  it('When the confirmation signed is not what would be given now (another term, a forged digest), then it is refused with the new state and nothing is given', async () => {
    const before = await t.database.db.chainMandate.count()
    const confirm = await give({})

    const response = await postForm(sanne, links.chainGive(), links.chainGiveSign(), { ...baseFields(), termYears: '5', digest: digestOf(confirm.text) })

    expect(response.status).toBe(409)
    expect(response.text).toContain('Er is iets veranderd sinds u deze pagina opende')
    expect(response.text).toContain('5 jaar')
    expect(await t.database.db.chainMandate.count()).toBe(before)
  })

  it('When Sanne searches a service for a per-dienst scope, then the results come from the catalogue search, paged, with what she typed kept', async () => {
    const search = await postForm(sanne, links.chainGive(), links.chainGive(), {
      ...baseFields(),
      kvkNumber: '8193',
      scope: 'service',
      zoek: 'belasting',
      action: 'search',
    })

    expect(search.status).toBe(200)
    expect(search.text).toContain('Mijn Belastingdienst Zakelijk')
    expect(search.text).toContain('value="8193"')
    const all = await postForm(sanne, links.chainGive(), links.chainGive(), { ...baseFields(), scope: 'service', zoek: '', zoekpagina: '2' })
    expect(all.status).toBe(200)
    expect(all.text).toContain('Vorige diensten')
    const none = await postForm(sanne, links.chainGive(), links.chainGive(), { ...baseFields(), scope: 'service', zoek: 'zzzz-niets', action: 'search' })
    expect(none.text).toContain('Geen dienst gevonden')
    const missing = await give({ scope: 'service', serviceId: '' })
    expect(missing.status).toBe(422)
    expect(missing.text).toContain('Kies de dienst.')
  })

  it('When the demo intermediary (a customer here) is authorised, then it is active and both sides get a mail', async () => {
    const response = await giveSigned({})

    expect(response.status).toBe(303)
    const chain = await t.database.db.chainMandate.findFirstOrThrow({ where: { organisationId: ids.holding, status: 'active' } })
    ids.chain = chain.id
    const mails = await t.database.db.outgoingMail.findMany({ where: { template: 'chain-given', idempotencyKey: { startsWith: `chain-given:${chain.id}` } } })
    expect(mails.map((m) => m.toAddress)).toEqual(expect.arrayContaining(['sanne.devries@demo.example', 'johan.vandijk@demo.example']))
    expect(await t.database.db.auditEvent.count({ where: { action: 'chain.given', subjectId: chain.id } })).toBe(2)
    expect((await give({})).text).toContain('al een actieve ketenmachtiging')
    expect((await postForm(sanne, links.chainGive(), links.chainGiveSign(), { ...baseFields(), organisationId: ids.bakker, digest: 'x' })).status).toBe(404)
  })

  it('When the intermediary is not a customer, then only the client admin gets the four facts', async () => {
    const response = await giveSigned({ kvkNumber: '12345678', intermediaryName: 'Loonbureau Test B.V.', scope: 'service', serviceId: ids.service })

    expect(response.status).toBe(303)
    const mail = await t.database.db.outgoingMail.findFirstOrThrow({
      where: { template: 'chain-given', data: { path: ['intermediaryKvk'], equals: '12345678' } },
    })
    expect(mail.toAddress).toBe('sanne.devries@demo.example')
    expect(mail.data).toMatchObject({ role: 'facts', clientKvk: '85124096' })
  })
})

describe('Klanten and Medewerkers machtigen (intermediary admin)', () => {
  const assign = (fields: Record<string, string>) =>
    postForm(johan, links.chainClient(ids.chain), links.chainClient(ids.chain), { userId: ids.sophie, scopeKey: 'all', level: 'EH3', ...fields })

  it('When Johan opens Klanten, then the holding is there', async () => {
    const page = await johan.get(links.chainClients())
    expect(page.status).toBe(200)
    expect(page.text).toContain('De Vries Holding B.V.')
  })

  it.each([
    ['a person of another organisation', () => ({ userId: ids.jan }), 'Kies een medewerker van uw eigen organisatie.'],
    ["a level above the chain's", () => ({ level: 'EH4' }), 'niveau EH3'],
    ['a scope that is not a scope', () => ({ scopeKey: 'provider:00000000-0000-4000-8000-000000000000' }), 'niet voor deze dienst gemachtigd'],
  ])('When the assignment names %s, then it is refused with the reason', async (_what, fields, message) => {
    const response = await assign(fields())
    expect(response.status).toBe(422)
    expect(response.text).toContain(message)
    expect(await t.database.db.chainAssignment.count({ where: { chainMandateId: ids.chain } })).toBe(0)
  })

  it("When Sanne opens the intermediary's page of this chain, or Johan another id, then it answers 404", async () => {
    expect((await sanne.get(links.chainClient(ids.chain))).status).toBe(404)
    expect((await johan.get(links.chainClient('00000000-0000-4000-8000-000000000000'))).status).toBe(404)
  })

  it('When Johan assigns Sophie, then Wie mag wat shows her with the chain as the path, also in the CSV', async () => {
    expect((await assign({})).status).toBe(303)

    expect(await check(t.database.db, ids.sophie, ids.holding, ids.service)).toMatchObject({ allowed: true, path: { via: 'chain' } })
    const page = await sanne.get(links.who({ organisatie: ids.holding, dienst: ids.service }))
    expect(page.text).toContain('Sophie')
    expect(page.text).toContain('Ketenmachtiging via Administratiekantoor Van Dijk &amp; Partners B.V.')
    const csv = await sanne.get(links.whoExport({ organisatie: ids.holding, dienst: ids.service }))
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.text).toContain('sophie.kramer@demo.example')
    expect((await sanne.get(links.who({ organisatie: ids.bakker, dienst: ids.service }))).status).toBe(404)
  })

  it('When Sanne suspends the chain, then check refuses (suspended), Wie mag wat drops Sophie, both sides are told, and assigning is refused; lifting restores her', async () => {
    const { shown, response } = await confirmStatus(sanne, links.chainSuspend(ids.chain))
    expect(shown.text).toContain('1 toegewezen medewerker van de intermediair kan dan niet meer handelen.')
    expect(response.status).toBe(303)

    expect(await check(t.database.db, ids.sophie, ids.holding, ids.service)).toEqual({ allowed: false, reason: 'suspended' })
    expect((await sanne.get(links.who({ organisatie: ids.holding, dienst: ids.service }))).text).not.toContain('Sophie')
    expect(await t.database.db.chainAssignment.count({ where: { chainMandateId: ids.chain, status: 'active' } })).toBe(1)
    const audit = await t.database.db.auditEvent.findMany({ where: { action: 'chain.suspended', subjectId: ids.chain } })
    expect(audit.map((a) => a.organisationId).sort()).toEqual(
      [ids.holding, (await t.database.db.chainMandate.findUniqueOrThrow({ where: { id: ids.chain } })).intermediaryOrganisationId].sort(),
    )
    const mails = await t.database.db.outgoingMail.findMany({
      where: { template: 'chain-status', idempotencyKey: { startsWith: `chain-status:${ids.chain}:suspended` } },
    })
    expect(mails.map((m) => m.toAddress)).toEqual(expect.arrayContaining(['sanne.devries@demo.example', 'johan.vandijk@demo.example']))
    const refused = await assign({ userId: ids.sophie, level: 'EH3' })
    expect(refused.status).toBe(422)
    expect(refused.text).toContain('De klant heeft deze ketenmachtiging geschorst')
    expect((await sanne.get(links.chainSuspend(ids.chain))).text).toContain('Deze ketenmachtiging is al geschorst.')

    const lifted = await confirmStatus(sanne, links.chainLift(ids.chain))
    expect(lifted.response.status).toBe(303)
    expect(await check(t.database.db, ids.sophie, ids.holding, ids.service)).toMatchObject({ allowed: true, path: { via: 'chain' } })
    expect(await t.database.db.auditEvent.count({ where: { action: 'chain.suspension_lifted', subjectId: ids.chain } })).toBe(2)
  })

  it('When a status confirmation is stale or forged, then nothing changes and the page shows the state now; another organisation answers 404', async () => {
    const { response } = await confirmStatus(sanne, links.chainSuspend(ids.chain), 'A'.repeat(43))
    expect(response.status).toBe(409)
    expect(response.text).toContain('Er is niets gewijzigd')
    expect((await t.database.db.chainMandate.findUniqueOrThrow({ where: { id: ids.chain } })).status).toBe('active')
    for (const page of [links.chainSuspend(ids.chain), links.chainLift(ids.chain), links.chainRevoke(ids.chain)]) {
      expect((await johan.get(page)).status).toBe(404)
      expect((await postForm(johan, links.chainClients(), page, { digest: 'A'.repeat(43) })).status).toBe(404)
    }
  })

  it('When Sanne revokes the chain, then the assignment ends, and a stale assign form is refused', async () => {
    const { shown, response } = await confirmStatus(sanne, links.chainRevoke(ids.chain))
    expect(shown.text).toContain('1 toegewezen medewerker van de intermediair verliest daarmee de machtiging.')

    expect(response.status).toBe(303)
    expect(await check(t.database.db, ids.sophie, ids.holding, ids.service)).toEqual({ allowed: false, reason: 'revoked' })
    expect(await t.database.db.chainAssignment.count({ where: { chainMandateId: ids.chain, status: 'active' } })).toBe(0)
    const stale = await assign({})
    expect(stale.status).toBe(422)
    expect(stale.text).toContain('De klant heeft deze ketenmachtiging ingetrokken')
    expect(await t.database.db.auditEvent.count({ where: { action: 'chain.revoked', subjectId: ids.chain } })).toBe(2)
  })
})
