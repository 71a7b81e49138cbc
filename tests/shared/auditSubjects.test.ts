// The names and pages of Logboek's actors and subjects (src/shared/auditSubjects.ts), one kind each,
// read from the demo's own rows: what the sentences say and which pages the viewer may open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthService } from '../../src/features/auth/authService.ts'
import { translator } from '../../src/i18n/index.ts'
import type { Principal } from '../../src/shared/principal.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { demo } from '../features/mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
let sanne: Principal
const db = () => t.database.db
const nl = translator('nl')

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
  sanne = (await new AuthService(db()).loadPrincipal(d.sanne))!
})
afterAll(async () => {
  await t.close()
})

describe('auditNames', () => {
  it('When a page names an actor, a user, a mandate, means, an application, a link request and a mail, then each gets its name and only pages the viewer may open', async () => {
    // Arrange: one subject of each kind from the demo data, and a person linked to none of Sanne's organisations
    const mandate = await db().mandate.findFirstOrThrow({
      where: { organisationId: d.bakkerij, kind: 'use', scope: 'service' },
      include: { user: true, service: true },
    })
    const stranger = await db().user.create({
      data: { firstName: 'Vera', lastNamePrefix: 'van', lastName: 'Buiten', dateOfBirth: new Date('1980-01-01'), email: 'vera.buiten@example.nl' },
    })
    const means = await db().means.findFirstOrThrow({ where: { userId: d.ingrid } })
    const application = await db().application.findFirstOrThrow({ where: { organisationId: d.bakkerij }, include: { subjectUser: true } })
    const mail = await db().outgoingMail.create({
      data: { idempotencyKey: 'audit-names-test', toAddress: 'iemand@example.nl', template: 'x', locale: 'nl', data: {} },
    })
    const request = await db().linkRequest.create({
      data: { email: 'nieuw@example.nl', organisationId: d.bakkerij, requestedById: d.sanne, expiresAt: new Date(Date.now() + 86_400_000) },
    })
    const refs = [
      { actorId: d.sanne, subjectType: 'user', subjectId: d.jan },
      { subjectType: 'user', subjectId: stranger.id },
      { subjectType: 'mandate', subjectId: mandate.id },
      { subjectType: 'means', subjectId: means.id },
      { subjectType: 'application', subjectId: application.id },
      { subjectType: 'link_request', subjectId: request.id },
      { subjectType: 'outgoing_mail', subjectId: mail.id },
      { subjectType: 'mandate', subjectId: 'not-a-uuid' },
    ]

    // Act
    const names = await t.services.auditLogService.names(sanne, nl, refs as never)

    // Assert
    const subject = (type: string, id: string) => names.subjects.get(`${type}:${id}`)
    expect(names.actors.get(d.sanne)).toBe('Sanne de Vries')
    expect(subject('user', d.jan)).toEqual({ name: 'Jan Smit', href: `/beheer/gebruikers/${d.jan}` })
    expect(subject('user', stranger.id)).toEqual({ name: 'Vera van Buiten', href: null })
    const holder = [mandate.user.firstName, mandate.user.lastNamePrefix, mandate.user.lastName].filter(Boolean).join(' ')
    expect(subject('mandate', mandate.id)).toEqual({
      name: nl('audit:subject.mandate', { holder, scope: mandate.service!.name }),
      href: `/beheer/gebruikers/${mandate.userId}`,
    })
    expect(subject('means', means.id)).toEqual({ name: 'Ingrid Mulder', href: `/beheer/gebruikers/${d.ingrid}` })
    expect(subject('application', application.id)?.href).toBe(`/beheer/aanvragen/${application.id}`)
    expect(subject('application', application.id)?.name).toContain(nl(`applications:type.${application.type}`))
    expect(subject('link_request', request.id)).toEqual({ name: 'nieuw@example.nl', href: null })
    expect(subject('outgoing_mail', mail.id)).toEqual({ name: 'iemand@example.nl', href: null })
    expect(names.subjects.size).toBe(7)
  })

  it('When a page names an application and a link request of an organisation the admin does not administer, then they stay unnamed for him and the back office gets their names', async () => {
    // Arrange: another organisation with an application and a link request
    const other = await db().organisation.create({ data: { kvkNumber: '87654329', name: 'Elders B.V.' } })
    const application = await db().application.create({ data: { organisationId: other.id, type: 'new_means', level: 'EH3', subjectUserId: d.jan } })
    const request = await db().linkRequest.create({
      data: { email: 'elders@example.nl', organisationId: other.id, requestedById: d.sanne, expiresAt: new Date(Date.now() + 86_400_000) },
    })
    const refs = [
      { subjectType: 'application', subjectId: application.id },
      { subjectType: 'link_request', subjectId: request.id },
    ]
    const backOffice = (await new AuthService(db()).loadPrincipal((await db().user.findUniqueOrThrow({ where: { emailKey: 'backoffice@demo.example' } })).id))!

    // Act
    const forSanne = await t.services.auditLogService.names(sanne, nl, refs as never)
    const forBackOffice = await t.services.auditLogService.names(backOffice, nl, refs as never)

    // Assert
    expect(forSanne.subjects.size).toBe(0)
    expect(forBackOffice.subjects.get(`link_request:${request.id}`)).toEqual({ name: 'elders@example.nl', href: null })
    expect(forBackOffice.subjects.get(`application:${application.id}`)?.name).toContain(nl('applications:type.new_means'))
  })
})
