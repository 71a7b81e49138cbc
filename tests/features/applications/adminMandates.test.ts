// Rule 3 when an application issues a means: an upgrade or a new means that now carries the holder's
// admin mandate (at or above its level) and runs longer takes the admin mandate's end along with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Level } from '../../../src/generated/prisma/client.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { addDays, addYears, isoDate, todayUtc } from '../../../src/domain/dates.ts'
import { adminOrganisationNamesOn, createTestApp, type TestApp } from '../../helpers/app.ts'
import { upgradeConfirmed } from '../../helpers/forms.ts'

let t: TestApp
const today = todayUtc()

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const db = () => t.database.db
const org = (name: string) => db().organisation.findFirstOrThrow({ where: { name } })
const mandate = (id: string) => db().mandate.findUniqueOrThrow({ where: { id } })
const adminOrganisationsOn = (userId: string, day: Date) => adminOrganisationNamesOn(t, userId, day)

async function person(email: string, organisation: string) {
  return db().user.create({
    data: {
      firstName: 'Test',
      lastName: email.split('@')[0]!,
      dateOfBirth: new Date('1982-07-08T00:00:00Z'),
      email,
      links: { create: { organisationId: (await org(organisation)).id } },
    },
  })
}
const means = (userId: string, level: Level, validUntil: Date, status: 'active' | 'requested' = 'active') =>
  db().means.create({
    data: {
      userId,
      level,
      status,
      validFrom: status === 'active' ? addDays(today, -300) : today,
      validUntil,
      issuedAt: status === 'active' ? addDays(today, -300) : null,
    },
  })
const adminMandate = async (userId: string, organisation: string, level: Level, validUntil: Date, status: 'active' | 'revoked' = 'active') =>
  db().mandate.create({
    data: { kind: 'admin', userId, organisationId: (await org(organisation)).id, scope: 'all', level, validFrom: addDays(today, -300), validUntil, status },
  })

describe('rule 3 when a means is issued: the admin mandate follows the means that carries it', () => {
  it("When an admin's longer-running EH2 means is upgraded to EH3 (after the identity check) while his EH3 means ends soon, then his EH3 admin mandate ends with the upgraded means and he keeps Beheer after the old end", async () => {
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const user = await person('uma.upgrade@demo.example', bakkerij.name)
    const ending = await means(user.id, 'EH3', addDays(today, 20))
    const longer = await means(user.id, 'EH2', addYears(today, 2))
    const admin = await adminMandate(user.id, bakkerij.name, 'EH3', ending.validUntil)

    const agent = await t.loginAs('sanne')
    const response = await upgradeConfirmed(agent, user.id, {
      level: 'EH3',
      organisationId: bakkerij.id,
    })
    expect(response.status).toBe(303)
    const app = await db().application.findFirstOrThrow({ where: { subjectUserId: user.id, type: 'upgrade' } })
    expect(await mandate(admin.id)).toMatchObject({ validUntil: ending.validUntil }) // waits for the identity check
    await t.services.backofficeService.approve(systemActor('backoffice'), app.id)

    expect(await db().means.findUniqueOrThrow({ where: { id: longer.id } })).toMatchObject({ level: 'EH3', status: 'active', validUntil: longer.validUntil })
    expect(await mandate(admin.id)).toMatchObject({ status: 'active', level: 'EH3', validUntil: longer.validUntil })
    expect(await adminOrganisationsOn(user.id, addDays(ending.validUntil, 1))).toEqual([bakkerij.name])
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'mandate.renewed', subjectId: admin.id } })).toMatchObject({
      actorLabel: 'backoffice',
      organisationId: bakkerij.id,
      before: { status: 'active', validUntil: isoDate(ending.validUntil) },
      after: { status: 'active', validUntil: isoDate(longer.validUntil), reason: 'means_renewed', meansId: longer.id },
    })
  })

  it('When an admin gets a new EH3 means (after the identity check) while his old one ends soon, then his active admin mandate ends with the new means; a revoked one stays revoked', async () => {
    const bakkerij = await org('Bakkerij De Vries B.V.')
    const holding = await org('De Vries Holding B.V.')
    const user = await person('nina.nieuw@demo.example', bakkerij.name)
    const old = await means(user.id, 'EH3', addDays(today, 10))
    const admin = await adminMandate(user.id, bakkerij.name, 'EH3', old.validUntil)
    const revoked = await adminMandate(user.id, holding.name, 'EH3', old.validUntil, 'revoked')
    const requested = await means(user.id, 'EH3', addYears(today, 3), 'requested')
    const app = await db().application.create({
      data: {
        organisationId: bakkerij.id,
        type: 'new_means',
        status: 'awaiting_identity_check',
        level: 'EH3',
        termYears: 3,
        subjectUserId: user.id,
        items: { create: { details: { meansId: requested.id, level: 'EH3', termYears: 3 } } },
      },
    })
    await t.services.backofficeService.approve(systemActor('backoffice'), app.id)

    const newEnd = addYears(today, 3)
    expect(await db().means.findUniqueOrThrow({ where: { id: requested.id } })).toMatchObject({ status: 'active', validUntil: newEnd })
    expect(await mandate(admin.id)).toMatchObject({ status: 'active', validUntil: newEnd })
    expect(await mandate(revoked.id)).toMatchObject({ status: 'revoked', validUntil: old.validUntil })
    expect(await adminOrganisationsOn(user.id, addDays(old.validUntil, 1))).toEqual([bakkerij.name])
    expect(await db().auditEvent.count({ where: { action: 'mandate.renewed', subjectId: admin.id } })).toBe(1)
    expect(await db().auditEvent.count({ where: { subjectId: revoked.id } })).toBe(0)
  })
})
