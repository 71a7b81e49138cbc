// #20: "Gebruikers toevoegen" still names an address in use (the admin must send a verzoek instead),
// but an admin gets at most 50 such answers an hour; then every preview is refused (429) for the hour,
// whatever it holds, so a list of addresses cannot be checked in bulk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const TAKEN = ['sanne.devries@demo.example', 'pieter.bakker@demo.example', 'jan.smit@demo.example', 'fatma.yilmaz@demo.example', 'backoffice@demo.example']

function rows(emails: string[], organisation: string): Record<string, string> {
  const fields: Record<string, string> = { rowCount: String(emails.length), action: 'preview', emailConfirmed: '1' }
  emails.forEach((email, i) => {
    Object.assign(fields, {
      [`firstName_${i}`]: 'Kees',
      [`lastName_${i}`]: `Jong${i}`,
      [`dateOfBirth_${i}`]: '1980-01-01',
      [`email_${i}`]: email,
      [`mobile_${i}`]: '0612345678',
      [`level_${i}`]: 'EH2',
      [`termYears_${i}`]: '1',
      [`organisation_${i}`]: organisation,
    })
  })
  return fields
}

describe('Gebruikers toevoegen: addresses in use (#20)', () => {
  it('When an admin has been told 50 times within an hour that an address is in use, then every further preview is refused with 429 for the hour', async () => {
    const agent = await t.loginAs('sanne')
    const bakkerij = (await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })).id
    for (let i = 0; i < 10; i++) {
      const response = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', rows(TAKEN, bakkerij))
      expect(response.status, `preview ${i + 1}`).toBe(422)
      expect(response.text).toContain('stuur dan een verzoek')
    }
    const taken = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', rows(TAKEN.slice(0, 1), bakkerij))
    expect(taken.status).toBe(429)
    const free = await postForm(agent, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', rows(['nog.vrij@voorbeeld.nl'], bakkerij))
    expect(free.status).toBe(429)
    expect(free.text).toContain('Te veel pogingen')
    // Another admin is not affected.
    const pieter = await t.loginAs('pieter')
    const bakker = (await t.database.db.organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })).id
    expect((await postForm(pieter, '/beheer/gebruikers/toevoegen', '/beheer/gebruikers/toevoegen', rows(['ook.vrij@voorbeeld.nl'], bakker))).status).toBe(200)
  })
})
