import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, postForm, type TestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

function row(i: number, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${k}_${i}`, v]))
}

async function orgId(name: string): Promise<string> {
  return (await t.database.db.organisation.findFirstOrThrow({ where: { name } })).id
}

async function uploadCsv(agent: Awaited<ReturnType<TestApp['loginAs']>>, content: Buffer | string, confirm = true) {
  const page = await agent.get('/beheer/gebruikers/toevoegen')
  const req = agent.post('/beheer/gebruikers/toevoegen/bestand').field('_csrf', csrfFrom(page.text))
  if (confirm) req.field('emailConfirmed', '1')
  return req.attach('file', typeof content === 'string' ? Buffer.from(content, 'utf8') : content, { filename: 'gebruikers.csv', contentType: 'text/csv' })
}

const HEADER = 'voornaam;tussenvoegsel;achternaam;geboortedatum;e-mailadres;mobiel nummer;niveau;looptijd;kvk-nummer'

describe('Beheer → Gebruikers', () => {
  it('When an admin opens Gebruikers, then he sees the users of his organisations and the button "Gebruikers toevoegen" at the bottom', async () => {
    const agent = await t.loginAs('sanne')
    const page = await agent.get('/beheer/gebruikers')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Fatma')
    expect(page.text).toContain('Ingrid')
    expect(page.text).not.toContain('Linda') // Bakker Installatietechniek is not hers (rule 7)
    const main = page.text.slice(page.text.indexOf('<main'))
    expect(main.lastIndexOf('Gebruikers toevoegen')).toBeGreaterThan(main.indexOf('</table>'))
    expect(page.text).toContain('href="/beheer/gebruikers/toevoegen"')
  })

  it('When an admin filters by level and searches, then only matching users are listed', async () => {
    const agent = await t.loginAs('sanne')
    const eh4 = await agent.get('/beheer/gebruikers?level=EH4')
    expect(eh4.text).toContain('Ingrid')
    expect(eh4.text).not.toContain('Fatma')
    const search = await agent.get('/beheer/gebruikers?q=yilmaz')
    expect(search.text).toContain('Fatma')
    expect(search.text).not.toContain('Ingrid')
    const byEmail = await agent.get('/beheer/gebruikers?q=INGRID.MUL')
    expect(byEmail.text).toContain('Ingrid')
    expect(byEmail.text).not.toContain('Fatma')
    const byPrefix = await agent.get('/beheer/gebruikers?q=' + encodeURIComponent('sanne de vr'))
    expect(byPrefix.text).toContain('sanne.devries@demo.example')
    const literal = await agent.get('/beheer/gebruikers?q=' + encodeURIComponent('%'))
    expect(literal.text).not.toContain('ingrid.mulder@demo.example')
    const status = await agent.get('/beheer/gebruikers?meansStatus=revoked')
    expect(status.text).toContain('Ruud')
    expect(status.text).not.toContain('Fatma')
  })

  it('When an admin exports the filtered list, then he gets a CSV of exactly those users', async () => {
    const agent = await t.loginAs('sanne')
    const csv = await agent.get('/beheer/gebruikers/export.csv?level=EH4')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.text).toContain('ingrid.mulder@demo.example')
    expect(csv.text).not.toContain('fatma.yilmaz@demo.example')
  })

  it('When an admin opens the detail of a user of another organisation, then it does not exist (404, rule 7)', async () => {
    const linda = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'linda.degroot@demo.example' } })
    const agent = await t.loginAs('sanne')
    expect((await agent.get(`/beheer/gebruikers/${linda.id}`)).status).toBe(404)
    const fatma = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'fatma.yilmaz@demo.example' } })
    const detail = await agent.get(`/beheer/gebruikers/${fatma.id}`)
    expect(detail.status).toBe(200)
    expect(detail.text).toContain('Fatma')
  })

  it('When a plain user opens Gebruikers, then it does not exist for him', async () => {
    const agent = await t.loginAs('jan')
    expect((await agent.get('/beheer/gebruikers')).status).toBe(404)
  })
})

describe('Gebruikers toevoegen (form)', () => {
  it('When the admin clicks "Extra rij", then a second row appears with the typed values kept, without JavaScript', async () => {
    const agent = await t.loginAs('sanne')
    const response = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
      rowCount: '1',
      action: 'addRow',
      ...row(0, { firstName: 'Kees' }),
    })
    expect(response.status).toBe(200)
    expect(response.text).toContain('name="firstName_1"')
    expect(response.text).toContain('value="Kees"')
  })

  it('When rows have bad input, then each gets its own message, the values are kept and nothing is stored', async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = await orgId('Bakkerij De Vries B.V.')
    const before = await t.database.db.user.count()
    const response = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
      rowCount: '2',
      action: 'preview',
      emailConfirmed: '1',
      ...row(0, {
        firstName: 'Kees',
        lastName: 'Jong',
        dateOfBirth: '2099-01-01',
        email: 'FATMA.YILMAZ@demo.example',
        mobile: '0512345678',
        level: 'EH4',
        termYears: '2',
        organisation: bakkerij,
      }),
      ...row(1, {
        firstName: 'Els',
        lastName: 'Kind',
        dateOfBirth: new Date(Date.now() - 10 * 365 * 86400000).toISOString().slice(0, 10),
        email: 'geen-adres',
        mobile: '0612345678',
        level: 'EH2',
        termYears: '1',
        organisation: bakkerij,
      }),
    })
    expect(response.status).toBe(422)
    expect(response.text).toContain('De geboortedatum ligt in de toekomst')
    expect(response.text).toContain('Dit e-mailadres is al in gebruik')
    expect(response.text).toContain('Vul een Nederlands mobiel nummer in')
    expect(response.text).toContain('De looptijd is 1, 3 of 5 jaar')
    expect(response.text).toContain('U kunt als beheerder van deze organisatie hoogstens niveau EH3 aanvragen')
    expect(response.text).toContain('minstens 16 jaar')
    expect(response.text).toContain('Vul een geldig e-mailadres in')
    expect(response.text).toContain('value="Kees"')
    expect(await t.database.db.user.count()).toBe(before)
  })

  it('When the e-mail confirmation (rule 13) is not ticked, then the form asks for it', async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = await orgId('Bakkerij De Vries B.V.')
    const response = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
      rowCount: '1',
      action: 'preview',
      ...row(0, {
        firstName: 'Kees',
        lastName: 'Jong',
        dateOfBirth: '1980-01-01',
        email: 'kees.jong@voorbeeld.nl',
        mobile: '0612345678',
        level: 'EH2',
        termYears: '1',
        organisation: bakkerij,
      }),
    })
    expect(response.status).toBe(422)
    expect(response.text).toContain('Bevestig dat de e-mailadressen')
  })

  it('When two rows have the same address in different case, then the second is refused (rule 13)', async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = await orgId('Bakkerij De Vries B.V.')
    const common = { lastName: 'Jong', dateOfBirth: '1980-01-01', mobile: '0612345678', level: 'EH2', termYears: '1', organisation: bakkerij }
    const response = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
      rowCount: '2',
      action: 'preview',
      emailConfirmed: '1',
      ...row(0, { ...common, firstName: 'A', email: 'dubbel@voorbeeld.nl' }),
      ...row(1, { ...common, firstName: 'B', email: 'Dubbel@Voorbeeld.NL' }),
    })
    expect(response.status).toBe(422)
    expect(response.text).toContain('Dit e-mailadres staat al in rij 1')
  })

  it('When valid rows are previewed and confirmed, then users, links, means and admin-signed applications exist; EH2+ is active with a mail, EH3 waits for the identity check (rule 10)', async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = await orgId('Bakkerij De Vries B.V.')
    const common = { dateOfBirth: '14-03-1985', mobile: '06 1234 5678', termYears: '3', organisation: bakkerij }
    const preview = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', {
      rowCount: '2',
      action: 'preview',
      emailConfirmed: '1',
      ...row(0, { ...common, firstName: 'Noor', lastName: 'Akkerman', email: 'noor.akkerman@voorbeeld.nl', level: 'EH2_PLUS' }),
      ...row(1, { ...common, firstName: 'Bram', lastNamePrefix: 'van', lastName: 'Leeuwen', email: 'bram.vanleeuwen@voorbeeld.nl', level: 'EH3' }),
    })
    expect(preview.status).toBe(200)
    expect(preview.text).toContain('Controleer de gebruikers')
    expect(await t.database.db.user.count({ where: { emailKey: 'noor.akkerman@voorbeeld.nl' } })).toBe(0)
    const confirm = await agent
      .post('/beheer/gebruikers/toevoegen/bevestigen')
      .type('form')
      .send({ _csrf: csrfFrom(preview.text) })
    expect(confirm.status).toBe(303)
    const noor = await t.database.db.user.findFirstOrThrow({
      where: { emailKey: 'noor.akkerman@voorbeeld.nl' },
      include: { means: true, links: true, applications: { include: { signatures: true } } },
    })
    expect(noor.mobile).toBe('+31612345678')
    expect(noor.links.map((l) => l.organisationId)).toEqual([bakkerij])
    expect(noor.means[0]).toMatchObject({ level: 'EH2_PLUS', status: 'active' })
    expect(noor.applications[0]).toMatchObject({ type: 'new_means', status: 'issued' })
    expect(noor.applications[0]!.signatures[0]).toMatchObject({ signerType: 'admin' })
    const bram = await t.database.db.user.findFirstOrThrow({
      where: { emailKey: 'bram.vanleeuwen@voorbeeld.nl' },
      include: { means: true, applications: true },
    })
    expect(bram.means[0]).toMatchObject({ level: 'EH3', status: 'requested' })
    expect(bram.applications[0]).toMatchObject({ status: 'awaiting_identity_check' })
    const mails = await t.database.db.outgoingMail.findMany({ where: { toAddress: { in: ['noor.akkerman@voorbeeld.nl', 'bram.vanleeuwen@voorbeeld.nl'] } } })
    // Rule 22: each new person's one mail is the activation link, saying whether the means is active.
    expect(mails.map((m) => [m.toAddress, m.template, (m.data as { meansActive?: boolean }).meansActive]).sort()).toEqual([
      ['bram.vanleeuwen@voorbeeld.nl', 'account-activation', false],
      ['noor.akkerman@voorbeeld.nl', 'account-activation', true],
    ])
    // Rule 12: signed by an admin, so the legal representatives get no notification.
    expect(await t.database.db.outgoingMail.count({ where: { template: 'legal-representative-notification' } })).toBe(0)
    expect(await t.database.db.auditEvent.count({ where: { action: 'user.created', subjectId: noor.id } })).toBe(1)
  })
})

describe('Gebruikers toevoegen (CSV)', () => {
  it('When the admin downloads the sample, then it has the header the upload expects', async () => {
    const agent = await t.loginAs('sanne')
    const sample = await agent.get('/beheer/gebruikers/toevoegen/voorbeeld.csv')
    expect(sample.status).toBe(200)
    expect(sample.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(HEADER)
  })

  it('When a Windows-1252 file with commas and an empty row is uploaded, then it is read and previewed', async () => {
    const agent = await t.loginAs('sanne')
    const text = `${HEADER.replaceAll(';', ',')}\r\nRenée,,Müller,01-02-1980,renee.muller@voorbeeld.nl,0611111111,EH2,1,86231457\r\n,,,,,,,,\r\n`
    const latin1 = Buffer.from(text, 'latin1')
    const response = await uploadCsv(agent, latin1)
    expect(response.status).toBe(200)
    expect(response.text).toContain('Renée')
    expect(response.text).toContain('Rijen gelezen: 1;')
  })

  it('When a UTF-8 file with BOM has a row with a bad KvK number, then that row gets its message and the others can be confirmed', async () => {
    const agent = await t.loginAs('sanne')
    const text = `\uFEFF${HEADER}\nAnouk;;Smits;1990-05-05;anouk.smits@voorbeeld.nl;+31622222222;EH2;5;86231457\nPiet;;Fout;1990-05-05;piet.fout@voorbeeld.nl;0622222222;EH2;5;1234\nGeen;;Beheer;1990-05-05;geen.beheer@voorbeeld.nl;0622222223;EH2;5;72039584\n`
    const response = await uploadCsv(agent, text)
    expect(response.status).toBe(200)
    expect(response.text).toContain('Een KvK-nummer bestaat uit 8 cijfers')
    expect(response.text).toContain('U bent geen beheerder van de organisatie met KvK-nummer 72039584')
    const confirm = await agent
      .post('/beheer/gebruikers/toevoegen/bevestigen')
      .type('form')
      .send({ _csrf: csrfFrom(response.text) })
    expect(confirm.status).toBe(303)
    expect(
      await t.database.db.user.count({ where: { emailKey: { in: ['anouk.smits@voorbeeld.nl', 'piet.fout@voorbeeld.nl', 'geen.beheer@voorbeeld.nl'] } } }),
    ).toBe(1)
  })

  it('When the header is wrong, then the file is refused with the expected header named', async () => {
    const agent = await t.loginAs('sanne')
    const response = await uploadCsv(agent, 'naam;email\nA;a@b.nl\n')
    expect(response.status).toBe(422)
    expect(response.text).toContain('De kopregel van het bestand klopt niet')
  })

  it('When the file has 10,000 rows, then it is refused as a whole with a clear message', async () => {
    const agent = await t.loginAs('sanne')
    const lines = Array.from({ length: 10_000 }, (_, i) => `A;;B;1990-01-01;u${i}@voorbeeld.nl;0612345678;EH2;1;86231457`)
    const response = await uploadCsv(agent, `${HEADER}\n${lines.join('\n')}\n`)
    expect(response.status).toBe(422)
    expect(response.text).toContain('hoogstens 5000 gebruikers tegelijk')
  })

  it('When the file is larger than 2 MB, then it is refused with a clear message and nothing is stored', async () => {
    const agent = await t.loginAs('sanne')
    const response = await uploadCsv(agent, Buffer.alloc(3 * 1024 * 1024, 'a'))
    expect(response.status).toBe(422)
    expect(response.text).toContain('Het bestand is groter dan 2 MB')
  })

  it('When no file is chosen or the confirmation is missing, then the upload says so', async () => {
    const agent = await t.loginAs('sanne')
    const noConfirm = await uploadCsv(agent, `${HEADER}\nA;;B;1990-01-01;x@voorbeeld.nl;0612345678;EH2;1;86231457\n`, false)
    expect(noConfirm.status).toBe(422)
    expect(noConfirm.text).toContain('Bevestig dat de e-mailadressen')
  })

  it('When the preview is confirmed twice, then the second confirmation stores nothing more', async () => {
    const agent = await t.loginAs('sanne')
    const response = await uploadCsv(agent, `${HEADER}\nTwee;;Keer;1990-01-01;twee.keer@voorbeeld.nl;0612345678;EH2;1;86231457\n`)
    const token = csrfFrom(response.text)
    await agent.post('/beheer/gebruikers/toevoegen/bevestigen').type('form').send({ _csrf: token })
    const again = await agent.post('/beheer/gebruikers/toevoegen/bevestigen').type('form').send({ _csrf: token })
    expect(again.status).toBe(303)
    expect(await t.database.db.user.count({ where: { emailKey: 'twee.keer@voorbeeld.nl' } })).toBe(1)
  })
})
