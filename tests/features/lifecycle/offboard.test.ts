// Afmelden (rule 19): per organisation, for one or several users, through the service and over HTTP:
// what ends, the link gone (the means stays), "Toon ook inactieve gebruikers", and the bad input:
// another organisation (404), no selection, a second click, a stale or forged confirmation, two
// admins at once (one result, one audit entry per real change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { actorFor, demo } from '../mandates/helpers.ts'
import { chainFixtures } from '../../helpers/chainFixtures.ts'
import { offboard } from '../../../src/shared/workflows/offboarding.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent
const db = () => t.database.db
const svc = () => t.services.offboardService
const offboardUrl = (ids: string[], organisation: string) =>
  `/beheer/gebruikers/afmelden?${[...ids.map((id) => `id=${id}`), `organisatie=${organisation}`].join('&')}`
const digestOn = (html: string) => /name="digest" value="([^"]+)"/.exec(html)![1]!
const live = (userId: string, organisationId: string) => db().mandate.count({ where: { userId, organisationId, status: { not: 'revoked' } } })

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

describe('afmelden of one user (service)', () => {
  it('When the admin confirms, then every mandate there is revoked with reason offboarded, the link ends, the means stays; the same confirmation again changes nothing and says he is already afgemeld', async () => {
    const actor = await actorFor(db(), d.sanne)
    const before = await live(d.mark, d.bakkerij)
    expect(before).toBeGreaterThan(0)
    const principal = actor.principal!
    const preview = await svc().preview(principal, d.bakkerij, [d.mark])
    expect(preview).toMatchObject({ peopleCount: 1, mandateCount: before })
    const result = await svc().offboard(actor, d.bakkerij, [d.mark], preview.digest)
    expect(result).toEqual({ status: 'done', people: 1, mandates: before })
    expect(await live(d.mark, d.bakkerij)).toBe(0)
    expect(await db().organisationLink.count({ where: { userId: d.mark, organisationId: d.bakkerij } })).toBe(0)
    expect(await db().formerLink.count({ where: { userId: d.mark, organisationId: d.bakkerij } })).toBe(1)
    expect(await db().means.count({ where: { userId: d.mark, status: 'active' } })).toBe(1)
    const audit = await db().auditEvent.findMany({ where: { action: 'mandate.revoked', after: { path: ['reason'], equals: 'offboarded' } } })
    expect(audit).toHaveLength(before)
    expect(await db().auditEvent.count({ where: { action: 'user.offboarded', subjectId: d.mark } })).toBe(1)
    expect(await db().outgoingMail.count({ where: { template: 'offboarded', toAddress: 'mark.visser@demo.example' } })).toBe(1)

    const again = await svc().offboard(actor, d.bakkerij, [d.mark], preview.digest)
    expect(again.status).toBe('changed')
    if (again.status === 'changed') expect(again.preview.people[0]).toMatchObject({ refusal: 'notLinked', mandateCount: 0 })
    expect(await db().auditEvent.count({ where: { action: 'user.offboarded', subjectId: d.mark } })).toBe(1)
  })

  it('When two admins confirm the same afmelden at once, then it happens once: one audit entry per mandate, the other is told what changed', async () => {
    const actor = await actorFor(db(), d.sanne)
    const preview = await svc().preview(actor.principal!, d.bakkerij, [d.ingrid])
    const n = preview.mandateCount
    expect(n).toBeGreaterThan(0)
    const results = await Promise.all([
      svc().offboard(actor, d.bakkerij, [d.ingrid], preview.digest),
      svc().offboard(actor, d.bakkerij, [d.ingrid], preview.digest),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['changed', 'done'])
    expect(await db().auditEvent.count({ where: { action: 'user.offboarded', subjectId: d.ingrid, organisationId: d.bakkerij } })).toBe(1)
    const revoked = await db().auditEvent.count({
      where: {
        action: 'mandate.revoked',
        organisationId: d.bakkerij,
        subjectId: { in: (await db().mandate.findMany({ where: { userId: d.ingrid } })).map((m) => m.id) },
      },
    })
    expect(revoked).toBe(n)
  })

  it("When the person holds a live mandate above the admin's own level there, then the admin cannot sign him off (rule 2) and nothing changes", async () => {
    const actor = await actorFor(db(), d.sanne)
    const preview = await svc().preview(actor.principal!, d.holding, [d.ingrid])
    expect(preview.people[0]!.refusal).toBe('adminLevel')
    expect((await svc().offboard(actor, d.holding, [d.ingrid], preview.digest)).status).toBe('changed')
    expect(await db().organisationLink.count({ where: { userId: d.ingrid, organisationId: d.holding } })).toBe(1)
  })

  it('When the admin would sign himself off, then he is skipped with the reason and nothing changes', async () => {
    const actor = await actorFor(db(), d.sanne)
    const preview = await svc().preview(actor.principal!, d.bakkerij, [d.sanne])
    expect(preview.people[0]!.refusal).toBe('self')
    expect(preview.peopleCount).toBe(0)
    expect((await svc().offboard(actor, d.bakkerij, [d.sanne], preview.digest)).status).toBe('changed')
    expect(await db().organisationLink.count({ where: { userId: d.sanne, organisationId: d.bakkerij } })).toBe(1)
  })
})

describe('afmelden ends the chain assignments too (rule 20)', () => {
  it('When a person holding assignments under a ketenmachtiging the organisation received is afgemeld (page or API), then those assignments end with an audit entry; assignments under other intermediaries stay', async () => {
    const f = chainFixtures(db())
    const actor = await actorFor(db(), d.sanne)
    const client = await f.organisation()
    const elsewhere = await f.organisation()
    const chain = await f.chain({ organisationId: client.id, intermediaryOrganisationId: d.bakkerij })
    const otherChain = await f.chain({ organisationId: client.id, intermediaryOrganisationId: elsewhere.id })
    for (const via of ['page', 'api'] as const) {
      const person = await f.person('EH4', { linkTo: d.bakkerij })
      await db().organisationLink.create({ data: { userId: person.id, organisationId: elsewhere.id } })
      const ended = await f.assignment({ chainMandateId: chain.id, userId: person.id })
      const kept = await f.assignment({ chainMandateId: otherChain.id, userId: person.id })
      if (via === 'page') {
        const preview = await svc().preview(actor.principal!, d.bakkerij, [person.id])
        expect(await svc().offboard(actor, d.bakkerij, [person.id], preview.digest)).toMatchObject({ status: 'done', people: 1 })
      } else {
        expect(await offboard(db(), actor, { userId: person.id, organisationId: d.bakkerij })).toMatchObject({ revokedMandates: 0, endedAssignments: 1 })
      }
      expect((await db().chainAssignment.findUniqueOrThrow({ where: { id: ended.id } })).status).toBe('revoked')
      expect((await db().chainAssignment.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe('active')
      const audit = await db().auditEvent.findMany({ where: { action: 'chain-assignment.revoked', subjectId: ended.id } })
      expect(audit).toHaveLength(1)
      expect(audit[0]!.after).toMatchObject({ status: 'revoked', reason: 'offboarded', clientOrganisationId: client.id })
      const user = await db().auditEvent.findFirstOrThrow({ where: { action: 'user.offboarded', subjectId: person.id } })
      expect(user.after).toMatchObject({ linked: false, revokedMandates: 0, endedAssignments: 1 })
    }
  })
})

describe('afmelden over HTTP', () => {
  it('When the admin ticks two users in Gebruikers and confirms, then both are afgemeld; "Toon ook inactieve gebruikers" shows them with their history', async () => {
    const list = await sanne.get(`/beheer/gebruikers?organisationId=${d.bakkerij}`)
    expect(list.text).toContain('name="id"')
    expect(list.text).toContain('Afmelden')
    const url = offboardUrl([d.fatma, d.jan], d.bakkerij)
    const page = await sanne.get(url)
    expect(page.status).toBe(200)
    expect(page.text).toContain('2 gebruikers worden afgemeld')
    const response = await postForm(sanne, url, '/beheer/gebruikers/afmelden', { id: [d.fatma, d.jan], organisatie: d.bakkerij, digest: digestOn(page.text) })
    expect(response.status).toBe(303)
    expect(await db().organisationLink.count({ where: { userId: { in: [d.fatma, d.jan] }, organisationId: d.bakkerij } })).toBe(0)
    const active = await sanne.get(`/beheer/gebruikers?organisationId=${d.bakkerij}`)
    expect(active.text).not.toContain('Fatma')
    const inactive = await sanne.get(`/beheer/gebruikers?organisationId=${d.bakkerij}&inactief=1`)
    expect(inactive.text).toContain('Fatma')
    expect(inactive.text).toContain('Afgemeld')
    const detail = await sanne.get(`/beheer/gebruikers/${d.fatma}`)
    expect(detail.status).toBe(200)
    expect(detail.text).toContain('afgemeld op')
    expect(detail.text).not.toContain('/beheer/middelen/')

    // The same confirmation once more: 409, the new state, nothing changed.
    const again = await postForm(sanne, `/beheer/gebruikers/${d.fatma}`, '/beheer/gebruikers/afmelden', {
      id: [d.fatma, d.jan],
      organisatie: d.bakkerij,
      digest: digestOn(page.text),
    })
    expect(again.status).toBe(409)
    expect(again.text).toContain('is al afgemeld')
    expect(await db().auditEvent.count({ where: { action: 'user.offboarded', subjectId: { in: [d.fatma, d.jan] } } })).toBe(2)
  })

  it('When something changed after the page was shown, or the digest is forged, then 409 with the new state and nothing changes', async () => {
    const ahmedOrg = d.bakker
    const pieter = await t.loginAs('pieter')
    const ahmed = d.ahmed
    const url = offboardUrl([ahmed], ahmedOrg)
    const page = await pieter.get(url)
    expect(page.status).toBe(200)
    const forged = await postForm(pieter, url, '/beheer/gebruikers/afmelden', { id: ahmed, organisatie: ahmedOrg, digest: 'x'.repeat(43) })
    expect(forged.status).toBe(409)
    const one = await db().mandate.findFirstOrThrow({ where: { userId: ahmed, organisationId: ahmedOrg, status: 'active', kind: 'use' } })
    await t.services.mandateLifecycleService.revoke(await actorFor(db(), d.pieter), one.id)
    const stale = await postForm(pieter, url, '/beheer/gebruikers/afmelden', { id: ahmed, organisatie: ahmedOrg, digest: digestOn(page.text) })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Er is niets gewijzigd')
    expect(await db().organisationLink.count({ where: { userId: ahmed, organisationId: ahmedOrg } })).toBe(1)
  })

  it("When the organisation is not the admin's, the user is not linked to it, or nothing is ticked, then 404 or 400 and nothing changes", async () => {
    const pieter = await t.loginAs('pieter')
    expect((await pieter.get(offboardUrl([d.ingrid], d.bakkerij))).status).toBe(404)
    expect(
      (await postForm(pieter, '/beheer/gebruikers', '/beheer/gebruikers/afmelden', { id: d.ingrid, organisatie: d.bakkerij, digest: 'x'.repeat(43) })).status,
    ).toBe(404)
    expect((await sanne.get(offboardUrl([d.linda], d.bakkerij))).status).toBe(404)
    const none = await sanne.get('/beheer/gebruikers/afmelden')
    expect(none.status).toBe(200)
    expect(none.text).toContain('Kies eerst in Gebruikers een of meer gebruikers')
    const choose = await sanne.get(`/beheer/gebruikers/afmelden?id=${d.ingrid}`)
    expect(choose.status).toBe(200)
    expect(choose.text).toContain('Bij welke organisatie')
    expect(await db().organisationLink.count({ where: { userId: d.ingrid, organisationId: d.holding } })).toBe(1)
  })
})
