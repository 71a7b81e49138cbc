// Beheer → Logboek: scope, filters, keyset pages, CSV export, append-only, login events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../../src/shared/actor.ts'
import { recordAuditMany } from '../../../src/shared/audit.ts'
import { csvSafe } from '../../../src/features/audit/routes.ts'
import * as cheerio from 'cheerio'
import { createTestApp, postForm, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'

let t: TestApp
let orgA: string
let orgB: string
beforeAll(async () => {
  t = await createTestApp()
  orgA = (await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })).id
  orgB = (await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })).id
  const actor = { ...systemActor('tester@demo.example'), ipAddress: '192.0.2.1', requestId: 'req-test-0001' }
  await t.database.db.$transaction(async (tx) => {
    await recordAuditMany(
      tx,
      actor,
      Array.from({ length: 120 }, (_, i) => ({
        action: 'mandate.granted',
        organisationId: orgA,
        subjectType: 'mandate',
        subjectId: `a-${i}`,
        before: null,
        after: { email: `a-${i}` },
      })),
    )
    await recordAuditMany(tx, { ...actor, label: 'pieter.bakker@demo.example' }, [
      {
        action: 'user.created',
        organisationId: orgB,
        subjectType: 'user',
        subjectId: 'b-secret-subject',
        after: { email: 'b-secret-subject', name: '=HYPERLINK("x")' },
      },
    ])
  })
})
afterAll(async () => {
  await t.close()
})

const rowsOf = (html: string) => (html.match(/<tr class="utrecht-table__row"[^>]*>\s*<td/g) ?? []).length

describe('Logboek', () => {
  it('When an admin opens Logboek, then he sees only the entries of his own organisations, newest first, 25 per page', async () => {
    const sanne = await t.loginAs('sanne')
    const page = await sanne.get('/beheer/logboek')
    expect(page.status).toBe(200)
    expect(page.text).toContain('a-119')
    expect(page.text).not.toContain('b-secret-subject')
    expect(rowsOf(page.text)).toBe(25)
    expect(page.text).toContain('a-95<')
    expect(page.text).not.toContain('a-94<')
    expect(page.text.indexOf('a-119')).toBeLessThan(page.text.indexOf('a-118'))
    expect(page.text).toContain('192.0.2.1')
    expect(page.text).toContain('req-test-0001')
    const pieter = await t.loginAs('pieter')
    const other = await pieter.get('/beheer/logboek')
    expect(other.text).toContain('b-secret-subject')
    expect(other.text).not.toContain('a-119')
  })

  it('When an admin filters on an organisation he does not administer, then he sees nothing of it', async () => {
    const pieter = await t.loginAs('pieter')
    const page = await pieter.get(`/beheer/logboek?organisatie=${orgA}`)
    expect(page.status).toBe(200)
    expect(page.text).not.toMatch(/\ba-\d+\b/) // no entry a-N of that organisation (a bare 'a-1' also matched a random uuid's "…4a-1e12…")
    const csv = await pieter.get(`/beheer/logboek/export.csv?organisatie=${orgA}`)
    expect(csv.text).not.toMatch(/\ba-\d+\b/)
  })

  it('When the admin chooses an "Aantal per pagina" the page offers, then each page shows that many and Volgende keeps it', async () => {
    const sanne = await t.loginAs('sanne')
    const form = cheerio.load((await sanne.get('/beheer/logboek')).text)
    const offered = form('select[name="per"] option')
      .toArray()
      .map((o) => form(o).attr('value')!)
    expect(offered).toEqual(['25', '50', '100'])
    expect(form('select[name="per"] option[selected]').attr('value')).toBe('25')
    expect(form('label[for="field-per"]').text()).toBe('Aantal per pagina')
    const counts: Record<string, number> = {}
    for (const per of offered) {
      const response = await submitForm(sanne, '/beheer/logboek', (f) => f.find('select[name="per"]').length > 0, { per, actie: 'mandate.granted' })
      expect(response.status).toBe(200)
      const $ = cheerio.load(response.text)
      expect($('select[name="per"] option[selected]').attr('value')).toBe(per)
      counts[per] = rowsOf(response.text)
      const next = $('a[rel="next"]').attr('href')
      if (next) expect(new URL(next, 'http://x').searchParams.get('per')).toBe(per)
      expect(new URL($('a[download]').attr('href')!, 'http://x').searchParams.get('actie')).toBe('mandate.granted')
    }
    expect(counts).toEqual({ '25': 25, '50': 50, '100': 100 })
  })

  it('When "Aantal per pagina" is not one of the choices, then the page says so in Dutch next to the field and keeps the filters', async () => {
    const sanne = await t.loginAs('sanne')
    const response = await sanne.get('/beheer/logboek?per=7&gebruiker=tester')
    expect(response.status).toBe(400)
    const $ = cheerio.load(response.text)
    expect($('#field-per-error').text()).toContain('Kies 25, 50 of 100 per pagina.')
    expect($('input[name="gebruiker"]').attr('value')).toBe('tester')
  })

  it('When the admin follows Volgende, then the next entries come by keyset until the last page', async () => {
    const sanne = await t.loginAs('sanne')
    const first = await sanne.get('/beheer/logboek?actie=mandate.granted&per=50')
    const next = /href="([^"]+)"[^>]*>Volgende|rel="next" href="([^"]+)"/.exec(first.text)
    const href = (next?.[1] ?? next?.[2])!.replace(/&amp;/g, '&')
    expect(href).toMatch(/na=\d+/)
    expect(href).toContain('actie=mandate.granted')
    expect(href).toContain('per=50')
    const second = await sanne.get(href)
    expect(second.text).toContain('a-69')
    expect(second.text).not.toContain('a-70<')
    const thirdHref = /rel="next" href="([^"]+)"/.exec(second.text)![1]!.replace(/&amp;/g, '&')
    const third = await sanne.get(thirdHref)
    expect(rowsOf(third.text)).toBe(20)
    expect(third.text).not.toContain('rel="next"')
  })

  it('When the back office opens Logboek, then it sees every organisation and the login events, and has a link to it in its navigation', async () => {
    const backoffice = await t.loginAs('backoffice')
    const page = await backoffice.get('/beheer/logboek?actie=user.created')
    expect(page.status).toBe(200)
    expect(page.text).toContain('b-secret-subject')
    expect(page.text).toContain('href="/beheer/logboek"')
    const logins = await backoffice.get('/beheer/logboek?actie=login')
    const bo = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'backoffice@demo.example' } })
    expect(logins.text).toContain(`${[bo.firstName, bo.lastNamePrefix, bo.lastName].filter(Boolean).join(' ')} is ingelogd`)
  })

  it('When filters on user and period are given, then only matching entries show; a wrong date gets a Dutch message', async () => {
    const backoffice = await t.loginAs('backoffice')
    const byUser = await backoffice.get('/beheer/logboek?gebruiker=PIETER.BAKKER')
    expect(byUser.text).toContain('b-secret-subject')
    expect(byUser.text).not.toContain('a-119')
    const future = await backoffice.get('/beheer/logboek?van=2999-01-01')
    expect(rowsOf(future.text)).toBe(0)
    const wrong = await backoffice.get('/beheer/logboek?van=31-12-2026')
    expect(wrong.status).toBe(400)
    expect(wrong.text).toContain('Vul de datum in als jjjj-mm-dd')
    expect(wrong.text).toContain('value="31-12-2026"')
    const reversed = await backoffice.get('/beheer/logboek?van=2026-02-01&tot=2026-01-01')
    expect(reversed.status).toBe(400)
  })

  it('When the admin exports, then the CSV holds exactly the filtered entries, with formulas neutralised', async () => {
    const sanne = await t.loginAs('sanne')
    const csv = await sanne.get('/beheer/logboek/export.csv?actie=mandate.granted')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="logboek-\d{4}-\d{2}-\d{2}\.csv"/)
    const lines = csv.text.trim().split('\n')
    expect(lines[0]).toContain('Tijdstip')
    expect(lines).toHaveLength(121)
    const backoffice = await t.loginAs('backoffice')
    const all = await backoffice.get('/beheer/logboek/export.csv?actie=user.created')
    expect(all.text).toContain(`""name"":""=HYPERLINK(\\""x\\"")""`)
    expect(all.text.split('\n')[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00,/)
    expect(csvSafe('=1+1')).toBe("'=1+1")
    expect(csvSafe('-2')).toBe("'-2")
  })

  it('When the app tries to change or delete audit entries, then the database refuses', async () => {
    const db = t.services.db
    await expect(db.auditEvent.updateMany({ data: { action: 'tampered' } })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/)
    await expect(db.$executeRawUnsafe('truncate audit_events')).rejects.toThrow(/append-only/)
  })

  it('When someone logs in, fails to log in and logs out, then each is on record with address and request id, without organisation', async () => {
    const agent = await t.loginAs('jan')
    await postForm(t.agent(), '/inloggen', '/inloggen', { email: 'jan.smit@demo.example', password: 'wrong' })
    await postForm(agent, '/overzicht', '/uitloggen', {})
    for (const action of ['login', 'login_failed', 'logout']) {
      const event = await t.database.db.auditEvent.findFirstOrThrow({ where: { action, actorLabel: 'jan.smit@demo.example' }, orderBy: { id: 'desc' } })
      expect(event.organisationId).toBeNull()
      expect(event.ipAddress).toBeTruthy()
      expect(event.requestId).toMatch(/^[\w-]{8,}$/)
    }
  })
})
