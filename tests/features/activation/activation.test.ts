// Rule 22: every new person gets a single-use activation link valid 7 days; it sets a password of
// at least 12 characters that is not on the breached list; whoever administers enrols TOTP next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCOUNTS, allowTotpAgain, createTestApp, csrfFrom, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { DEMO_PASSWORD } from '../../../src/features/demo/seedDemo.ts'
import { currentTotp } from '../../../src/shared/totp.ts'
import { sendActivation } from '../../../src/shared/workflows/activation.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { isBreachedPassword } from '../../../src/shared/breachedPasswords.ts'

let t: TestApp
let sanne: Agent
beforeAll(async () => {
  t = await createTestApp()
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db

async function addUser(email: string, level = 'EH2'): Promise<string> {
  const bakkerij = (await db().organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })).id
  const fields = {
    firstName: 'Iris',
    lastName: 'Mulder',
    dateOfBirth: '1991-02-03',
    email,
    mobile: '0612345678',
    level,
    termYears: '1',
    organisation: bakkerij,
  }
  const preview = await postForm(sanne, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
    rowCount: '1',
    action: 'preview',
    emailConfirmed: '1',
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${k}_0`, v])),
  })
  expect(preview.status).toBe(200)
  const confirm = await sanne
    .post('/beheer/gebruikers/toevoegen/bevestigen')
    .type('form')
    .send({ _csrf: csrfFrom(preview.text) })
  expect(confirm.status).toBe(303)
  return (await db().user.findFirstOrThrow({ where: { emailKey: email } })).id
}

async function latestLink(email: string): Promise<string> {
  const mail = await db().outgoingMail.findFirstOrThrow({ where: { toAddress: email, template: 'account-activation' }, orderBy: { createdAt: 'desc' } })
  return (mail.data as { activatePath: string }).activatePath
}

const setPassword = (agent: Agent, link: string, password: string, passwordRepeat = password) => postForm(agent, link, link, { password, passwordRepeat })

describe('Activation link', () => {
  it('When an admin adds a user, then the user can set a password through the link, once, and then log in', async () => {
    const userId = await addUser('iris.mulder@voorbeeld.nl')
    const link = await latestLink('iris.mulder@voorbeeld.nl')
    const agent = t.agent()
    const page = await agent.get(link)
    expect(page.status).toBe(200)
    expect(page.text).toContain('iris.mulder@voorbeeld.nl')

    const short = await setPassword(agent, link, 'kort-wachtw')
    expect(short.status).toBe(400)
    expect(short.text).toContain('minimaal 12')
    const breached = await setPassword(agent, link, 'Password1234!')
    expect(breached.status).toBe(400)
    expect(breached.text).toContain('gelekte wachtwoorden')
    const differ = await setPassword(agent, link, 'paars-konijn-fietst-snel', 'paars-konijn-fietst-traag')
    expect(differ.status).toBe(400)
    expect(differ.text).toContain('niet gelijk')
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).passwordHash).toBeNull()

    const done = await setPassword(agent, link, 'paars-konijn-fietst-snel')
    expect(done.status).toBe(303)
    expect(done.headers.location).toBe('/inloggen')
    expect((await db().user.findUniqueOrThrow({ where: { id: userId } })).passwordHash).toMatch(/^\$argon2id\$/)
    expect(await db().auditEvent.count({ where: { action: 'user.activated', subjectId: userId } })).toBe(1)

    const again = await setPassword(t.agent(), link, 'nog-een-ander-wachtwoord')
    expect(again.status).toBe(410)
    expect(again.text).toContain('al gebruikt')

    const login = await postForm(t.agent(), '/inloggen', '/inloggen', { email: 'iris.mulder@voorbeeld.nl', password: 'paars-konijn-fietst-snel' })
    expect(login.status).toBe(303)
    expect(login.headers.location).not.toContain('/inloggen')
  })

  it('When the link has expired, then the page offers "Stuur een nieuwe link", which mails a new one and says the same for any link', async () => {
    await addUser('ruben.kok@voorbeeld.nl')
    const user = await db().user.findFirstOrThrow({ where: { emailKey: 'ruben.kok@voorbeeld.nl' } })
    const old = await db().$transaction((tx) => sendActivation(tx, systemActor(), user.id, {}, new Date(Date.now() - 8 * 86_400_000)))
    const agent = t.agent()
    const page = await agent.get(`/activeren/${old}`)
    expect(page.status).toBe(410)
    expect(page.text).toContain('Stuur een nieuwe link')
    const before = await db().outgoingMail.count({ where: { toAddress: 'ruben.kok@voorbeeld.nl', template: 'account-activation' } })
    const sent = await agent
      .post(`/activeren/${old}/nieuwe-link`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(sent.status).toBe(200)
    expect(sent.text).toContain('Als deze link bij een account hoort')
    expect(await db().outgoingMail.count({ where: { toAddress: 'ruben.kok@voorbeeld.nl', template: 'account-activation' } })).toBe(before + 1)
    const fresh = await agent.get(await latestLink('ruben.kok@voorbeeld.nl'))
    expect(fresh.status).toBe(200)
    // An unknown token gets the same answer and sends nothing.
    const unknown = await agent
      .post(`/activeren/${'y'.repeat(43)}/nieuwe-link`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
    expect(unknown.status).toBe(200)
    expect(unknown.text).toContain('Als deze link bij een account hoort')
    expect((await agent.get(`/activeren/${'y'.repeat(43)}`)).status).toBe(404)
  })

  it('When the admin resends the link from Gebruikers, then the old link stops working; an active account or another organisation is refused', async () => {
    const userId = await addUser('lisa.smit@voorbeeld.nl')
    const first = await latestLink('lisa.smit@voorbeeld.nl')
    const detail = await sanne.get(`/beheer/gebruikers/${userId}`)
    expect(detail.text).toContain('Stuur een nieuwe activatielink')
    const resent = await sanne
      .post(`/beheer/gebruikers/${userId}/activatielink`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text) })
    expect(resent.status).toBe(303)
    expect((await t.agent().get(first)).status).toBe(410)
    expect((await t.agent().get(await latestLink('lisa.smit@voorbeeld.nl'))).status).toBe(200)
    expect(await db().auditEvent.count({ where: { action: 'user.activation_sent', subjectId: userId } })).toBe(2)

    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const janPage = await sanne.get(`/beheer/gebruikers/${jan.id}`)
    expect(janPage.text).not.toContain('Stuur een nieuwe activatielink')
    await sanne
      .post(`/beheer/gebruikers/${jan.id}/activatielink`)
      .type('form')
      .send({ _csrf: csrfFrom(janPage.text) })
    expect((await sanne.get(`/beheer/gebruikers/${jan.id}`)).text).toContain('al geactiveerd')

    const pieter = await t.loginAs('pieter')
    const own = await pieter.get('/beheer/gebruikers')
    const foreign = await pieter
      .post(`/beheer/gebruikers/${userId}/activatielink`)
      .type('form')
      .send({ _csrf: csrfFrom(own.text) })
    expect(foreign.status).toBe(404)
  })

  it('When someone who administers activates, then they go on to TOTP enrolment before their first action', async () => {
    const pieter = await db().user.findFirstOrThrow({ where: { emailKey: 'pieter.bakker@demo.example' } })
    await db().user.update({ where: { id: pieter.id }, data: { passwordHash: null, totpSecret: null, totpEnabledAt: null } })
    const token = await db().$transaction((tx) => sendActivation(tx, systemActor(), pieter.id))
    const done = await setPassword(t.agent(), `/activeren/${token}`, 'groene-tulpen-in-mei')
    expect(done.status).toBe(303)
    expect(done.headers.location).toBe('/inloggen/tweede-factor')
  })

  it('When a person without a password asks "wachtwoord vergeten", then they get an activation link, not a reset mail', async () => {
    await addUser('tim.vos@voorbeeld.nl')
    const before = await db().outgoingMail.count({ where: { toAddress: 'tim.vos@voorbeeld.nl' } })
    const response = await postForm(t.agent(), '/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'tim.vos@voorbeeld.nl' })
    expect(response.status).toBe(303)
    const mails = await db().outgoingMail.findMany({ where: { toAddress: 'tim.vos@voorbeeld.nl' }, orderBy: { createdAt: 'asc' } })
    expect(mails).toHaveLength(before + 1)
    expect(mails.at(-1)!.template).toBe('account-activation')
  })
})

describe('Breached-password list', () => {
  it('knows common passwords, also with digits or a sign behind them, and lets a passphrase through', () => {
    for (const p of ['password', 'qwertyuiop', '1qaz2wsx3edc', 'Welkom12345!', 'aaaaaaaaaaaa', '123456789012']) expect(isBreachedPassword(p), p).toBe(true)
    expect(isBreachedPassword('paars-konijn-fietst-snel')).toBe(false)
  })
})

describe('Mijn gegevens → Wachtwoord en tweede factor', () => {
  it('When a user changes the password, then the current one is checked, the new one follows rule 22, and the new one logs in', async () => {
    const jan = await t.loginAs('jan')
    const page = '/mijn-gegevens/beveiliging'
    expect((await jan.get(page)).status).toBe(200)
    const wrong = await postForm(jan, page, '/mijn-gegevens/beveiliging/wachtwoord', {
      currentPassword: 'fout',
      password: 'een-nieuwe-lange-zin',
      passwordRepeat: 'een-nieuwe-lange-zin',
    })
    expect(wrong.status).toBe(422)
    const breached = await postForm(jan, page, '/mijn-gegevens/beveiliging/wachtwoord', {
      currentPassword: DEMO_PASSWORD,
      password: 'qwertyuiop123',
      passwordRepeat: 'qwertyuiop123',
    })
    expect(breached.status).toBe(400)
    expect(breached.text).toContain('gelekte wachtwoorden')
    const done = await postForm(jan, page, '/mijn-gegevens/beveiliging/wachtwoord', {
      currentPassword: DEMO_PASSWORD,
      password: 'een-nieuwe-lange-zin',
      passwordRepeat: 'een-nieuwe-lange-zin',
    })
    expect(done.status).toBe(303)
    const login = await postForm(t.agent(), '/inloggen', '/inloggen', { email: 'jan.smit@demo.example', password: 'een-nieuwe-lange-zin' })
    expect(login.status).toBe(303)
    expect(login.headers.location).not.toContain('/inloggen')
  })

  it('When an admin sets up the authenticator again, then password and current code are checked and enrolment starts with the old codes gone', async () => {
    const sanneAgent = await t.loginAs('sanne')
    const page = '/mijn-gegevens/beveiliging'
    const wrong = await postForm(sanneAgent, page, '/mijn-gegevens/beveiliging/tweede-factor', { currentPassword: DEMO_PASSWORD, code: '000000' })
    expect(wrong.status).toBe(422)
    await allowTotpAgain(db(), ACCOUNTS.sanne.email)
    const ok = await postForm(sanneAgent, page, '/mijn-gegevens/beveiliging/tweede-factor', {
      currentPassword: DEMO_PASSWORD,
      code: currentTotp(ACCOUNTS.sanne.totp),
    })
    expect(ok.status).toBe(303)
    expect(ok.headers.location).toBe('/inloggen/tweede-factor')
    const user = await db().user.findUniqueOrThrow({ where: { emailKey: ACCOUNTS.sanne.email }, include: { recoveryCodes: true } })
    expect(user.totpSecret).toBeNull()
    expect(user.recoveryCodes).toHaveLength(0)
    expect(await db().auditEvent.count({ where: { action: 'totp_reset', subjectId: user.id } })).toBe(1)
  })
})
