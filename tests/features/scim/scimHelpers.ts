// A SCIM connection as an organisation's admin sets one up: an API client of sanne's Bakkerij De Vries
// (bv 1) at EH2+ (so a new person's means is active at once, rule 10) and its bearer token, or the
// client's long-lived SCIM token issued on API-koppelingen; and what the portal shows of the result.
import request from 'supertest'
import { expect } from 'vitest'
import type { Response } from 'supertest'
import { systemActor } from '../../../src/shared/actor.ts'
import { addYears, todayUtc } from '../../../src/domain/dates.ts'
import type { ApiScope } from '../../../src/shared/apiTokens.ts'
import type { Level } from '../../../src/domain/levels.ts'
import * as cheerio from 'cheerio'
import type { Agent, TestApp } from '../../helpers/app.ts'
import { submitForm } from '../../helpers/forms.ts'
import { links, paths } from '../../../src/paths.ts'
import { sanneAndOrganisation, tokenFor } from '../api/apiHelpers.ts'

export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
export const EXTENSION = 'urn:ietf:params:scim:schemas:extension:eherkenning:2.0:User'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

export async function scimClient(t: TestApp, options: { scopes?: ApiScope[]; level?: Level; name?: string } = {}) {
  const { principal, organisation } = await sanneAndOrganisation(t)
  const { client, secret } = await t.services.apiClientsService.create(
    principal,
    { ...systemActor(), principal },
    {
      organisationId: organisation.id,
      name: options.name ?? 'Entra ID',
      scopes: options.scopes ?? ['users:read', 'users:write', 'mandates:read', 'mandates:write'],
      level: options.level ?? 'EH2_PLUS',
      validUntil: addYears(todayUtc(), 1),
    },
  )
  const token = await tokenFor(t, client.id, secret)
  return { client, token, organisation }
}

/** A SCIM answer: the media type, and for an error the RFC 7644 error document. */
export function scimAnswer(response: Response, status: number, scimType?: string): Response {
  expect(response.status, response.text).toBe(status)
  if (status === 204) return response
  expect(response.headers['content-type']).toContain('application/scim+json')
  const body = JSON.parse(response.text) as Record<string, unknown>
  if (status >= 400) {
    expect(body.schemas).toEqual([SCIM_ERROR])
    expect(body.status).toBe(String(status))
    expect(typeof body.detail).toBe('string')
    if (scimType) expect(body.scimType).toBe(scimType)
  }
  return response
}

/** A SCIM client sending `Authorization: Bearer <token>` (or `authorization` as given: Okta's "Header" mode sends the bare token). */
export function scim(t: TestApp, token: string, authorization = `Bearer ${token}`) {
  const auth = { Authorization: authorization, Accept: 'application/scim+json' }
  const json = (r: request.Test, body: unknown) => r.set(auth).set('Content-Type', 'application/scim+json').send(JSON.stringify(body))
  return {
    get: (path: string) => request(t.app).get(path).set(auth),
    post: (path: string, body: unknown) => json(request(t.app).post(path), body),
    put: (path: string, body: unknown) => json(request(t.app).put(path), body),
    patch: (path: string, body: unknown) => json(request(t.app).patch(path), body),
    delete: (path: string) => request(t.app).delete(path).set(auth),
  }
}

/** Parsed JSON of a SCIM answer (supertest does not parse application/scim+json). */
export function json<T = Record<string, unknown>>(response: Response): T {
  return JSON.parse(response.text) as T
}

/** Sanne presses "SCIM-token aanmaken" (or "Nieuw SCIM-token") for this client on API-koppelingen; the token shown once. */
export async function scimTokenFromPage(sanne: Agent, clientId: string): Promise<{ token: string; html: string }> {
  const action = links.apiClientScimToken(clientId)
  const response = await submitForm(sanne, links.apiClients(), (form) => form.attr('action') === action)
  expect(response.status, response.text.slice(0, 300)).toBe(200)
  const token = cheerio.load(response.text)('#scim-token').text().trim()
  expect(token).toMatch(/^bmst_[A-Za-z0-9_-]{43}$/)
  return { token, html: response.text }
}

/**
 * The portal side of a provisioning run for one client of sanne's organisation: the Gebruikers page as
 * sanne sees it, a mandate granted through the JSON API (an OAuth token with mandates:write), and the
 * checks that a person was offboarded (mandate revoked with its mail, link ended, account and means
 * kept, every change audited with the client as actor).
 */
export function portal(t: TestApp, sanne: Agent, connection: { organisationId: string; clientName: string; apiToken: string }) {
  const { organisationId, clientName, apiToken } = connection
  return {
    async gebruikersPage(text: string): Promise<string> {
      const page = await sanne.get(`${paths.beheer.users}?q=${encodeURIComponent(text)}`)
      expect(page.status).toBe(200)
      return page.text
    },

    /** Grants the person a mandate for a service at EH2/EH2+ through the JSON API (mandates:write). */
    async grantOne(userId: string): Promise<string> {
      const service = await t.database.db.service.findFirstOrThrow({ where: { requiredLevel: { in: ['EH2', 'EH2_PLUS'] } } })
      const body = { organisationId, userId, level: 'EH2_PLUS', termYears: 1, items: [{ scope: 'service', serviceId: service.id }] }
      const granted = await request(t.app).post(paths.api.mandates).set('Authorization', `Bearer ${apiToken}`).send(body)
      expect(granted.status, granted.text).toBe(201)
      return granted.body.data[0].id as string
    },

    async expectOffboarded(userId: string, mandateId: string) {
      const db = t.database.db
      expect(await db.organisationLink.count({ where: { userId, organisationId } })).toBe(0)
      expect((await db.mandate.findUniqueOrThrow({ where: { id: mandateId } })).status).toBe('revoked')
      // Nothing else is deleted: the account and the (personal) means stay.
      expect(await db.user.count({ where: { id: userId } })).toBe(1)
      expect(await db.means.count({ where: { userId, status: 'active' } })).toBe(1)
      const audit = await db.auditEvent.findMany({ where: { OR: [{ subjectId: userId }, { subjectId: mandateId }] }, orderBy: { id: 'asc' } })
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.created', 'mandate.granted', 'mandate.revoked', 'user.offboarded']))
      expect(audit.every((a) => a.actorLabel === `api:${clientName}` && a.actorId === null)).toBe(true)
      const mail = await db.outgoingMail.count({ where: { idempotencyKey: `mandate-revoked:${mandateId}` } })
      expect(mail).toBe(1)
    },
  }
}

/** A user as Okta's SCIM 2.0 client POSTs (and PUTs back) one: the core schema plus what Okta always adds. */
export function oktaUserBody(email: string, name: { givenName: string; familyName: string }, externalId: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXTENSION],
    userName: email,
    name,
    emails: [{ primary: true, value: email, type: 'work' }],
    phoneNumbers: [{ primary: true, value: '+31687654321', type: 'mobile' }],
    displayName: `${name.givenName} ${name.familyName}`,
    locale: 'en-US',
    externalId,
    groups: [],
    password: 'not-kept-1a2b3c4d',
    active: true,
    [EXTENSION]: { dateOfBirth: '02-11-1979', lastNamePrefix: '', termYears: 5 },
  }
}
