// Issue 19 (g): the forms of Verzoeken, Aanvragen, API-koppelingen and the back office filled through
// their rendered fields (tests/helpers/forms.ts), each asserting its effect in the database: among
// them Opnieuw versturen of a link request and a legal representative's mail language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pathFor, paths } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm, submitFormIn, type FormPick } from '../../helpers/forms.ts'
import { byAction, offeredIn } from '../../helpers/formFill.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
const db = () => t.database.db
/** The first id in `html` that fills `route` as a form action. */
function firstAction(html: string, route: string): { id: string; action: string } {
  const re = new RegExp(`action="(${route.replace(/:id/, '([0-9a-f-]{36})')})"`)
  const m = re.exec(html)
  if (!m) throw new Error(`no form for ${route}`)
  return { action: m[1]!, id: m[2]! }
}

describe('Verzoeken and Aanvragen forms filled as rendered (issue 19)', () => {
  it('When an admin sends a link request and withdraws it through their forms, then it is made and then withdrawn', async () => {
    const agent = await t.loginAs('sanne')
    const page = (await agent.get(paths.beheer.requestsNew)).text
    const made = await submitFormIn(agent, page, paths.beheer.requestsNew, byAction(paths.beheer.requestsNew), {
      organisationId: offeredIn(page, 'organisationId')[0]!,
      email: 'form.fill@demo.example',
    })
    expect(made.status).toBe(303)
    const request = await db().linkRequest.findFirstOrThrow({ where: { email: 'form.fill@demo.example' } })
    const list = (await agent.get(paths.beheer.requests)).text
    const cancel = pathFor(paths.beheer.requestCancel, { id: request.id })
    expect(list).toContain(`action="${cancel}"`)
    expect((await submitFormIn(agent, list, paths.beheer.requests, byAction(cancel))).status).toBe(303)
    expect((await db().linkRequest.findUniqueOrThrow({ where: { id: request.id } })).status).not.toBe(request.status)
  })

  it('When an admin sends an open link request again through Verzoeken, then its mail is queued once more and audited', async () => {
    const agent = await t.loginAs('pieter')
    const installer = await db().organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    const made = await submitForm(agent, paths.beheer.requestsNew, byAction(paths.beheer.requestsNew), { organisationId: installer.id, email: jan.email })
    expect(made.status).toBe(303)
    const request = await db().linkRequest.findFirstOrThrow({ where: { organisationId: installer.id, email: jan.email, status: 'pending' } })
    const mails = () => db().outgoingMail.count({ where: { template: 'link-request', toAddress: jan.email } })
    const audits = () => db().auditEvent.count({ where: { action: 'link_request.resent', subjectId: request.id } })
    const [mailsBefore, auditsBefore] = [await mails(), await audits()]
    const resend = pathFor(paths.beheer.requestResend, { id: request.id })
    expect((await submitForm(agent, paths.beheer.requests, byAction(resend))).status).toBe(303)
    expect(await mails()).toBe(mailsBefore + 1)
    expect(await audits()).toBe(auditsBefore + 1)
  })

  it('When an admin appoints an administrator through its form, then an admin appointment application exists', async () => {
    const agent = await t.loginAs('sanne')
    const page = (await agent.get(paths.beheer.adminAppointment)).text
    const before = await db().application.count({ where: { type: 'admin_appointment' } })
    const jan = await db().user.findFirstOrThrow({
      where: { emailKey: 'jan.smit@demo.example' },
      include: { means: { where: { status: 'active' } }, links: true },
    })
    const level = jan.means[0]!.level
    expect(offeredIn(page, 'level')).toContain(level)
    const response = await submitFormIn(agent, page, paths.beheer.adminAppointment, byAction(paths.beheer.adminAppointment), {
      organisationId: jan.links[0]!.organisationId,
      level,
      email: 'jan.smit@demo.example',
    })
    expect(response.status).toBe(303)
    expect(await db().application.count({ where: { type: 'admin_appointment' } })).toBe(before + 1)
  })

  it('When an admin signs, sends to the legal representatives and cancels applications through their forms, then each takes effect', async () => {
    const agent = await t.loginAs('sanne')
    const open = await db().application.findFirstOrThrow({
      where: { status: 'awaiting_signature', type: { not: 'admin_appointment' }, organisation: { name: 'Bakkerij De Vries B.V.' } },
    })
    const detail = pathFor(paths.beheer.applicationDetail, { id: open.id })
    const sign = pathFor(paths.beheer.applicationSign, { id: open.id })
    expect((await submitForm(agent, detail, byAction(sign))).status).toBe(303)
    expect(await db().applicationSignature.count({ where: { applicationId: open.id, signerType: 'admin' } })).toBe(1)
    const list = (await agent.get(paths.beheer.applications)).text
    const toReps = firstAction(list, paths.beheer.applicationToRepresentatives)
    const mails = await db().outgoingMail.count()
    expect((await submitFormIn(agent, list, paths.beheer.applications, byAction(toReps.action))).status).toBe(303)
    expect(await db().outgoingMail.count()).toBeGreaterThan(mails)
    const cancel = firstAction((await agent.get(paths.beheer.applications)).text, paths.beheer.applicationCancel)
    expect((await submitForm(agent, paths.beheer.applications, byAction(cancel.action))).status).toBe(303)
    expect((await db().application.findUniqueOrThrow({ where: { id: cancel.id } })).status).toBe('cancelled')
  })

  it('When an admin makes an API connection, gives it a new secret and revokes it through their forms, then each is stored', async () => {
    const agent = await t.loginAs('sanne')
    const page = (await agent.get(paths.beheer.apiClients)).text
    const made = await submitFormIn(agent, page, paths.beheer.apiClients, byAction(paths.beheer.apiClients), {
      name: 'Formulier-koppeling',
      organisationId: offeredIn(page, 'organisationId')[0]!,
      level: offeredIn(page, 'level')[0]!,
      scopes: offeredIn(page, 'scopes').slice(0, 1),
    })
    expect(made.status).toBeLessThan(400)
    const client = await db().apiClient.findFirstOrThrow({ where: { name: 'Formulier-koppeling' } })
    const list = (await agent.get(paths.beheer.apiClients)).text
    const rotate = pathFor(paths.beheer.apiClientRotate, { id: client.id })
    expect((await submitFormIn(agent, list, paths.beheer.apiClients, byAction(rotate))).status).toBeLessThan(400)
    expect((await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })).rotatedAt).not.toBeNull()
    const revoke = pathFor(paths.beheer.apiClientRevoke, { id: client.id })
    expect((await submitForm(agent, paths.beheer.apiClients, byAction(revoke))).status).toBeLessThan(400)
    expect((await db().apiClient.findUniqueOrThrow({ where: { id: client.id } })).revokedAt).not.toBeNull()
  })
})

describe('back office forms filled as rendered (issue 19)', () => {
  it('When the back office approves an identity check through its form, then the application is issued', async () => {
    const agent = await t.loginAs('backoffice')
    // The demo has one identity check waiting; a second (an application made to wait for it) for the reject form.
    const signed = await db().application.findFirstOrThrow({ where: { status: 'awaiting_signature', type: { not: 'admin_appointment' } } })
    await db().application.update({ where: { id: signed.id }, data: { status: 'awaiting_identity_check' } })
    const page = (await agent.get(paths.backoffice)).text
    const approve = firstAction(page, paths.backofficeApprove)
    expect((await submitFormIn(agent, page, paths.backoffice, byAction(approve.action))).status).toBe(303)
    expect((await db().application.findUniqueOrThrow({ where: { id: approve.id } })).status).toBe('issued')
    // The reject form (its reason field is named per row) is filled in disagreements.test.ts.
    const reject = firstAction((await agent.get(paths.backoffice)).text, paths.backofficeReject)
    const field = `reason-${reject.id}`
    const rejected = await submitForm(agent, paths.backoffice, byAction(reject.action), { [field]: 'Foto onscherp' })
    expect(rejected.status).toBe(303)
    expect((await db().application.findUniqueOrThrow({ where: { id: reject.id } })).status).toBe('rejected')
  })

  it('When the back office sends a failed mail again through its form, then it is queued again', async () => {
    const mail = await db().outgoingMail.findFirstOrThrow()
    await db().outgoingMail.update({ where: { id: mail.id }, data: { status: 'failed', lastError: 'SMTP 550' } })
    const agent = await t.loginAs('backoffice')
    const resend = pathFor(paths.backofficeMailResend, { id: mail.id })
    const page = `${paths.backofficeMail}?status=failed`
    expect((await submitForm(agent, page, byAction(resend))).status).toBeLessThan(400)
    expect((await db().outgoingMail.findUniqueOrThrow({ where: { id: mail.id } })).status).toBe('pending')
  })

  it('When the back office refreshes, blocks and unblocks an organisation through its page, then each is stored', async () => {
    const agent = await t.loginAs('backoffice')
    const org = await db().organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })
    const page = pathFor(paths.backofficeOrganisation, { id: org.id })
    const refresh = pathFor(paths.backofficeOrganisationRefresh, { id: org.id })
    expect((await submitForm(agent, page, byAction(refresh))).status).toBeLessThan(400)
    const block = pathFor(paths.backofficeOrganisationBlock, { id: org.id })
    const blockValues = offeredIn((await agent.get(page)).text, 'reason').length ? {} : {}
    expect((await submitForm(agent, page, byAction(block), blockValues)).status).toBeLessThan(400)
    expect((await db().organisation.findUniqueOrThrow({ where: { id: org.id } })).blockedAt).not.toBeNull()
    const unblock = pathFor(paths.backofficeOrganisationUnblock, { id: org.id })
    expect((await submitForm(agent, page, byAction(unblock))).status).toBeLessThan(400)
    expect((await db().organisation.findUniqueOrThrow({ where: { id: org.id } })).blockedAt).toBeNull()
  })

  it("When the back office sets a legal representative's mail language on the customer page, then his locale is stored", async () => {
    const agent = await t.loginAs('backoffice')
    const rep = await db().legalRepresentative.findFirstOrThrow({ orderBy: { name: 'asc' } })
    const page = pathFor(paths.backofficeOrganisation, { id: rep.organisationId })
    const action = pathFor(paths.backofficeRepresentativeLocale, { id: rep.organisationId })
    const other = rep.locale === 'en' ? 'nl' : 'en'
    const audits = () => db().auditEvent.count({ where: { action: 'organisation.representative_mail_locale_changed', subjectId: rep.organisationId } })
    const auditsBefore = await audits()
    const pick = (form: Parameters<FormPick>[0], $: Parameters<FormPick>[1]) =>
      byAction(action)(form, $) && form.find(`input[name="representativeId"][value="${rep.id}"]`).length > 0
    expect((await submitForm(agent, page, pick, { mailLocale: other })).status).toBe(303)
    expect((await db().legalRepresentative.findUniqueOrThrow({ where: { id: rep.id } })).locale).toBe(other)
    expect(await audits()).toBe(auditsBefore + 1)
  })
})
