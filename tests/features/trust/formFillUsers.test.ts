// Issue 19 (g): the Gebruikers forms filled through their rendered fields (tests/helpers/forms.ts):
// add (a row, a CSV file) and its confirmation, afmelden, Middel upgraden for one and for several,
// the activation link, Middel verlengen, Nieuw middel, a means' suspend, lift and cancel, and the
// person's Taal van e-mails.
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pathFor, paths } from '../../../src/paths.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { readForm, submitForm, submitFormIn } from '../../helpers/forms.ts'
import { byAction, offeredIn } from '../../helpers/formFill.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
const db = () => t.database.db
const user = (email: string) => db().user.findFirstOrThrow({ where: { emailKey: email } })

describe('Gebruikers forms filled as rendered (issue 19)', () => {
  it('When an admin adds a row through the add form, previews it and confirms as shown, then the user exists', async () => {
    const agent = await t.loginAs('sanne')
    const page = (await agent.get(paths.beheer.usersAdd)).text
    const two = await submitFormIn(agent, page, paths.beheer.usersAdd, byAction(paths.beheer.usersAdd), {}, { button: 'addRow' })
    expect(two.status).toBeLessThan(400)
    const org = offeredIn(page, 'organisation_0').find(Boolean)!
    const preview = await submitFormIn(
      agent,
      page,
      paths.beheer.usersAdd,
      byAction(paths.beheer.usersAdd),
      {
        firstName_0: 'Vera',
        lastName_0: 'Formulier',
        dateOfBirth_0: '1990-04-02',
        email_0: 'vera.formulier@demo.example',
        mobile_0: '0612345670',
        level_0: offeredIn(page, 'level_0')[0]!,
        termYears_0: offeredIn(page, 'termYears_0')[0]!,
        organisation_0: org,
        emailConfirmed: offeredIn(page, 'emailConfirmed')[0]!,
      },
      { button: 'preview' },
    )
    expect(preview.status).toBe(200)
    const done = await submitFormIn(agent, preview.text, paths.beheer.usersAdd, byAction(paths.beheer.usersAddConfirm))
    expect(done.status).toBeLessThan(400)
    expect(await db().user.count({ where: { emailKey: 'vera.formulier@demo.example' } })).toBe(1)
  })

  it('When an admin uploads the sample CSV through the upload form and confirms as shown, then its users exist', async () => {
    const agent = await t.loginAs('sanne')
    const html = (await agent.get(paths.beheer.usersAdd)).text
    const sample = (await agent.get(paths.beheer.usersAddSample)).text
    const $ = cheerio.load(html)
    const form = readForm($, $(`form[action="${paths.beheer.usersUpload}"]`), paths.beheer.usersAdd)
    expect(form.names.has('file')).toBe(true)
    const emails = [...sample.matchAll(/[\w.+-]+@[\w.-]+\.\w+/g)].map((m) => m[0].toLowerCase())
    expect(emails.length).toBeGreaterThan(0)
    let post = agent.post(form.action)
    // As a browser: the form's own fields, its confirmation box ticked, and the file.
    const confirm = [...form.offered.get('emailConfirmed')!][0]!
    for (const [name, value] of [...form.fields, ['emailConfirmed', confirm]]) post = post.field(name!, value!)
    const preview = await post.attach('file', Buffer.from(sample), 'gebruikers.csv')
    expect(preview.status).toBe(200)
    const done = await submitFormIn(agent, preview.text, paths.beheer.usersUpload, byAction(paths.beheer.usersAddConfirm))
    expect(done.status).toBeLessThan(400)
    expect(await db().user.count({ where: { emailKey: { in: emails } } })).toBe(emails.length)
  })

  it('When an admin sends a new activation link through the user page, then an activation mail is queued', async () => {
    const agent = await t.loginAs('sanne')
    const page = (await agent.get(paths.beheer.users)).text
    const candidates = await db().user.findMany({ where: { id: { in: offeredIn(page, 'id') }, passwordHash: null } })
    const person = candidates[0]!
    const detail = pathFor(paths.beheer.userActivation, { id: person.id })
    const before = await db().outgoingMail.count({ where: { template: 'account-activation', toAddress: person.email } })
    const response = await submitForm(agent, pathFor(paths.beheer.userDetail, { id: person.id }), byAction(detail))
    expect(response.status).toBeLessThan(400)
    expect(await db().outgoingMail.count({ where: { template: 'account-activation', toAddress: person.email } })).toBe(before + 1)
  })

  it('When an admin renews a means, asks for a new means and for an upgrade through the user pages, then each application exists', async () => {
    const agent = await t.loginAs('sanne')
    for (const [route, values, type] of [
      [paths.beheer.userMeansRenew, (html: string) => ({ renewTermYears: offeredIn(html, 'renewTermYears')[0]! }), 'renewal'],
      [
        paths.beheer.userMeansNew,
        (html: string) => ({ newLevel: offeredIn(html, 'newLevel')[0]!, newTermYears: offeredIn(html, 'newTermYears')[0]! }),
        'new_means',
      ],
    ] as const) {
      const { id, html } = await firstUserPageWith(agent, route)
      const before = await db().application.count({ where: { subjectUserId: id } })
      const response = await submitFormIn(agent, html, pathFor(paths.beheer.userDetail, { id }), byAction(pathFor(route, { id })), values(html))
      expect(response.status, route).toBeLessThan(400)
      const after = await db().application.findMany({ where: { subjectUserId: id }, orderBy: { createdAt: 'desc' } })
      expect(after.length, route).toBe(before + 1)
      expect(after[0]!.type, route).toBe(type)
    }
    const { id, html } = await firstUserPageWith(agent, paths.beheer.userUpgrade)
    const upgrade = pathFor(paths.beheer.userUpgrade, { id })
    const preview = await submitFormIn(agent, html, upgrade, byAction(upgrade), { level: offeredIn(html, 'level')[0]! })
    expect(preview.status).toBe(200)
    const before = await db().application.count({ where: { subjectUserId: id, type: 'upgrade' } })
    expect((await submitFormIn(agent, preview.text, upgrade, byAction(upgrade))).status).toBe(303)
    expect(await db().application.count({ where: { subjectUserId: id, type: 'upgrade' } })).toBe(before + 1)
  })

  it('When an admin suspends a means, lifts the suspension and cancels it through their pages, then its status follows', async () => {
    const agent = await t.loginAs('sanne')
    const { id } = await firstUserPageWith(agent, paths.beheer.userUpgrade)
    const means = await db().means.findFirstOrThrow({ where: { userId: id, status: 'active' } })
    for (const [route, status, values] of [
      [paths.beheer.meansSuspend, 'suspended', {}],
      [paths.beheer.meansLift, 'active', {}],
      [paths.beheer.meansCancel, 'revoked', { when: 'today' }],
    ] as const) {
      const url = pathFor(route, { id: means.id })
      const response = await submitForm(agent, url, byAction(url), values)
      expect(response.status, route).toBe(303)
      expect((await db().means.findUniqueOrThrow({ where: { id: means.id } })).status, route).toBe(status)
    }
  })

  it('When an admin ticks users on Gebruikers and confirms Middel upgraden and Afmelden as shown, then the applications and the offboarding happen', async () => {
    const agent = await t.loginAs('sanne')
    const list = (await agent.get(paths.beheer.users)).text
    const ids = offeredIn(list, 'id')
    const low = await db().means.findMany({ where: { userId: { in: ids }, status: 'active', level: { in: ['EH2', 'EH2_PLUS'] } } })
    const ticked = [...new Set(low.map((m) => m.userId))].slice(0, 2)
    expect(ticked.length).toBeGreaterThan(0)
    const upgradePage = await submitFormIn(
      agent,
      list,
      paths.beheer.users,
      byAction(paths.beheer.usersOffboard, 'get'),
      { id: ticked },
      { button: paths.beheer.usersUpgrade },
    )
    expect(upgradePage.status).toBe(200)
    const level = offeredIn(upgradePage.text, 'niveau')
    expect(level).not.toContain('EH4')
    {
      const shown = await submitFormIn(agent, upgradePage.text, paths.beheer.usersUpgrade, byAction(paths.beheer.usersUpgrade, 'get'), { niveau: 'EH3' })
      const before = await db().application.count({ where: { type: 'upgrade' } })
      const done = await submitFormIn(agent, shown.text, paths.beheer.usersUpgrade, byAction(paths.beheer.usersUpgrade))
      expect(done.status).toBeLessThan(400)
      expect(await db().application.count({ where: { type: 'upgrade' } })).toBeGreaterThan(before)
    }
    const victim = await user('sophie.kramer@demo.example').catch(() => null)
    const target = victim && ids.includes(victim.id) ? victim.id : ids[ids.length - 1]!
    const linksBefore = await db().organisationLink.count({ where: { userId: target } })
    let offboard = await submitFormIn(agent, list, paths.beheer.users, byAction(paths.beheer.usersOffboard, 'get'), { id: [target] })
    expect(offboard.status).toBe(200)
    const orgs = offeredIn(offboard.text, 'organisatie')
    if (orgs.length) {
      const linked = (await db().organisationLink.findFirstOrThrow({ where: { userId: target, organisationId: { in: orgs } } })).organisationId
      offboard = await submitFormIn(agent, offboard.text, paths.beheer.usersOffboard, byAction(paths.beheer.usersOffboard, 'get'), { organisatie: linked })
    }
    const done = await submitFormIn(agent, offboard.text, paths.beheer.usersOffboard, byAction(paths.beheer.usersOffboard))
    expect(done.status).toBeLessThan(400)
    expect(await db().organisationLink.count({ where: { userId: target } })).toBeLessThan(linksBefore)
  })

  it("When an admin sets the mail language on the user page through its form, then the person's locale is stored and audited", async () => {
    const agent = await t.loginAs('sanne')
    const { id, html } = await firstUserPageWith(agent, paths.beheer.userMailLocale)
    const before = await db().user.findUniqueOrThrow({ where: { id } })
    const audits = () => db().auditEvent.count({ where: { action: 'user.mail_locale_changed', subjectId: id } })
    const auditsBefore = await audits()
    const other = offeredIn(html, 'mailLocale').find((l) => l !== before.locale)!
    const action = pathFor(paths.beheer.userMailLocale, { id })
    const response = await submitFormIn(agent, html, pathFor(paths.beheer.userDetail, { id }), byAction(action), { mailLocale: other })
    expect(response.status).toBe(303)
    expect((await db().user.findUniqueOrThrow({ where: { id } })).locale).toBe(other)
    expect(await audits()).toBe(auditsBefore + 1)
  })

  it('When an EH3 admin opens a user whose means is EH4, then "Renew means" is not offered (it was, and was then refused) and the page says why', async () => {
    const agent = await t.loginAs('sanne')
    const ingrid = await user('ingrid.mulder@demo.example')
    const detail = pathFor(paths.beheer.userDetail, { id: ingrid.id })
    const html = (await agent.get(detail)).text
    const renew = pathFor(paths.beheer.userMeansRenew, { id: ingrid.id })
    expect(html).not.toContain(`action="${renew}"`)
    expect(html).toContain('Verlengen wordt niet aangeboden: het middel heeft niveau EH4')
  })
})

/** The first user on Gebruikers whose page has a form posting to `route`. */
async function firstUserPageWith(agent: Awaited<ReturnType<TestApp['loginAs']>>, route: string) {
  const ids = offeredIn((await agent.get(paths.beheer.users)).text, 'id')
  for (const id of ids) {
    const html = (await agent.get(pathFor(paths.beheer.userDetail, { id }))).text
    if (html.includes(`action="${pathFor(route, { id })}"`)) return { id, html }
  }
  throw new Error(`no user page on the first page of Gebruikers has a form for ${route}`)
}
