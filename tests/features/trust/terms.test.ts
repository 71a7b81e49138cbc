// Issue 19 (d): offer only what can succeed. The renew page offers the terms rule 4 allows (the rule
// the mail's renewal page uses), says why the others are left out, and each offered one succeeds;
// the activate page of an active mandate shows no form that can only fail.
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayUtc } from '../../../src/domain/dates.ts'
import { renewableTerms } from '../../../src/domain/terms.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db

async function activeMandates(count: number) {
  const org = await db().organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
  return db().mandate.findMany({
    where: { organisationId: org.id, status: 'active', kind: 'use', level: { in: ['EH2', 'EH2_PLUS', 'EH3'] } },
    take: count,
    orderBy: { id: 'asc' },
  })
}

describe('Renew and activate offer only what can succeed (issue 19)', () => {
  it('When an admin opens the renew page of an active mandate, then only the allowed terms are offered, the rest with the reason, and each offered term succeeds', async () => {
    const agent = await t.loginAs('sanne')
    const mandates = await activeMandates(3)
    expect(mandates.length).toBeGreaterThan(0)
    for (const [i, mandate] of mandates.entries()) {
      const url = `/beheer/machtigingen/${mandate.id}/verlengen`
      const $ = cheerio.load((await agent.get(url)).text)
      const offered = $('input[name="termYears"]')
        .toArray()
        .map((r) => Number($(r).attr('value')))
      expect(offered).toEqual(renewableTerms(mandate.validUntil, todayUtc()))
      expect(offered).not.toContain(5)
      expect($('main').text()).toMatch(/Niet aangeboden: [^.]*5 jaar/)
      const choice = offered[i % offered.length]!
      const response = await submitForm(agent, url, (f) => f.attr('action') === url, { termYears: String(choice) })
      expect(response.status, `${choice} years`).toBe(303)
    }
  })

  it('When an admin opens the activate page of an active mandate, then it says the mandate is active and offers renewing instead, with no form', async () => {
    const agent = await t.loginAs('sanne')
    const [mandate] = await activeMandates(1)
    const page = await agent.get(`/beheer/machtigingen/${mandate!.id}/activeren`)
    expect(page.status).toBe(200)
    const $ = cheerio.load(page.text)
    expect($(`main form[action="/beheer/machtigingen/${mandate!.id}/activeren"]`).length).toBe(0)
    expect($('main').text()).toContain('hoeft niet geactiveerd te worden')
    expect($(`main a[href="/beheer/machtigingen/${mandate!.id}/verlengen"]`).length).toBe(1)
  })
})
