// A SCIM connection as an organisation's admin sets one up: an API client of sanne's Bakkerij De Vries
// (bv 1) at EH2+ (so a new person's means is active at once, rule 10) and its bearer token.
import request from 'supertest'
import { expect } from 'vitest'
import type { Response } from 'supertest'
import { systemActor } from '../../../src/shared/actor.ts'
import { addYears, todayUtc } from '../../../src/domain/dates.ts'
import type { ApiScope } from '../../../src/shared/apiTokens.ts'
import type { Level } from '../../../src/domain/levels.ts'
import type { TestApp } from '../../helpers/app.ts'
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

export function scim(t: TestApp, token: string) {
  const auth = { Authorization: `Bearer ${token}`, Accept: 'application/scim+json' }
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
