// The OpenAPI 3.1 document of /api/v1 and /oauth/token, generated from the zod schemas the handlers
// parse with (schemas.ts) by zod 4's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1).
import { z } from 'zod'
import { paths } from '../../paths.ts'
import type { ApiScope } from '../../shared/apiTokens.ts'
import * as S from './schemas.ts'

type Operation = {
  method: 'get' | 'post'
  path: string
  id: string
  summary: string
  scope?: ApiScope
  query?: z.ZodObject
  body?: z.ZodType
  /** status → component name (a `.meta({ id })` of schemas.ts) */
  responses: Record<number, string>
  idempotent?: boolean
  /** The change takes If-Match (412 when stale). */
  ifMatch?: boolean
  /** The 200 answer carries an ETag. */
  etag?: boolean
  /** The 200 answer also as NDJSON (`Accept: application/x-ndjson`): one of this component per line. */
  ndjson?: string
}

const ERRORS_READ = { 400: 'Problem', 401: 'Problem', 403: 'Problem', 429: 'Problem' }
const ERRORS_WRITE = { ...ERRORS_READ, 404: 'Problem', 409: 'Problem', 413: 'Problem', 415: 'Problem', 422: 'Problem' }

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: paths.api.token,
    id: 'token',
    summary: 'Access token (OAuth 2.0 client credentials)',
    body: S.TokenRequest,
    responses: { 200: 'TokenResponse', 400: 'OAuthError', 401: 'OAuthError', 413: 'Problem' },
  },
  {
    method: 'get',
    path: paths.api.users,
    id: 'listUsers',
    summary: 'Users of the organisation',
    scope: 'users:read',
    query: S.UserListQuery,
    responses: { 200: 'UserList', ...ERRORS_READ },
  },
  {
    method: 'get',
    path: paths.api.user,
    id: 'getUser',
    summary: 'One user',
    scope: 'users:read',
    responses: { 200: 'UserDetail', ...ERRORS_READ, 404: 'Problem' },
    etag: true,
  },
  {
    method: 'get',
    path: paths.api.mandates,
    id: 'listMandates',
    summary: 'Mandates, with the filters of the Mandates page and a cursor',
    scope: 'mandates:read',
    query: S.MandateListQuery,
    responses: { 200: 'MandateList', ...ERRORS_READ },
  },
  {
    method: 'get',
    path: paths.api.mandate,
    id: 'getMandate',
    summary: 'One mandate',
    scope: 'mandates:read',
    responses: { 200: 'Mandate', ...ERRORS_READ, 404: 'Problem' },
    etag: true,
  },
  {
    method: 'post',
    path: paths.api.mandates,
    id: 'grantMandates',
    summary: 'Grant mandates (one per scope item)',
    scope: 'mandates:write',
    body: S.GrantRequest,
    responses: { 201: 'GrantResult', ...ERRORS_WRITE },
    idempotent: true,
  },
  {
    method: 'post',
    path: paths.api.mandateRevoke,
    id: 'revokeMandate',
    summary: 'Revoke a mandate (at once, rule 9)',
    scope: 'mandates:write',
    responses: { 200: 'RevokeResult', ...ERRORS_WRITE },
    idempotent: true,
    ifMatch: true,
  },
  {
    method: 'post',
    path: paths.api.mandateRenew,
    id: 'renewMandate',
    summary: 'Renew a mandate by 1, 3 or 5 years (rule 4)',
    scope: 'mandates:write',
    body: S.RenewRequest,
    responses: { 200: 'RenewResult', ...ERRORS_WRITE },
    idempotent: true,
    ifMatch: true,
  },
  {
    method: 'post',
    path: paths.api.mandatesBatch,
    id: 'batchMandates',
    summary:
      'Up to 1,000 grants and revokes in one transaction: all or nothing (422 naming each failing operation), or with "atomic": false a result per operation',
    scope: 'mandates:write',
    body: S.BatchRequest,
    responses: { 200: 'BatchResult', ...ERRORS_WRITE },
    idempotent: true,
  },
  {
    method: 'post',
    path: paths.api.users,
    id: 'addUser',
    summary: 'Add a person to the organisation and request a means (as Add users)',
    scope: 'users:write',
    body: S.AddUserRequest,
    responses: { 201: 'AddUserResult', ...ERRORS_WRITE },
    idempotent: true,
  },
  {
    method: 'post',
    path: paths.api.userOffboard,
    id: 'offboardUser',
    summary: "Offboard (afmelden, rule 19): revoke the person's mandates in the organisation and end the link",
    scope: 'users:write',
    responses: { 200: 'OffboardResult', ...ERRORS_WRITE },
    idempotent: true,
    ifMatch: true,
  },
  {
    method: 'get',
    path: paths.api.userMeans,
    id: 'listMeans',
    summary: "The person's eHerkenning means",
    scope: 'users:read',
    responses: { 200: 'MeansList', ...ERRORS_READ, 404: 'Problem' },
  },
  {
    method: 'post',
    path: paths.api.userMeans,
    id: 'requestMeans',
    summary: 'Request new means: a signed application for a linked person without a working means (EH3/EH4 wait for the identity check)',
    scope: 'users:write',
    body: S.MeansRequest,
    responses: { 201: 'MeansApplicationResult', ...ERRORS_WRITE },
    idempotent: true,
  },
  {
    method: 'post',
    path: paths.api.userMeansUpgrade,
    id: 'upgradeMeans',
    summary: "Middel upgraden: the person's active means to a higher level (mandates stay)",
    scope: 'users:write',
    body: S.MeansUpgradeRequest,
    responses: { 201: 'MeansApplicationResult', ...ERRORS_WRITE },
    idempotent: true,
  },
  {
    method: 'get',
    path: paths.api.linkRequests,
    id: 'listLinkRequests',
    summary: 'Link requests (verzoeken) of the organisations, newest first',
    scope: 'users:read',
    responses: { 200: 'LinkRequestList', ...ERRORS_READ },
  },
  {
    method: 'get',
    path: paths.api.linkRequest,
    id: 'getLinkRequest',
    summary: 'One link request',
    scope: 'users:read',
    responses: { 200: 'LinkRequest', ...ERRORS_READ, 404: 'Problem' },
    etag: true,
  },
  {
    method: 'post',
    path: paths.api.linkRequests,
    id: 'createLinkRequest',
    summary: 'Nieuw verzoek: ask a person (by e-mail address) to link to the organisation (rule 8)',
    scope: 'users:write',
    body: S.NewLinkRequest,
    responses: { 201: 'LinkRequest', ...ERRORS_WRITE },
    idempotent: true,
  },
  {
    method: 'post',
    path: paths.api.linkRequestCancel,
    id: 'cancelLinkRequest',
    summary: 'Cancel an open link request',
    scope: 'users:write',
    responses: { 200: 'LinkRequest', ...ERRORS_WRITE },
    idempotent: true,
    ifMatch: true,
  },
  {
    method: 'get',
    path: paths.api.auditEvents,
    id: 'listAuditEvents',
    summary: 'Audit trail of the organisation, newest first, with a cursor; or all of it as NDJSON',
    scope: 'audit:read',
    query: S.AuditListQuery,
    responses: { 200: 'AuditEventList', ...ERRORS_READ },
    ndjson: 'AuditEvent',
  },
  {
    method: 'get',
    path: paths.api.authorisationCheck,
    id: 'checkAuthorisation',
    summary: 'May this person act for the organisation towards this service, and by which path (rule 21)',
    scope: 'mandates:read',
    query: S.AuthorisationCheckQuery,
    responses: { 200: 'AuthorisationResult', ...ERRORS_READ, 404: 'Problem' },
  },
]

/** Express's `/users/:id` as OpenAPI's `/users/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}')
}

function components() {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: 'input', uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' })
  const out: Record<string, unknown> = {}
  for (const [id, schema] of Object.entries(schemas)) {
    const copy = { ...(schema as Record<string, unknown>) }
    delete copy.$schema
    delete copy.$id
    out[id] = copy
  }
  return out
}

function parameters(op: Operation) {
  const list: unknown[] = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }))
  if (op.query) {
    const schema = z.toJSONSchema(op.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] }
    for (const [name, property] of Object.entries(schema.properties ?? {}))
      list.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property })
  }
  if (op.ifMatch)
    list.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      schema: { type: 'string' },
      description: 'The ETag of the GET; 412 when it is no longer current',
    })
  if (op.idempotent) list.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } })
  return list
}

function operation(op: Operation) {
  const body = op.body
    ? {
        required: true,
        content: {
          [op.path === paths.api.token ? 'application/x-www-form-urlencoded' : 'application/json']: {
            schema: { $ref: `#/components/schemas/${String(z.globalRegistry.get(op.body)?.id)}` },
          },
        },
      }
    : undefined
  const responses: Record<string, unknown> = {}
  for (const [status, name] of Object.entries(op.responses)) {
    const type = name === 'Problem' ? 'application/problem+json' : 'application/json'
    responses[status] = { description: name, content: { [type]: { schema: { $ref: `#/components/schemas/${name}` } } } }
  }
  if (op.ifMatch) responses[412] = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
  if (op.etag) (responses[200] as Record<string, unknown>).headers = { ETag: { schema: { type: 'string' } } }
  if (op.ndjson) {
    const ok = responses[200] as { content: Record<string, unknown> }
    ok.content['application/x-ndjson'] = { schema: { $ref: `#/components/schemas/${op.ndjson}` } }
  }
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.scope ? { security: [{ bearer: [op.scope] }] } : { security: [] }),
    parameters: parameters(op),
    ...(body ? { requestBody: body } : {}),
    responses,
  }
}

let cached: unknown = null

/** The document (built once). */
export function openApiDocument(): unknown {
  if (cached) return cached
  const pathItems: Record<string, Record<string, unknown>> = {}
  for (const op of OPERATIONS) (pathItems[openApiPath(op.path)] ??= {})[op.method] = operation(op)
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Beheermodule API',
      version: '1.0.0',
      description:
        'Users and mandates of your organisation, with the rights of an admin at the level of the API client (rule 25). Errors are RFC 9457 problem documents in Dutch or English (Accept-Language).',
    },
    servers: [{ url: '/' }],
    paths: pathItems,
    components: {
      schemas: components(),
      securitySchemes: {
        bearer: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: paths.api.token, scopes: Object.fromEntries(S.Scopes.options.map((s) => [s, s])) } },
        },
      },
    },
  }
  return cached
}
