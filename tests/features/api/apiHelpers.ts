// An API client of sanne's organisation (bv 1), its token, and a check of every API answer against
// the OpenAPI document (so the document and the handlers cannot drift).
import { Ajv2020 } from 'ajv/dist/2020.js'
import { expect } from 'vitest'
import type { Response } from 'supertest'
import request from 'supertest'
import { openApiDocument, openApiPath, OPERATIONS } from '../../../src/features/api/openapi.ts'
import { systemActor } from '../../../src/shared/actor.ts'
import { addYears, todayUtc } from '../../../src/domain/dates.ts'
import type { TestApp } from '../../helpers/app.ts'
import type { ApiScope } from '../../../src/shared/apiTokens.ts'

export const ALL_SCOPES: ApiScope[] = ['users:read', 'users:write', 'mandates:read', 'mandates:write', 'audit:read']

export async function sanneAndOrganisation(t: TestApp) {
  const user = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
  const principal = (await t.services.authService.loadPrincipal(user.id))!
  const organisation = principal.adminOrganisations.find((o) => o.name.startsWith('Bakkerij'))!
  return { principal, organisation }
}

export async function makeClient(t: TestApp, scopes: ApiScope[] = ALL_SCOPES, name = 'HR-systeem') {
  const { principal, organisation } = await sanneAndOrganisation(t)
  const actor = { ...systemActor(), principal }
  const { client, secret } = await t.services.apiClientsService.create(principal, actor, {
    organisationId: organisation.id,
    name,
    scopes,
    level: organisation.level,
    validUntil: addYears(todayUtc(), 1),
  })
  return { client, secret, organisation, principal }
}

export async function tokenFor(t: TestApp, clientId: string, secret: string): Promise<string> {
  const response = await request(t.app).post('/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })
  expect(response.status).toBe(200)
  checked(response, 'post', '/oauth/token')
  return response.body.access_token as string
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
const doc = openApiDocument() as {
  components: unknown
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>>
}
ajv.addSchema({ $id: 'api', components: doc.components })
export let responsesChecked = 0

/** Fails unless this answer (status, media type and body) is one the document describes for the operation. */
export function checked(response: Response, method: 'get' | 'post', expressPath: string): Response {
  const op = OPERATIONS.find((o) => o.method === method && o.path === expressPath)
  expect(op, `${method} ${expressPath} is in the OpenAPI document`).toBeDefined()
  const described = doc.paths[openApiPath(expressPath)]![method]!.responses[String(response.status)]
  expect(described, `${method} ${expressPath} documents status ${response.status}`).toBeDefined()
  const [type, { schema }] = Object.entries(described!.content)[0]!
  expect(response.headers['content-type']).toContain(type)
  const ref = (schema as { $ref: string }).$ref.replace('#', 'api#')
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref })
  const body = response.body && Object.keys(response.body as object).length ? response.body : JSON.parse(response.text)
  const ok = validate(body)
  expect(ok, `${method} ${expressPath} ${response.status}: ${JSON.stringify(validate.errors)}`).toBe(true)
  responsesChecked++
  return response
}

/** Fails unless `value` is a valid instance of the document's component `name` (NDJSON lines). */
export function checkedComponent(value: unknown, name: string): void {
  const ref = `api#/components/schemas/${name}`
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref })
  expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
  responsesChecked++
}
