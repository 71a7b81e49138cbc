// Means for users from Gebruikers: renew a means on the user page, "Nieuw Middel Aanvragen" for a
// known person whose means ended, and "Middel upgraden" for several ticked users (bound to what the
// page showed; mandates survive); bad input, second clicks and other organisations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoDate } from '../../../src/domain/dates.ts'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { demo } from '../mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent
const db = () => t.database.db
const user = (id: string) => `/beheer/gebruikers/${id}`

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

describe('Middel verlengen on the user page', () => {
  it('When the admin renews a means by one year, then it runs a year longer with one audit entry; the same form again says it changed meanwhile', async () => {
    const means = await db().means.findFirstOrThrow({ where: { userId: d.fatma, status: 'active' } })
    const page = await sanne.get(user(d.fatma))
    expect(page.text).toContain('Middel verlengen')
    const fields = { meansId: means.id, seenUntil: isoDate(means.validUntil), renewTermYears: '1', renewOrganisationId: d.bakkerij }
    const response = await postForm(sanne, user(d.fatma), `${user(d.fatma)}/middel-verlengen`, fields)
    expect(response.status).toBe(303)
    const after = await db().means.findUniqueOrThrow({ where: { id: means.id } })
    expect(after.validUntil.getUTCFullYear()).toBe(means.validUntil.getUTCFullYear() + 1)
    const again = await postForm(sanne, user(d.fatma), `${user(d.fatma)}/middel-verlengen`, fields)
    expect(again.status).toBe(422)
    expect(again.text).toContain('intussen gewijzigd')
    expect(await db().auditEvent.count({ where: { action: 'means.renewed', subjectId: means.id } })).toBe(1)
    const noTerm = await postForm(sanne, user(d.fatma), `${user(d.fatma)}/middel-verlengen`, { ...fields, renewTermYears: '7' })
    expect(noTerm.status).toBe(400)
  })
})

describe('Nieuw Middel Aanvragen for a known person', () => {
  it("When the person's means ended, then the admin can request a new one (EH3 waits for the identity check); a second request is refused", async () => {
    const page = await sanne.get(user(d.ruud))
    expect(page.text).toContain('Nieuw Middel Aanvragen')
    const fields = { newLevel: 'EH3', newTermYears: '3', newOrganisationId: d.bakkerij }
    const response = await postForm(sanne, user(d.ruud), `${user(d.ruud)}/nieuw-middel`, fields)
    expect(response.status).toBe(303)
    const requested = await db().means.findFirstOrThrow({ where: { userId: d.ruud, status: 'requested' } })
    expect(requested.level).toBe('EH3')
    expect(await db().application.count({ where: { subjectUserId: d.ruud, type: 'new_means', status: 'awaiting_identity_check' } })).toBe(1)
    const again = await postForm(sanne, user(d.ruud), `${user(d.ruud)}/nieuw-middel`, { ...fields, newLevel: 'EH2_PLUS' })
    expect(again.status).toBe(422)
    expect(again.text).toContain('heeft al een middel')
    const above = await postForm(sanne, user(d.ruud), `${user(d.ruud)}/nieuw-middel`, { ...fields, newLevel: 'EH4' })
    expect(above.status).toBe(422)
  })
})

describe('Middel upgraden for several users', () => {
  it('When the admin ticks three users and upgrades to EH2+, then the one below is upgraded at once with his mandates intact, the others are marked and left out', async () => {
    const before = await db().mandate.findMany({ where: { userId: d.mark }, select: { id: true, status: true }, orderBy: { id: 'asc' } })
    const url = `/beheer/gebruikers/upgraden?id=${d.mark}&id=${d.jan}&id=${d.fatma}&organisatie=${d.bakkerij}&niveau=EH2_PLUS`
    const page = await sanne.get(url)
    expect(page.status).toBe(200)
    expect(page.text).toContain('1 van 3 gebruikers wordt geüpgraded naar EH2+')
    expect(page.text).toContain('Niet: het middel heeft dit niveau al (of hoger)')
    const digest = /name="digest" value="([^"]+)"/.exec(page.text)![1]!
    const forged = await postForm(sanne, url, '/beheer/gebruikers/upgraden', {
      id: [d.mark, d.jan, d.fatma],
      organisatie: d.bakkerij,
      niveau: 'EH2_PLUS',
      digest: 'A'.repeat(43),
    })
    expect(forged.status).toBe(409)
    const response = await postForm(sanne, url, '/beheer/gebruikers/upgraden', {
      id: [d.mark, d.jan, d.fatma],
      organisatie: d.bakkerij,
      niveau: 'EH2_PLUS',
      digest,
    })
    expect(response.status).toBe(303)
    expect((await db().means.findFirstOrThrow({ where: { userId: d.mark, status: 'active' } })).level).toBe('EH2_PLUS')
    expect(await db().mandate.findMany({ where: { userId: d.mark }, select: { id: true, status: true }, orderBy: { id: 'asc' } })).toEqual(before)
    const again = await postForm(sanne, url, '/beheer/gebruikers/upgraden', {
      id: [d.mark, d.jan, d.fatma],
      organisatie: d.bakkerij,
      niveau: 'EH2_PLUS',
      digest,
    })
    expect(again.status).toBe(409)
    expect(await db().application.count({ where: { subjectUserId: d.mark, type: 'upgrade' } })).toBe(1)
  })

  it("When another organisation's admin names these users, then 404 and nothing changes", async () => {
    const pieter = await t.loginAs('pieter')
    expect((await pieter.get(`/beheer/gebruikers/upgraden?id=${d.jan}&organisatie=${d.bakkerij}&niveau=EH3`)).status).toBe(404)
    expect((await pieter.get(`/beheer/gebruikers/upgraden?id=${d.jan}&organisatie=${d.bakker}&niveau=EH3`)).status).toBe(404)
    const means = await db().means.findFirstOrThrow({ where: { userId: d.jan, status: 'active' } })
    const renew = await postForm(pieter, '/beheer/gebruikers', `${user(d.jan)}/middel-verlengen`, {
      meansId: means.id,
      seenUntil: isoDate(means.validUntil),
      renewTermYears: '1',
      renewOrganisationId: d.bakkerij,
    })
    expect(renew.status).toBe(404)
    expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).validUntil).toEqual(means.validUntil)
  })
})
