// Gebruikers → a user's means: "Middel schorsen", "Schorsing opheffen", "Middel opzeggen" (today or a
// date), and "Opzeggen" of one's own means in Mijn gegevens, over HTTP: confirmation pages, bad input,
// second clicks, other organisations (404), audit entries and mails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, addYears, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { demo } from '../mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent
const db = () => t.database.db
const today = todayUtc()
const activeMeans = (userId: string) => db().means.findFirstOrThrow({ where: { userId, status: { in: ['active', 'suspended'] } } })

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

describe('means screens in Gebruikers', () => {
  it('When the admin opens the user page, then each live means has its actions, and "Middel schorsen" shows the mandates that pause with it', async () => {
    const means = await activeMeans(d.fatma)
    const detail = await sanne.get(`/beheer/gebruikers/${d.fatma}`)
    expect(detail.text).toContain(`/beheer/middelen/${means.id}/schorsen`)
    expect(detail.text).toContain(`/beheer/middelen/${means.id}/opzeggen`)
    const page = await sanne.get(`/beheer/middelen/${means.id}/schorsen`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Middel schorsen')
    expect(page.text).toMatch(/worden met het middel geschorst \(\d+\)/)
  })

  it('When the admin suspends and then lifts, then each happens once with its audit entry; a second click says what already happened and changes nothing', async () => {
    const means = await activeMeans(d.fatma)
    const url = `/beheer/middelen/${means.id}/schorsen`
    const first = await postForm(sanne, url, url, {})
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe(`/beheer/gebruikers/${d.fatma}`)
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).status).toBe('suspended')
    const again = await postForm(sanne, `/beheer/gebruikers/${d.fatma}`, url, {})
    expect(again.status).toBe(422)
    expect(again.text).toContain('al geschorst')
    expect(await db().auditEvent.count({ where: { action: 'means.suspended', subjectId: means.id } })).toBe(1)

    const lift = `/beheer/middelen/${means.id}/schorsing-opheffen`
    expect((await postForm(sanne, lift, lift, {})).status).toBe(303)
    const liftAgain = await postForm(sanne, `/beheer/gebruikers/${d.fatma}`, lift, {})
    expect(liftAgain.status).toBe(422)
    expect(liftAgain.text).toContain('niet (meer) geschorst')
    expect(await db().auditEvent.count({ where: { action: 'means.suspension_lifted', subjectId: means.id } })).toBe(1)
  })

  it('When the admin cancels with a date in the past, more than a year ahead, not a date or no choice, then the page says why and nothing changes', async () => {
    const means = await activeMeans(d.mark)
    const url = `/beheer/middelen/${means.id}/opzeggen`
    const cases: [Record<string, string>, number, string][] = [
      [{ when: 'date', date: isoDate(addDays(today, -1)) }, 422, 'in het verleden'],
      [{ when: 'date', date: isoDate(addDays(addYears(today, 1), 1)) }, 422, 'meer dan een jaar vooruit'],
      [{ when: 'date', date: '31-02-2027' }, 400, 'Vul een geldige datum in'],
      [{ when: 'later' }, 400, 'Kies vandaag of een datum'],
    ]
    for (const [fields, status, text] of cases) {
      const response = await postForm(sanne, url, url, fields)
      expect(response.status).toBe(status)
      expect(response.text).toContain(text)
      if (fields.date) expect(response.text).toContain(`value="${fields.date}"`)
    }
    expect(await db().means.findUniqueOrThrow({ where: { id: means.id } })).toMatchObject({ status: 'active', endsOn: null })
    expect(await db().auditEvent.count({ where: { subjectId: means.id } })).toBe(0)
  })

  it('When the admin cancels on a date (typed as dd-mm-jjjj), then the means gets that end date, and the holder and the admins of its organisations get a mail', async () => {
    const means = await activeMeans(d.mark)
    const day = addDays(today, 20)
    const url = `/beheer/middelen/${means.id}/opzeggen`
    const response = await postForm(sanne, url, url, { when: 'date', date: isoDate(day).split('-').reverse().join('-') })
    expect(response.status).toBe(303)
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).endsOn).toEqual(day)
    const mails = await db().outgoingMail.findMany({ where: { template: 'means-changed', idempotencyKey: { contains: means.id } } })
    expect(mails.map((m) => m.toAddress).sort()).toEqual(['mark.visser@demo.example', 'sanne.devries@demo.example'])
    const page = await sanne.get(`/beheer/gebruikers/${d.mark}`)
    expect(page.text).toContain('Opgezegd per')
  })

  it('When an admin of another organisation opens or posts any means action, then 404 and nothing changes', async () => {
    const pieter = await t.loginAs('pieter')
    const means = await activeMeans(d.ingrid)
    for (const action of ['schorsen', 'schorsing-opheffen', 'opzeggen']) {
      expect((await pieter.get(`/beheer/middelen/${means.id}/${action}`)).status).toBe(404)
      expect((await postForm(pieter, '/beheer/gebruikers', `/beheer/middelen/${means.id}/${action}`, { when: 'today' })).status).toBe(404)
    }
    expect((await sanne.get('/beheer/middelen/not-a-uuid/opzeggen')).status).toBe(404)
    expect(await db().means.findUniqueOrThrow({ where: { id: means.id } })).toMatchObject({ status: 'active', endsOn: null })
  })
})

describe("Opzeggen of one's own means (Mijn gegevens)", () => {
  it('When Jan cancels his own means today, then it ends at once with his mandates above his remaining level; another person gets 404', async () => {
    const jan = await t.loginAs('jan')
    const means = await activeMeans(d.jan)
    const mine = await jan.get('/mijn-gegevens')
    expect(mine.text).toContain(`/mijn-gegevens/middel/${means.id}/opzeggen`)
    const other = await activeMeans(d.fatma)
    expect((await jan.get(`/mijn-gegevens/middel/${other.id}/opzeggen`)).status).toBe(404)
    const url = `/mijn-gegevens/middel/${means.id}/opzeggen`
    const page = await jan.get(url)
    expect(page.text).toContain('eindigen met het middel')
    const response = await postForm(jan, url, url, { when: 'today' })
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/mijn-gegevens')
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).status).toBe('revoked')
    expect(await db().mandate.count({ where: { userId: d.jan, status: 'active' } })).toBe(0)
    const again = await postForm(jan, '/mijn-gegevens', url, { when: 'today' })
    expect(again.status).toBe(422)
    expect(again.text).toContain('al beëindigd')
    expect(await db().auditEvent.count({ where: { action: 'means.cancelled', subjectId: means.id } })).toBe(1)
  })
})
