// A person's history on their page (UsersService.history): the events about the person, their
// means, mandates and applications, newest first, only in the admin's organisations (or without one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthService } from '../../../src/features/auth/authService.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { demo } from '../mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
const db = () => t.database.db

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
})
afterAll(async () => {
  await t.close()
})

describe('UsersService.history', () => {
  it('When a person has events about them, their means, a mandate and an application, then the page history holds each, newest first, and not those of other organisations', async () => {
    // Arrange: Jan's means, one of his mandates at Bakkerij, one of his applications; one event at an organisation Sanne does not administer
    const jan = d.jan
    const means = await db().means.findFirstOrThrow({ where: { userId: jan } })
    const mandate = await db().mandate.findFirstOrThrow({ where: { userId: jan, organisationId: d.bakkerij } })
    const application = await db().application.findFirst({ where: { subjectUserId: jan, organisationId: d.bakkerij } })
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000)
    // Actions the code writes for each kind of subject (src/domain/auditActions.ts)
    const action: Record<string, string> = {
      user: 'user.mobile_changed',
      Means: 'means.renewed',
      mandate: 'mandate.renewed',
      application: 'application.signed',
    }
    const event = (subjectType: string, subjectId: string, minutes: number, organisationId: string | null = d.bakkerij) =>
      db().auditEvent.create({ data: { action: action[subjectType]!, actorLabel: 'test', subjectType, subjectId, organisationId, at: at(minutes) } })
    const own = [
      await event('user', jan, 1, null),
      await event('Means', means.id, 2),
      await event('mandate', mandate.id, 3),
      ...(application ? [await event('application', application.id, 4)] : []),
    ]
    const elsewhere = await event('mandate', mandate.id, 5, d.bakker)
    const principal = (await new AuthService(db()).loadPrincipal(d.sanne))!

    // Act
    const { user } = await t.services.usersService.detail(principal, jan)
    const history = await t.services.usersService.history(principal, user)
    // The person's page reads the same history in the person's own statement.
    const { history: withPerson } = await t.services.usersService.detail(principal, jan, { history: true })

    // Assert
    const written = new Set([...own, elsewhere].map((e) => e.id.toString()))
    const ids = history.filter((e) => written.has(e.id)).map((e) => e.id)
    expect(ids).toEqual(own.map((e) => e.id.toString()).reverse())
    expect(ids).not.toContain(elsewhere.id.toString())
    expect(history.map((e) => e.at.getTime())).toEqual([...history.map((e) => e.at.getTime())].sort((a, b) => b - a))
    expect(withPerson).toEqual(history)
    expect(withPerson.length).toBeGreaterThanOrEqual(own.length)
  })
})
