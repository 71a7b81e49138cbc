// Issue 19 (g): the Machtigingen forms filled through their rendered fields (tests/helpers/forms.ts):
// every wizard step, one mandate's revoke, renew, suspend, lift and activate, and the bulk actions
// (renew, revoke, suspend) through their confirmation pages. Each asserts the effect in the database.
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
const step = (path: string) => ({ page: path, pick: byAction(path) })

describe('Machtigingen forms filled as rendered (issue 19)', () => {
  it('When an admin goes through every wizard step with the choices the pages offer and confirms, then the mandates exist', async () => {
    const agent = await t.loginAs('sanne')
    await agent.get(paths.mandates.wizard)
    const org = await db().organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
    const o = step(paths.mandates.wizardOrganisation)
    expect((await submitForm(agent, o.page, o.pick, { organisationId: org.id })).headers.location).toBe(paths.mandates.wizardUser)
    const u = step(paths.mandates.wizardUser)
    const jan = await db().user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
    expect(offeredIn((await agent.get(u.page)).text, 'userId')).toContain(jan.id)
    expect((await submitForm(agent, u.page, u.pick, { userId: jan.id })).headers.location).toBe(paths.mandates.wizardLevel)
    const l = step(paths.mandates.wizardLevel)
    const levels = offeredIn((await agent.get(l.page)).text, 'level')
    expect((await submitForm(agent, l.page, l.pick, { level: levels[0]! })).headers.location).toBe(paths.mandates.wizardServices)
    const s = step(paths.mandates.wizardServices)
    const services = offeredIn((await agent.get(s.page)).text, 'choice').filter((v) => v.startsWith('service:'))
    expect(services.length).toBeGreaterThan(0)
    const added = await submitForm(agent, s.page, s.pick, { choice: services[0]! }, { button: 'add' })
    expect(added.status).toBeLessThan(400)
    expect((await submitForm(agent, s.page, s.pick, {}, { button: 'next' })).headers.location).toBe(paths.mandates.wizardTerm)
    const tm = step(paths.mandates.wizardTerm)
    const terms = offeredIn((await agent.get(tm.page)).text, 'termYears')
    expect((await submitForm(agent, tm.page, tm.pick, { termYears: terms[0]! })).headers.location).toBe(paths.mandates.wizardConfirm)
    const before = await db().mandate.count({ where: { userId: jan.id } })
    const c = step(paths.mandates.wizardConfirm)
    const done = await submitForm(agent, c.page, c.pick)
    expect(done.headers.location).toBe(paths.mandates.wizardResult)
    expect(await db().mandate.count({ where: { userId: jan.id } })).toBe(before + 1)
  })

  it('When an admin revokes, suspends, lifts and renews one mandate through its page, then each change is stored', async () => {
    const agent = await t.loginAs('sanne')
    const org = await db().organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
    // Two mandates whose row on the list offers "Intrekken" (the demo's ids are random, so taken from the page).
    const list = await agent.get(`${paths.mandates.list}?organisatie=${org.id}`)
    const offered = [...list.text.matchAll(/href="\/beheer\/machtigingen\/([0-9a-f-]{36})\/intrekken"/g)].map((m) => m[1]!)
    const [a, b] = await db().mandate.findMany({
      where: { id: { in: offered }, kind: 'use', status: 'active', level: { not: 'EH4' } },
      take: 2,
      orderBy: { id: 'asc' },
    })
    const revoke = pathFor(paths.mandates.revoke, { id: a!.id })
    expect((await submitForm(agent, revoke, byAction(revoke))).status).toBeLessThan(400)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: a!.id } })).status).toBe('revoked')
    const suspend = pathFor(paths.mandates.suspend, { id: b!.id })
    expect((await submitForm(agent, suspend, byAction(suspend))).status).toBeLessThan(400)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: b!.id } })).status).toBe('suspended')
    const lift = pathFor(paths.mandates.lift, { id: b!.id })
    expect((await submitForm(agent, lift, byAction(lift))).status).toBeLessThan(400)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: b!.id } })).status).toBe('active')
    const renew = pathFor(paths.mandates.renew, { id: b!.id })
    const terms = offeredIn((await agent.get(renew)).text, 'termYears')
    expect(terms.length).toBeGreaterThan(0)
    const before = (await db().mandate.findUniqueOrThrow({ where: { id: b!.id } })).validUntil
    expect((await submitForm(agent, renew, byAction(renew), { termYears: terms[0]! })).status).toBeLessThan(400)
    expect((await db().mandate.findUniqueOrThrow({ where: { id: b!.id } })).validUntil.getTime()).toBeGreaterThan(before.getTime())
  })

  it('When an admin activates a mandate whose list row offers "Activeren", then it is active', async () => {
    const agent = await t.loginAs('sanne')
    const list = await agent.get(`${paths.mandates.list}?status=expired`)
    const href = /href="(\/beheer\/machtigingen\/[^"/]+\/activeren)"/.exec(list.text)?.[1]
    expect(href).toBeTruthy()
    const id = href!.split('/')[3]!
    const activate = pathFor(paths.mandates.activate, { id })
    const terms = offeredIn((await agent.get(activate)).text, 'termYears')
    const response = await submitForm(agent, activate, byAction(activate), terms.length ? { termYears: terms[0]! } : {})
    expect(response.status).toBeLessThan(400)
    expect((await db().mandate.findUniqueOrThrow({ where: { id } })).status).toBe('active')
  })

  for (const [action, path, status] of [
    ['suspend', paths.mandates.bulkSuspend, 'suspended'],
    ['revoke', paths.mandates.bulkRevoke, 'revoked'],
    ['renew', paths.mandates.bulkRenew, 'active'],
  ] as const) {
    it(`When an admin ticks two rows on Machtigingen and confirms bulk ${action} as the confirmation page shows it, then exactly those two change`, async () => {
      const agent = await t.loginAs('sanne')
      const org = await db().organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
      const listUrl = `${paths.mandates.list}?organisatie=${org.id}&status=active`
      // Two rows the admin (EH3) may change; a row above his level is ticked-able but marked on the confirmation page.
      const mayChange = await db().mandate.findMany({ where: { id: { in: offeredIn((await agent.get(listUrl)).text, 'id') }, level: { not: 'EH4' } } })
      const ids = mayChange.slice(0, 2).map((m) => m.id)
      expect(ids).toHaveLength(2)
      const before = await db().mandate.findMany({ where: { organisationId: org.id } })
      const preview = await submitForm(
        agent,
        listUrl,
        byAction(paths.mandates.bulkRenew, 'get'),
        { id: ids },
        { button: path === paths.mandates.bulkRenew ? '' : path },
      )
      expect(preview.status).toBe(200)
      expect(preview.text).toContain('2')
      const terms = offeredIn(preview.text, 'termYears')
      const confirm = await submitFormIn(agent, preview.text, path, byAction(path), {
        selection: 'selected',
        ...(action === 'renew' ? { termYears: terms[0]! } : {}),
      })
      expect(confirm.status).toBeLessThan(400)
      const after = await db().mandate.findMany({ where: { id: { in: ids } } })
      for (const m of after) {
        expect(m.status).toBe(status)
        if (action === 'renew') expect(m.validUntil.getTime()).toBeGreaterThan(before.find((x) => x.id === m.id)!.validUntil.getTime())
      }
      const untouched = await db().mandate.findMany({ where: { organisationId: org.id, id: { notIn: ids } } })
      for (const m of untouched) expect(m.updatedAt.getTime(), m.id).toBe(before.find((x) => x.id === m.id)!.updatedAt.getTime())
    })
  }
})
