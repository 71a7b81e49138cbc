// The one bulk mechanism of Machtigingen (revoke, suspend, renew; selected or all matching the
// filter): the confirmation page with the count and the marks, bound to what it showed; set-based
// in one transaction with a result per mandate; stale, replayed, forged and concurrent confirmations;
// other organisations (404). Also the renew icon (rule 2) and the history page of one mandate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isoDate } from '../../../src/domain/dates.ts'
import { addYearsClamped } from '../../../src/domain/terms.ts'
import { createTestApp, postForm, type Agent, type TestApp } from '../../helpers/app.ts'
import { actorFor, demo, mandateOf } from '../mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Agent
const db = () => t.database.db
const LIST = '/beheer/machtigingen'
const digestOn = (html: string, choice: 'selected' | 'filter') => new RegExp(`name="digest_${choice}" value="([^"]+)"`).exec(html)![1]!
const ids = (...list: string[]) => list.map((id) => `id=${id}`).join('&')
const status = async (id: string) => (await db().mandate.findUniqueOrThrow({ where: { id } })).status

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
  sanne = await t.loginAs('sanne')
})
afterAll(async () => {
  await t.close()
})

describe('bulk revoke and suspend', () => {
  it('When the admin ticks mandates and chooses Machtigingen intrekken, then the page counts them, marks what he may not change, and the result lists each one', async () => {
    const a = await mandateOf(db(), d.fatma, d.bakkerij, 'Mijn Belastingdienst Zakelijk')
    const revoked = await mandateOf(db(), d.fatma, d.bakkerij, 'Aangifte loonheffingen')
    const above = await mandateOf(db(), d.ingrid, d.holding, 'UWV Mijn Gegevensdiensten')
    const page = await sanne.get(`${LIST}/intrekken?${ids(a.id, revoked.id, above.id)}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('De 3 geselecteerde machtigingen')
    expect(page.text).toContain('1 van 3 wordt ingetrokken')
    expect(page.text).toContain('Niet: de machtiging is ingetrokken')
    expect(page.text).toContain('Niet: het niveau is hoger dan uw beheerdersmachtiging')
    const response = await postForm(sanne, LIST, `${LIST}/intrekken`, {
      selection: 'selected',
      id: [a.id, revoked.id, above.id],
      digest_selected: digestOn(page.text, 'selected'),
    })
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe(`${LIST}/resultaat`)
    const result = await sanne.get(`${LIST}/resultaat`)
    expect(result.text).toContain('1 ingetrokken, 2 niet (van 3)')
    expect(await status(a.id)).toBe('revoked')
    expect(await status(above.id)).toBe('active')
    expect(await db().auditEvent.count({ where: { action: 'mandate.revoked', subjectId: { in: [a.id, revoked.id, above.id] } } })).toBe(1)
    expect(await db().outgoingMail.count({ where: { template: 'mandates-changed', toAddress: 'fatma.yilmaz@demo.example' } })).toBe(1)

    // The same confirmation once more (second click, back button): 409, it says it already happened, nothing changes.
    const again = await postForm(sanne, LIST, `${LIST}/intrekken`, {
      selection: 'selected',
      id: [a.id, revoked.id, above.id],
      digest_selected: digestOn(page.text, 'selected'),
    })
    expect(again.status).toBe(409)
    expect(again.text).toContain('Deze bevestiging is al uitgevoerd')
    expect(await db().auditEvent.count({ where: { action: 'mandate.revoked', subjectId: a.id } })).toBe(1)
  })

  it('When the admin suspends all mandates matching the filter, then the active ones are suspended and pending, expired and revoked ones are left out', async () => {
    const page = await sanne.get(`${LIST}/schorsen?gebruiker=Jan%20Smit&inactief=1`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Niet: de machtiging is nog in afwachting')
    expect(page.text).toContain('Niet: de machtiging is verlopen')
    const response = await postForm(sanne, LIST, `${LIST}/schorsen`, {
      selection: 'filter',
      gebruiker: 'Jan Smit',
      inactief: '1',
      digest_filter: digestOn(page.text, 'filter'),
    })
    expect(response.status).toBe(303)
    const jan = await db().mandate.findMany({ where: { userId: d.jan, organisationId: d.bakkerij }, select: { status: true } })
    expect(jan.map((m) => m.status).sort()).toEqual(['expired', 'pending', 'suspended', 'suspended', 'suspended'])
    expect(await db().auditEvent.count({ where: { action: 'mandate.suspended', after: { path: ['bulk'], equals: true } } })).toBe(3)
  })

  it('When a mandate in the set changed after the page was shown, or the digest is forged, then 409 with the set as it is now and nothing changes', async () => {
    const a = await mandateOf(db(), d.fatma, d.bakkerij, 'Aangifte omzetbelasting')
    const b = await db().mandate.findFirstOrThrow({ where: { userId: d.fatma, organisationId: d.bakkerij, scope: 'provider' } })
    const page = await sanne.get(`${LIST}/schorsen?${ids(a.id, b.id)}`)
    const forged = await postForm(sanne, LIST, `${LIST}/schorsen`, { selection: 'selected', id: [a.id, b.id], digest_selected: 'A'.repeat(43) })
    expect(forged.status).toBe(409)
    await t.services.mandateLifecycleService.suspend(await actorFor(db(), d.sanne), a.id)
    const stale = await postForm(sanne, LIST, `${LIST}/schorsen`, { selection: 'selected', id: [a.id, b.id], digest_selected: digestOn(page.text, 'selected') })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('zijn de machtigingen veranderd')
    expect(stale.text).toContain('1 van 2 wordt geschorst')
    expect(await status(b.id)).toBe('active')
  })

  it('When two admins confirm the same bulk revoke at once, then it happens once: one audit entry per mandate', async () => {
    const actor = await actorFor(db(), d.sanne)
    const m = await mandateOf(db(), d.sanne, d.holding, 'Aangifte vennootschapsbelasting')
    const preview = await t.services.mandateBulkService.preview(actor.principal!, 'revoke', { ids: [m.id] })
    const results = await Promise.all([
      t.services.mandateBulkService.run(actor, 'revoke', { ids: [m.id] }, preview!.digest),
      t.services.mandateBulkService.run(actor, 'revoke', { ids: [m.id] }, preview!.digest),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['changed', 'done'])
    expect(await db().auditEvent.count({ where: { action: 'mandate.revoked', subjectId: m.id } })).toBe(1)
  })

  it("When another organisation's mandates are named (ids or filter), then 404 and nothing changes", async () => {
    const pieter = await t.loginAs('pieter')
    const m = await mandateOf(db(), d.ingrid, d.bakkerij, 'Mijn Kadaster')
    expect((await pieter.get(`${LIST}/intrekken?id=${m.id}`)).status).toBe(404)
    expect((await pieter.get(`${LIST}/schorsen?organisatie=${d.bakkerij}`)).status).toBe(404)
    const post = await postForm(pieter, LIST, `${LIST}/intrekken`, { selection: 'selected', id: m.id, digest_selected: 'A'.repeat(43) })
    expect(post.status).toBe(404)
    expect(await status(m.id)).toBe('active')
    const none = await postForm(sanne, LIST, `${LIST}/intrekken`, { selection: 'selected' })
    expect(none.status).toBe(422)
    expect(none.text).toContain('Vink in de lijst minstens één machtiging aan')
  })
})

describe('what a bulk change writes', () => {
  // The audit entries and mails are written by the change's own statement (SQL, not JavaScript):
  // these are the exact values, down to the date formats and the keys left out.
  const AUDIT_FIELDS = {
    actorId: true,
    actorLabel: true,
    action: true,
    organisationId: true,
    subjectType: true,
    subjectId: true,
    before: true,
    after: true,
    ipAddress: true,
    requestId: true,
  } as const
  const MAIL_FIELDS = { idempotencyKey: true, toAddress: true, template: true, locale: true, data: true } as const
  const audits = async (action: string, ids: string[]) =>
    (await db().auditEvent.findMany({ where: { action, subjectId: { in: ids } }, select: AUDIT_FIELDS })).sort((a, b) =>
      a.subjectId!.localeCompare(b.subjectId!),
    )
  const mails = async (template: string, to: string[]) =>
    (await db().outgoingMail.findMany({ where: { template, toAddress: { in: to } }, select: MAIL_FIELDS })).sort((a, b) =>
      a.toAddress.localeCompare(b.toAddress),
    )
  /** A date as JSON.stringify writes a Date of it. */
  const midnight = (date: Date) => `${isoDate(date)}T00:00:00.000Z`

  it('When an admin renews and then revokes two mandates of one holder and one without a service of another, then each gets exactly its audit entry and each holder exactly one mail', async () => {
    // Arrange: Linda (mails in English) holds two service mandates at Bakker Installatietechniek, Pieter one for a whole provider.
    const actor = await actorFor(db(), d.pieter)
    await db().user.update({ where: { id: d.linda }, data: { locale: 'en' } })
    const rvo = await mandateOf(db(), d.linda, d.bakker, 'mijn.rvo.nl')
    const loket = await mandateOf(db(), d.linda, d.bakker, 'Omgevingsloket: vergunning aanvragen en melden')
    const provider = await db().mandate.findFirstOrThrow({ where: { userId: d.pieter, organisationId: d.bakker, kind: 'use', scope: 'provider' } })
    const selection = { ids: [rvo.id, loket.id, provider.id] }
    const actorColumns = {
      actorId: d.pieter,
      actorLabel: 'pieter.bakker@demo.example',
      organisationId: d.bakker,
      subjectType: 'mandate',
      ipAddress: '127.0.0.1',
      requestId: 'test',
    }
    const organisationName = 'Bakker Installatietechniek B.V.'
    const lines = {
      rvo: { organisationName, scope: 'service', serviceName: 'mijn.rvo.nl', providerName: 'Rijksdienst voor Ondernemend Nederland', level: 'EH2+' },
      loket: {
        organisationName,
        scope: 'service',
        serviceName: 'Omgevingsloket: vergunning aanvragen en melden',
        providerName: 'Rijkswaterstaat (Omgevingsloket)',
        level: 'EH2+',
      },
      provider: { organisationName, scope: 'provider', providerName: 'Rijksdienst voor Ondernemend Nederland', level: 'EH2+' },
    }
    const renewed = (m: typeof rvo) => ({
      ...actorColumns,
      action: 'mandate.renewed',
      subjectId: m.id,
      before: { status: 'active', validFrom: midnight(m.validFrom), validUntil: midnight(m.validUntil) },
      after: { status: 'active', validUntil: midnight(addYearsClamped(m.validUntil, 1)), termYears: 1 },
    })
    const newEnd = (m: typeof rvo) => isoDate(addYearsClamped(m.validUntil, 1))

    // Act: renew for a year, then revoke the same three.
    const renewPreview = await t.services.mandateBulkService.preview(actor.principal!, 'renew', selection)
    const renewal = await t.services.mandateBulkService.run(actor, 'renew', selection, renewPreview!.digest, 1)
    const now = new Date()
    const revokePreview = await t.services.mandateBulkService.preview(actor.principal!, 'revoke', selection, now)
    const revocation = await t.services.mandateBulkService.run(actor, 'revoke', selection, revokePreview!.digest, undefined, now)

    // Assert: the renewal's entries and mails
    expect(renewal.status).toBe('renewed')
    expect(revocation.status).toBe('done')
    expect(await audits('mandate.renewed', selection.ids)).toStrictEqual(
      [rvo, loket, provider].map(renewed).sort((a, b) => a.subjectId.localeCompare(b.subjectId)),
    )
    const renewalMails = await mails('renewal-done', ['linda.degroot@demo.example', 'pieter.bakker@demo.example'])
    const batch = /^renewal-done:([0-9a-f-]{36}):/.exec(renewalMails[0]!.idempotencyKey)![1]
    expect(renewalMails).toStrictEqual([
      {
        idempotencyKey: `renewal-done:${batch}:${d.linda}`,
        toAddress: 'linda.degroot@demo.example',
        template: 'renewal-done',
        locale: 'en',
        data: {
          name: 'Linda de Groot',
          kind: 'mandate',
          termYears: 1,
          count: 2,
          mandates: [
            { ...lines.rvo, validUntil: newEnd(rvo) },
            { ...lines.loket, validUntil: newEnd(loket) },
          ],
        },
      },
      {
        idempotencyKey: `renewal-done:${batch}:${d.pieter}`,
        toAddress: 'pieter.bakker@demo.example',
        template: 'renewal-done',
        locale: 'nl',
        data: { name: 'Pieter Bakker', kind: 'mandate', termYears: 1, count: 1, mandates: [{ ...lines.provider, validUntil: newEnd(provider) }] },
      },
    ])

    // Assert: the revocation's entries and mails
    const revoked = (m: typeof rvo) => ({
      ...actorColumns,
      action: 'mandate.revoked',
      subjectId: m.id,
      before: { status: 'active' },
      after: { status: 'revoked', revokedAt: now.toISOString(), bulk: true },
    })
    expect(await audits('mandate.revoked', selection.ids)).toStrictEqual(
      [rvo, loket, provider].map(revoked).sort((a, b) => a.subjectId.localeCompare(b.subjectId)),
    )
    const revocationMails = await mails('mandates-changed', ['linda.degroot@demo.example', 'pieter.bakker@demo.example'])
    const revokeBatch = /^mandates-changed:revoked:([0-9a-f-]{36}):/.exec(revocationMails[0]!.idempotencyKey)![1]
    const changed = { template: 'mandates-changed', event: 'revoked', context: 'revoked' }
    expect(revocationMails).toStrictEqual([
      {
        idempotencyKey: `mandates-changed:revoked:${revokeBatch}:${d.linda}`,
        toAddress: 'linda.degroot@demo.example',
        template: changed.template,
        locale: 'en',
        data: { name: 'Linda de Groot', event: changed.event, context: changed.context, count: 2, mandates: [lines.rvo, lines.loket] },
      },
      {
        idempotencyKey: `mandates-changed:revoked:${revokeBatch}:${d.pieter}`,
        toAddress: 'pieter.bakker@demo.example',
        template: changed.template,
        locale: 'nl',
        data: { name: 'Pieter Bakker', event: changed.event, context: changed.context, count: 1, mandates: [lines.provider] },
      },
    ])
  })
})

describe('renew icon and history', () => {
  it("When a row is above the admin's own level, then it has no renew icon (rule 2)", async () => {
    const above = await mandateOf(db(), d.ingrid, d.holding, 'UWV Mijn Gegevensdiensten')
    const list = await sanne.get(`${LIST}?gebruiker=Ingrid&organisatie=${d.holding}`)
    expect(list.text).toContain(`${LIST}/${above.id}/intrekken`)
    expect(list.text).not.toContain(`${LIST}/${above.id}/verlengen`)
  })

  it('When a mandate was suspended and lifted, then its history says who did what, when and why, and the user page shows the same events', async () => {
    const m = await mandateOf(db(), d.ingrid, d.bakkerij, 'Mijn Kadaster')
    const actor = await actorFor(db(), d.sanne)
    await t.services.mandateLifecycleService.suspend(actor, m.id)
    await t.services.mandateLifecycleService.lift(actor, m.id)
    const list = await sanne.get(`${LIST}?gebruiker=Ingrid`)
    expect(list.text).toContain(`${LIST}/${m.id}/geschiedenis`)
    const page = await sanne.get(`${LIST}/${m.id}/geschiedenis`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Geschorst')
    expect(page.text).toContain('Schorsing opgeheven')
    expect(page.text).toContain('Sanne de Vries (sanne.devries@demo.example)')
    expect(page.text).toContain('Door een beheerder')
    // The user page tells the same events in Logboek's words (src/shared/auditSentences.ts).
    const detail = await sanne.get(`/beheer/gebruikers/${d.ingrid}`)
    expect(detail.text).toContain('heeft de schorsing van de machtiging van')
    expect(detail.text).toContain('heeft de machtiging van')
    const pieter = await t.loginAs('pieter')
    expect((await pieter.get(`${LIST}/${m.id}/geschiedenis`)).status).toBe(404)
  })
})
