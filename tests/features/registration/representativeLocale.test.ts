// "eHerkenning aanvragen": the applicant chooses each signing representative's mail language (Nederlands
// unless chosen otherwise). The signing mail, a resent one and the closing mail come in that language; the
// representative is stored with it, so later signing mails for the organisation use it too.
import { load } from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const START = '/eherkenning-aanvragen'
const DETAILS = '/eherkenning-aanvragen/gegevens'
const KVK = '91528374' // Groene Vallei Zorg B.V.: Lotte van den Berg and Mehmet Yilmaz, joint authority
const LOTTE = 'lotte@groenevallei.example'
const MEHMET = 'mehmet@groenevallei.example'
const admin = {
  firstName: 'Eva',
  lastName: 'Jansen',
  dateOfBirth: '1985-06-15',
  email: 'eva.jansen@groenevallei.example',
  emailConfirmed: '1',
  mobile: '06 12345678',
  level: 'EH2_PLUS',
}

/** The delivered mail of a template to an address (the development transport stores subject and text). */
async function delivered(template: string, to: string) {
  await t.services.mailDelivery.deliverDue()
  return db().outgoingMail.findMany({ where: { template, toAddress: to }, orderBy: { createdAt: 'asc' } })
}

async function signPath(to: string): Promise<string> {
  const mails = await db().outgoingMail.findMany({ where: { template: 'registration-signing', toAddress: to }, orderBy: { createdAt: 'desc' }, take: 1 })
  return (mails[0]!.data as { signPath: string }).signPath
}

describe("eHerkenning aanvragen: the representatives' mail language", () => {
  it('When the language field is forged, then the form says so at the field, keeps what was typed and stores nothing', async () => {
    const agent = t.agent()
    await postForm(agent, START, START, { kvkNumber: KVK })
    const response = await postForm(agent, `${DETAILS}?kvk=${KVK}`, DETAILS, {
      kvkNumber: KVK,
      ...admin,
      sign_0: '1',
      repEmail_0: LOTTE,
      repLocale_0: 'de',
      sign_1: '1',
      repEmail_1: MEHMET,
    })
    expect(response.status).toBe(400)
    const $ = load(response.text)
    expect($(`#${$('select[name="repLocale_0"]').attr('id')}-error`).text()).toContain('Kies Nederlands of English')
    expect($('input[name="repEmail_0"]').val()).toBe(LOTTE)
    expect(await db().registration.count()).toBe(0)
    expect(await db().outgoingMail.count({ where: { template: 'registration-signing' } })).toBe(0)
  })

  it("When the applicant chooses English for one representative, then that one's signing, resent and closing mails are English, the other's Dutch, and both are stored with their language", async () => {
    const agent = t.agent()
    await postForm(agent, START, START, { kvkNumber: KVK })
    const page = load((await agent.get(`${DETAILS}?kvk=${KVK}`)).text)
    // The field as the page offers it: Nederlands and English, Nederlands chosen.
    const options = (i: number) =>
      page(`select[name="repLocale_${i}"] option`)
        .map((_j, o) => page(o).attr('value'))
        .get()
    expect(options(0)).toEqual(['nl', 'en'])
    expect(page('select[name="repLocale_1"] option[selected]').attr('value')).toBe('nl')
    expect(page(`label[for="${page('select[name="repLocale_0"]').attr('id')}"]`).text()).toBe('Taal van e-mails aan Lotte van den Berg')
    const english = options(0)[1]!
    const sent = await postForm(agent, `${DETAILS}?kvk=${KVK}`, DETAILS, {
      kvkNumber: KVK,
      ...admin,
      sign_0: '1',
      repEmail_0: LOTTE,
      repLocale_0: english,
      sign_1: '1',
      repEmail_1: MEHMET,
      repLocale_1: page('select[name="repLocale_1"] option[selected]').attr('value')!,
    })
    expect(sent.status).toBe(303)
    const registration = await db().registration.findFirstOrThrow({ where: { kvkNumber: KVK } })
    expect(registration.representatives).toEqual([
      expect.objectContaining({ email: LOTTE, locale: 'en' }),
      expect.objectContaining({ email: MEHMET, locale: 'nl' }),
    ])
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'registration.created', subjectId: registration.id } })
    expect(audit.after).toMatchObject({ mailLocales: ['en', 'nl'] })

    const [toLotte] = await delivered('registration-signing', LOTTE)
    expect(toLotte).toMatchObject({ locale: 'en', status: 'sent', subject: 'To sign: eHerkenning application for Groene Vallei Zorg B.V.' })
    expect(toLotte!.textBody).toMatch(/^Dear Lotte van den Berg,\n[\s\S]*Review and sign the application/)
    const [toMehmet] = await delivered('registration-signing', MEHMET)
    expect(toMehmet).toMatchObject({ locale: 'nl', status: 'sent', subject: 'Ondertekenen: eHerkenning-aanvraag voor Groene Vallei Zorg B.V.' })

    // The applicant sends the links again: each in the representative's own language.
    const status = await db().outgoingMail.findFirstOrThrow({ where: { template: 'registration-status', toAddress: admin.email } })
    const manage = (status.data as { managePath: string }).managePath
    const managePage = await agent.get(manage)
    expect(
      (
        await agent
          .post(`${manage}/opnieuw`)
          .type('form')
          .send({ _csrf: csrfFrom(managePage.text) })
      ).status,
    ).toBe(303)
    expect((await delivered('registration-signing', LOTTE)).map((m) => m.locale)).toEqual(['en', 'en'])
    expect((await delivered('registration-signing', MEHMET)).map((m) => m.locale)).toEqual(['nl', 'nl'])

    for (const to of [LOTTE, MEHMET]) {
      const path = await signPath(to)
      expect((await postForm(t.agent(), path, path, {})).status).toBe(200)
    }
    const org = await db().organisation.findUniqueOrThrow({ where: { kvkNumber: KVK }, include: { legalRepresentatives: { orderBy: { name: 'asc' } } } })
    expect(org.legalRepresentatives.map((r) => [r.email, r.locale])).toEqual([
      [LOTTE, 'en'],
      [MEHMET, 'nl'],
    ])
    expect((await delivered('registration-done', LOTTE)).map((m) => [m.locale, m.subject?.startsWith('Welkom') ?? false])).toEqual([['en', false]])
    expect((await delivered('registration-done', MEHMET)).map((m) => m.locale)).toEqual(['nl'])
  })
})
