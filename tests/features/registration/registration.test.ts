// "eHerkenning aanvragen" (rules 11, 23): KvK look-up, the first admin, signing by the legal
// representatives, and the customer that results; with the bad-input cases of issue 12.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { systemActor } from '../../../src/shared/actor.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
// Every test starts with fresh attempt counters (all requests here come from one address).
beforeEach(async () => {
  await t.database.db.rateLimit.deleteMany()
})

const db = () => t.database.db
const START = '/eherkenning-aanvragen'
const DETAILS = '/eherkenning-aanvragen/gegevens'

const admin = (email: string, level = 'EH2_PLUS') => ({
  firstName: 'Eva',
  lastName: 'Jansen',
  dateOfBirth: '1985-06-15',
  email,
  emailConfirmed: '1',
  mobile: '06 12345678',
  level,
})

async function apply(kvkNumber: string, fields: Record<string, string>, agent: Agent = t.agent()) {
  const start = await postForm(agent, START, START, { kvkNumber })
  expect(start.status).toBe(303)
  const page = `${DETAILS}?kvk=${kvkNumber}`
  return postForm(agent, page, DETAILS, { kvkNumber, ...fields })
}

async function signLinks(registrationKvk: string): Promise<Map<string, string>> {
  const mails = await db().outgoingMail.findMany({ where: { template: 'registration-signing' }, orderBy: { createdAt: 'asc' } })
  const links = new Map<string, string>()
  for (const m of mails) {
    const data = m.data as { kvkNumber: string; signPath: string }
    if (data.kvkNumber === registrationKvk) links.set(m.toAddress, data.signPath)
  }
  return links
}

async function sign(path: string) {
  const agent = t.agent()
  return postForm(agent, path, path, {})
}

describe('eHerkenning aanvragen: the KvK number', () => {
  it('When the number is not 8 digits, unknown, or the register is down, then the page says so with the number kept and stores nothing', async () => {
    const short = await postForm(t.agent(), START, START, { kvkNumber: '1234567' })
    expect(short.status).toBe(400)
    expect(short.text).toContain('KvK-nummer in van 8 cijfers')
    expect(short.text).toContain('value="1234567"')
    const unknown = await postForm(t.agent(), START, START, { kvkNumber: '12345678' })
    expect(unknown.status).toBe(404)
    expect(unknown.text).toContain('staat niet in het Handelsregister')

    const down = await createTestApp({ env: { KVK_API_URL: 'http://127.0.0.1:9', KVK_API_KEY: 'k', KVK_TIMEOUT_MS: '500' } })
    try {
      const response = await postForm(down.agent(), START, START, { kvkNumber: '90417263' })
      expect(response.status).toBe(503)
      expect(response.text).toContain('niet bereikbaar')
      expect(response.text).toContain('value="90417263"')
    } finally {
      await down.close()
    }
    expect(await db().registration.count()).toBe(0)
  })

  it('When the company is already a customer with admins, then the page says so without naming anyone', async () => {
    const response = await postForm(t.agent(), START, START, { kvkNumber: '86231457' })
    expect(response.status).toBe(200)
    expect(response.text).toContain('gebruikt eHerkenning al')
    expect(response.text).not.toMatch(/Sanne|Hendrik|sanne\.devries/)
  })
})

describe('eHerkenning aanvragen: joint authority', () => {
  it('When both joint representatives sign, then the company is a customer with an active EH2+ admin who gets the activation mail', async () => {
    const details = await t.agent().get(`${DETAILS}?kvk=91528374`)
    expect(details.text).toContain('Groene Vallei Zorg B.V.')
    expect(details.text).toContain('Boslaan 8')

    // Only one of two joint representatives: rule 11 cannot be met.
    const one = await apply('91528374', { ...admin('eva.jansen@groenevallei.example'), sign_0: '1', repEmail_0: 'lotte@groenevallei.example' })
    expect(one.status).toBe(422)
    expect(one.text).toContain('kunnen samen niet ondertekenen')
    expect(one.text).toContain('value="eva.jansen@groenevallei.example"')
    // A bad representative address and a missing confirmation are pointed out at their fields.
    const bad = await apply('91528374', {
      ...admin('eva.jansen@groenevallei.example'),
      emailConfirmed: '',
      sign_0: '1',
      repEmail_0: 'lotte@@x',
      sign_1: '1',
      repEmail_1: 'mehmet@groenevallei.example',
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('e-mailadres in van deze vertegenwoordiger')
    expect(bad.text).toContain('Bevestig dat dit het eigen e-mailadres')
    expect(await db().registration.count({ where: { kvkNumber: '91528374' } })).toBe(0)

    const sent = await apply('91528374', {
      ...admin('eva.jansen@groenevallei.example'),
      sign_0: '1',
      repEmail_0: 'lotte@groenevallei.example',
      sign_1: '1',
      repEmail_1: 'mehmet@groenevallei.example',
    })
    expect(sent.status).toBe(303)
    expect(sent.headers.location).toBe('/eherkenning-aanvragen/verstuurd')
    expect(await db().outgoingMail.count({ where: { template: 'registration-status', toAddress: 'eva.jansen@groenevallei.example' } })).toBe(1)
    const links = await signLinks('91528374')
    expect([...links.keys()].sort()).toEqual(['lotte@groenevallei.example', 'mehmet@groenevallei.example'])

    const first = await sign(links.get('lotte@groenevallei.example')!)
    expect(first.status).toBe(200)
    expect(first.text).toContain('wacht nog op de handtekening')
    const twice = await sign(links.get('lotte@groenevallei.example')!)
    expect(twice.status).toBe(410)
    expect(await db().organisation.count({ where: { kvkNumber: '91528374' } })).toBe(0)

    const second = await sign(links.get('mehmet@groenevallei.example')!)
    expect(second.status).toBe(200)
    expect(second.text).toContain('compleet ondertekend')
    const org = await db().organisation.findUniqueOrThrow({ where: { kvkNumber: '91528374' }, include: { branches: true, legalRepresentatives: true } })
    expect(org.branches.map((b) => b.branchNumber).sort()).toEqual(['000052938475', '000052938483'])
    expect(org.legalRepresentatives.map((r) => r.authority)).toEqual(['joint', 'joint'])
    const eva = await db().user.findUniqueOrThrow({ where: { emailKey: 'eva.jansen@groenevallei.example' }, include: { means: true, mandates: true } })
    expect(eva.means[0]).toMatchObject({ level: 'EH2_PLUS', status: 'active' })
    expect(eva.mandates).toEqual([expect.objectContaining({ kind: 'admin', organisationId: org.id, level: 'EH2_PLUS', status: 'active' })])
    expect(await db().outgoingMail.count({ where: { template: 'account-activation', toAddress: 'eva.jansen@groenevallei.example' } })).toBe(1)
    expect(await db().outgoingMail.count({ where: { template: 'registration-done' } })).toBe(2)
    expect(
      await db().auditEvent.count({
        where: { subjectType: 'registration', action: { in: ['registration.created', 'registration.signed', 'registration.completed'] } },
      }),
    ).toBe(4)

    const again = await postForm(t.agent(), START, START, { kvkNumber: '91528374' })
    expect(again.text).toContain('gebruikt eHerkenning al')
  })
})

describe('eHerkenning aanvragen: sole authority at EH3', () => {
  it('When the sole representative signs an EH3 request, then the means waits for the identity check and the admin mandate follows the approval', async () => {
    const sent = await apply('90417263', { ...admin('eva@fietsenjansen.example', 'EH3'), sign_0: '1', repEmail_0: 'willem@fietsenjansen.example' })
    expect(sent.status).toBe(303)
    const link = (await signLinks('90417263')).get('willem@fietsenjansen.example')!
    const signPage = await t.agent().get(link)
    expect(signPage.text).toContain('Fietsenmakerij Jansen')
    const signed = await sign(link)
    expect(signed.text).toContain('compleet ondertekend')
    const eva = await db().user.findUniqueOrThrow({
      where: { emailKey: 'eva@fietsenjansen.example' },
      include: { means: true, mandates: true, applications: true },
    })
    expect(eva.means[0]).toMatchObject({ level: 'EH3', status: 'requested' })
    expect(eva.mandates).toHaveLength(0)
    const check = eva.applications.find((a) => a.type === 'new_means')!
    expect(check.status).toBe('awaiting_identity_check')
    await t.services.backofficeService.approve(systemActor('backoffice@demo.example'), check.id)
    const mandates = await db().mandate.findMany({ where: { userId: eva.id } })
    expect(mandates).toEqual([expect.objectContaining({ kind: 'admin', level: 'EH3', status: 'active' })])
  })
})

describe('eHerkenning aanvragen: follow, resend, cancel, lapse', () => {
  it('When a request is open, then a second one is refused; the applicant resends (old links stop) and cancels (links stop)', async () => {
    const fields = { ...admin('anna@buurtwerk.example'), sign_0: '1', repEmail_0: 'ineke@buurtwerk.example', sign_1: '1', repEmail_1: 'ruud@buurtwerk.example' }
    expect((await apply('92639485', fields)).status).toBe(303)
    const pending = await postForm(t.agent(), START, START, { kvkNumber: '92639485' })
    expect(pending.text).toContain('loopt al een aanvraag')

    const status = await db().outgoingMail.findFirstOrThrow({ where: { template: 'registration-status', toAddress: 'anna@buurtwerk.example' } })
    const manage = (status.data as { managePath: string }).managePath
    const agent = t.agent()
    const page = await agent.get(manage)
    expect(page.text).toContain('Wacht op ondertekening')
    const before = await signLinks('92639485')
    const resent = await agent
      .post(`${manage}/opnieuw`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(resent.status).toBe(303)
    expect((await t.agent().get(before.get('ineke@buurtwerk.example')!)).status).toBe(410)
    const after = await signLinks('92639485')
    expect((await t.agent().get(after.get('ineke@buurtwerk.example')!)).status).toBe(200)

    const cancelled = await agent
      .post(`${manage}/annuleren`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(cancelled.status).toBe(303)
    expect((await agent.get(manage)).text).toContain('Geannuleerd')
    expect((await sign(after.get('ruud@buurtwerk.example')!)).status).toBe(410)
    expect(await db().organisation.count({ where: { kvkNumber: '92639485' } })).toBe(0)
  })

  it('When a request is older than 30 days, then its signing link says it lapsed; a representative no longer in the register cannot sign', async () => {
    const fields = {
      ...admin('bert@buurtwerk.example'),
      sign_0: '1',
      repEmail_0: 'ineke2@buurtwerk.example',
      sign_2: '1',
      repEmail_2: 'sara@buurtwerk.example',
    }
    expect((await apply('92639485', fields)).status).toBe(303)
    const reg = await db().registration.findFirstOrThrow({ where: { kvkNumber: '92639485', status: 'awaiting_signature' } })
    const links = await signLinks('92639485')
    // Not (or no longer) in the register: the stored name no longer matches the extract.
    const reps = (reg.representatives as { name: string }[]).map((r, i) => (i === 0 ? { ...r, name: 'Iemand Anders' } : r))
    await db().registration.update({ where: { id: reg.id }, data: { representatives: reps } })
    const refused = await sign(links.get('ineke2@buurtwerk.example')!)
    expect(refused.status).toBe(422)
    expect(refused.text).toContain('niet meer) als bevoegd vertegenwoordiger')
    expect(await db().auditEvent.count({ where: { action: 'registration.signed', subjectId: reg.id } })).toBe(0)

    await db().registration.update({ where: { id: reg.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const lapsed = await t.agent().get(links.get('sara@buurtwerk.example')!)
    expect(lapsed.status).toBe(410)
    expect(lapsed.text).toContain('vervallen')
  })
})

describe('Beheerdersformulier: an existing customer without admins', () => {
  it('When a customer has no admin, then the same flow appoints one for the existing organisation', async () => {
    const kantoor = await db().organisation.findUniqueOrThrow({ where: { kvkNumber: '81937204' } })
    await db().mandate.updateMany({ where: { organisationId: kantoor.id, kind: 'admin' }, data: { status: 'revoked', revokedAt: new Date() } })
    const details = await t.agent().get(`${DETAILS}?kvk=81937204`)
    expect(details.text).toContain('heeft geen machtigingenbeheerder')
    const sent = await apply('81937204', { ...admin('nieuw.beheer@vandijk.example'), sign_0: '1', repEmail_0: 'johan@vandijk.example' })
    expect(sent.status).toBe(303)
    expect((await sign((await signLinks('81937204')).get('johan@vandijk.example')!)).status).toBe(200)
    const user = await db().user.findUniqueOrThrow({ where: { emailKey: 'nieuw.beheer@vandijk.example' }, include: { mandates: true } })
    expect(user.mandates).toEqual([expect.objectContaining({ kind: 'admin', organisationId: kantoor.id, status: 'active' })])
    expect(await db().organisation.count({ where: { kvkNumber: '81937204' } })).toBe(1)
  })
})

describe('Rate limits on the public pages', () => {
  it('When one KvK number is looked up more than 20 times an hour, then the page refuses with 429', async () => {
    for (let i = 0; i < 20; i++) expect((await postForm(t.agent(), START, START, { kvkNumber: '12345678' })).status).toBe(404)
    const blocked = await postForm(t.agent(), START, START, { kvkNumber: '12345678' })
    expect(blocked.status).toBe(429)
    expect(blocked.text).toContain('te veel aanvragen')
  })
})
