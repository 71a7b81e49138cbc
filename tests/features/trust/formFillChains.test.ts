// Issue 19 (g): the Ketenmachtigingen forms filled through their rendered fields (tests/helpers/forms.ts):
// give (Controleren, then Ondertekenen on the confirmation page), renew, suspend, lift and revoke a
// chain mandate (the client's admin, the last three through their confirmation pages), and assign and
// withdraw a person for a client (the intermediary's admin). Each asserts its effect in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pathFor, paths } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { submitForm, submitFormIn } from '../../helpers/forms.ts'
import { byAction, offeredIn } from '../../helpers/formFill.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
const db = () => t.database.db

describe('Ketenmachtigingen forms filled as rendered (issue 19)', () => {
  it('When a client admin gives a chain mandate, signs it, renews, suspends, lifts and revokes it through the forms, then each is stored', async () => {
    const agent = await t.loginAs('sanne')
    const page = (await agent.get(paths.chains.give)).text
    const intermediary = await db().organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })
    const client = offeredIn(page, 'organisationId')[0]!
    const given = await submitFormIn(agent, page, paths.chains.give, byAction(paths.chains.give), {
      organisationId: client,
      kvkNumber: intermediary.kvkNumber,
      intermediaryName: intermediary.name,
      scope: 'all',
      level: offeredIn(page, 'level')[0]!,
      termYears: offeredIn(page, 'termYears')[0]!,
    })
    expect(given.status).toBe(200)
    expect(await db().chainMandate.count({ where: { intermediaryOrganisationId: intermediary.id, status: 'active' } })).toBe(0)
    const signed = await submitFormIn(agent, given.text, paths.chains.give, byAction(paths.chains.giveSign))
    expect(signed.status).toBe(303)
    const chain = await db().chainMandate.findFirstOrThrow({ where: { intermediaryOrganisationId: intermediary.id, status: 'active' } })
    const list = (await agent.get(paths.chains.list)).text
    const renew = pathFor(paths.chains.renew, { id: chain.id })
    const terms = offeredIn(list, 'termYears')
    const renewed = await submitFormIn(agent, list, paths.chains.list, byAction(renew), terms.length ? { termYears: terms[0]! } : {})
    expect(renewed.status).toBeLessThan(400)
    expect((await db().chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).validUntil.getTime()).toBeGreaterThan(chain.validUntil.getTime())
    const suspend = pathFor(paths.chains.suspend, { id: chain.id })
    expect((await submitForm(agent, suspend, byAction(suspend))).status).toBe(303)
    expect((await db().chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).status).toBe('suspended')
    const lift = pathFor(paths.chains.lift, { id: chain.id })
    expect((await submitForm(agent, lift, byAction(lift))).status).toBe(303)
    expect((await db().chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).status).toBe('active')
    const revoke = pathFor(paths.chains.revoke, { id: chain.id })
    expect((await submitForm(agent, revoke, byAction(revoke))).status).toBe(303)
    expect((await db().chainMandate.findUniqueOrThrow({ where: { id: chain.id } })).status).toBe('revoked')
  })

  it('When the intermediary admin assigns a person for a client and withdraws it through the forms, then the assignment is made and revoked', async () => {
    const agent = await t.loginAs('johan')
    const johanOrg = await db().organisation.findFirstOrThrow({ where: { name: { startsWith: 'Administratiekantoor Van Dijk' } } })
    const chain = await db().chainMandate.findFirstOrThrow({ where: { intermediaryOrganisationId: johanOrg.id, status: 'active' } })
    const page = pathFor(paths.chains.client, { id: chain.id })
    const html = (await agent.get(page)).text
    const before = await db().chainAssignment.count({ where: { chainMandateId: chain.id, status: 'active' } })
    const assigned = await submitFormIn(agent, html, page, byAction(page), {
      userId: offeredIn(html, 'userId')[0]!,
      scopeKey: offeredIn(html, 'scopeKey')[0]!,
      level: offeredIn(html, 'level')[0]!,
    })
    expect(assigned.status).toBeLessThan(400)
    expect(await db().chainAssignment.count({ where: { chainMandateId: chain.id, status: 'active' } })).toBe(before + 1)
    const made = await db().chainAssignment.findFirstOrThrow({ where: { chainMandateId: chain.id, status: 'active' }, orderBy: { createdAt: 'desc' } })
    const revoke = pathFor(paths.chains.assignmentRevoke, { id: made.id })
    expect((await submitForm(agent, page, byAction(revoke))).status).toBeLessThan(400)
    expect((await db().chainAssignment.findUniqueOrThrow({ where: { id: made.id } })).status).toBe('revoked')
  })
})
