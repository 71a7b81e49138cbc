// How the security tests fill path parameters: with ids of organisation A's objects (Bakkerij De
// Vries B.V., administered by sanne; pieter administers organisation B, Bakker Installatietechniek).
// A new route with a parameter the tests cannot fill fails with a message pointing here: add the
// route path (or the parameter name, when it means the same everywhere) to ROUTE_PARAMS.
import type { Db } from '../../src/db/tx.ts'

export type DemoIds = {
  apiClientA: string
  organisationA: string
  organisationB: string
  userA: string
  mandateA: string
  applicationA: string
  linkRequestA: string
  meansA: string
  branchA: string
  /** A row of the mail outbox (made when the demo has none). */
  mailId: string
  /** An application of A waiting for the back office's identity check. */
  identityCheckA: string
  /** A ketenmachtiging A gave (demo), one A holds as intermediary and an assignment under it (made here). */
  chainGivenA: string
  chainHeldA: string
  chainAssignmentA: string
}

export async function demoIds(db: Db): Promise<DemoIds> {
  const a = await db.organisation.findFirstOrThrow({ where: { name: 'Bakkerij De Vries B.V.' } })
  const b = await db.organisation.findFirstOrThrow({ where: { name: 'Bakker Installatietechniek B.V.' } })
  const jan = await db.user.findFirstOrThrow({ where: { emailKey: 'jan.smit@demo.example' } })
  const mandate = await db.mandate.findFirstOrThrow({ where: { organisationId: a.id, kind: 'use' } })
  const application = await db.application.findFirstOrThrow({ where: { organisationId: a.id } })
  const linkRequest = await db.linkRequest.findFirst({ where: { organisationId: a.id } })
  const means = await db.means.findFirstOrThrow({ where: { userId: jan.id } })
  const branch = await db.branch.findFirstOrThrow({ where: { organisationId: a.id } })
  const mail =
    (await db.outgoingMail.findFirst()) ??
    (await db.outgoingMail.create({
      data: {
        idempotencyKey: 'route-matrix:sample',
        toAddress: 'jan.smit@demo.example',
        template: 'means-active',
        data: {},
        status: 'failed',
        lastError: '550 test',
      },
    }))
  const identityCheck = (await db.application.findFirst({ where: { organisationId: a.id, status: 'awaiting_identity_check' } })) ?? application
  const chainGiven = await db.chainMandate.findFirstOrThrow({ where: { organisationId: a.id } })
  const sanne = await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
  const today = new Date(new Date().toISOString().slice(0, 10))
  const until = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate()))
  // The client is the demo intermediary (kantoor), so that B has nothing to do with it.
  const kantoor = await db.organisation.findFirstOrThrow({ where: { kvkNumber: '81937204' } })
  const chainHeld =
    (await db.chainMandate.findFirst({ where: { intermediaryOrganisationId: a.id } })) ??
    (await db.chainMandate.create({
      data: { organisationId: kantoor.id, intermediaryOrganisationId: a.id, scope: 'all', level: 'EH3', validFrom: today, validUntil: until },
    }))
  const assignment =
    (await db.chainAssignment.findFirst({ where: { chainMandateId: chainHeld.id } })) ??
    (await db.chainAssignment.create({
      data: { chainMandateId: chainHeld.id, userId: sanne.id, scope: 'all', level: 'EH3', validFrom: today, validUntil: until },
    }))
  // Beheer → API-koppelingen: a client of A, made here (the demo has none).
  const sanneUser = await db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
  const apiClient =
    (await db.apiClient.findFirst({ where: { organisationId: a.id } })) ??
    (await db.apiClient.create({
      data: {
        organisationId: a.id,
        name: 'Route matrix',
        scopes: ['users:read'],
        level: 'EH2_PLUS',
        secretHash: '0'.repeat(64),
        validUntil: until,
        createdById: sanneUser.id,
      },
    }))
  return {
    apiClientA: apiClient.id,
    chainGivenA: chainGiven.id,
    chainHeldA: chainHeld.id,
    chainAssignmentA: assignment.id,
    organisationA: a.id,
    organisationB: b.id,
    userA: jan.id,
    mandateA: mandate.id,
    applicationA: application.id,
    linkRequestA: linkRequest?.id ?? '00000000-0000-4000-8000-000000000000',
    meansA: means.id,
    branchA: branch.id,
    mailId: mail.id,
    identityCheckA: identityCheck.id,
  }
}

/** By parameter name (when the name says what it is) … */
export function paramsByName(ids: DemoIds): Record<string, string> {
  return {
    organisationId: ids.organisationA,
    userId: ids.userA,
    mandateId: ids.mandateA,
    applicationId: ids.applicationA,
    requestId: ids.linkRequestA,
    linkRequestId: ids.linkRequestA,
    meansId: ids.meansA,
    branchId: ids.branchA,
    token: 'x'.repeat(43),
    /** A help guide (/hulp/:slug). */
    slug: 'machtigingen',
  }
}

/** … and by route path, for generic names such as `:id`. */
export function routeParams(ids: DemoIds): Record<string, Record<string, string>> {
  return {
    '/beheer/gebruikers/:id': { id: ids.userA },
    '/beheer/api-koppelingen/:id': { id: ids.apiClientA },
    '/api/v1/users/:id': { id: ids.userA },
    '/api/v1/mandates/:id': { id: ids.mandateA },
    '/api/v1/link-requests/:id': { id: ids.linkRequestA },
    '/scim/v2/Users/:id': { id: ids.userA },
    '/scim/v2/ResourceTypes/:name': { name: 'User' },
    '/scim/v2/Schemas/:name': { name: 'urn:ietf:params:scim:schemas:core:2.0:User' },
    '/beheer/machtigingen/:id': { id: ids.mandateA },
    '/beheer/aanvragen/:id': { id: ids.applicationA },
    '/beheer/verzoeken/:id': { id: ids.linkRequestA },
    '/mijn-gegevens/verzoeken/:id': { id: ids.linkRequestA },
    '/mijn-gegevens/middel/:id': { id: ids.meansA },
    '/beheer/middelen/:id': { id: ids.meansA },
    '/dev/mailbox/:id': { id: ids.mailId },
    '/backoffice/mail/:id': { id: ids.mailId },
    '/backoffice/:id': { id: ids.identityCheckA },
    '/beheer/ketenmachtigingen/:id': { id: ids.chainGivenA },
    '/beheer/ketenmachtigingen/:id/schorsen': { id: ids.chainGivenA },
    '/beheer/ketenmachtigingen/:id/schorsing-opheffen': { id: ids.chainGivenA },
    '/beheer/ketenmachtigingen/:id/intrekken': { id: ids.chainGivenA },
    '/beheer/ketenmachtigingen/klanten/:id': { id: ids.chainHeldA },
    '/beheer/ketenmachtigingen/toewijzingen/:id': { id: ids.chainAssignmentA },
    '/backoffice/organisaties/:id': { id: ids.organisationA },
  }
}

/** The values for one route: its own entry (longest matching prefix) over the by-name ones. */
export function paramsFor(path: string, ids: DemoIds): Record<string, string> {
  const byRoute = routeParams(ids)
  const prefix = Object.keys(byRoute)
    .filter((p) => path === p || path.startsWith(`${p}/`))
    .sort((x, y) => y.length - x.length)[0]
  return { ...paramsByName(ids), ...(prefix ? byRoute[prefix] : {}) }
}
