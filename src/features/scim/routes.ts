// SCIM 2.0 at /scim/v2 (RFC 7643/7644) for an organisation's HR or identity system (Entra ID, Okta):
// an API client's bearer token or its long-lived SCIM token (src/web/apiAuth.ts: rule 25, RateLimit headers),
// no session, no CSRF; errors as SCIM error documents (src/web/scimError.ts, via the one error handler).
import { Router, type Request, type Response } from 'express'
import type { ZodType, z } from 'zod'
import { allow } from '../../policy/access.ts'
import { paths, SCIM_ROOT } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { apiActor, apiCaller, bearerAuth } from '../../web/apiAuth.ts'
import { Problem } from '../../web/problem.ts'
import { ScimError, SCIM_MEDIA_TYPE } from '../../web/scimError.ts'
import type { ApiScope } from '../../shared/apiTokens.ts'
import { listOf, schemaDocuments, serviceProviderConfig, userResourceType } from './discovery.ts'
import { parseFilter } from './filter.ts'
import { applyPatch } from './patch.ts'
import { ScimUsersService } from './scimService.ts'
import { ListQuery, MAX_COUNT, PatchRequest, SCHEMA, ScimUserInput } from './schemas.ts'

function send(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').type(SCIM_MEDIA_TYPE).send(JSON.stringify(body))
}

/** 403 unless the token carries one of these scopes (reading is allowed with users:write too: clients look before they write). */
function scoped(...scopes: ApiScope[]) {
  return (req: Request, _res: Response, next: (error?: unknown) => void) =>
    next(scopes.some((s) => apiCaller(req).scopes.includes(s)) ? undefined : new Problem(403, 'api:errors.scope', { scope: scopes.join(' / ') }))
}

function parse<S extends ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const key = /^[a-zA-Z]+:[\w.]+$/.test(issue.message) ? issue.message : 'common:errors.badRequestText'
  throw new ScimError(400, issue.code === 'invalid_type' ? 'invalidSyntax' : 'invalidValue', key, {}, issue.path.join('.') || undefined)
}

function body(req: Request): unknown {
  if (!req.is(['application/json', 'application/scim+json'])) throw new Problem(415, 'api:errors.mediaType')
  return req.body as unknown
}

function userId(req: Request): string {
  return String(req.params.id ?? '')
}

/** meta.location as an absolute URI (RFC 7643 §3.1), from BASE_URL. */
function absolute<T extends object>(baseUrl: string, resource: T): T {
  const meta = (resource as { meta?: { location?: string } }).meta
  if (meta?.location?.startsWith('/')) meta.location = `${baseUrl.replace(/\/$/, '')}${meta.location}`
  return resource
}

export function scimRoutes(services: Services): Router {
  const router = Router()
  const users = new ScimUsersService(services.db, services.importService)
  const located = <T extends object>(resource: T) => absolute(services.config.baseUrl, resource)
  const read = scoped('users:read', 'users:write')
  const write = scoped('users:write')
  const caller = (req: Request) => ({ principal: apiCaller(req).principal, organisationId: apiCaller(req).client.organisationId })

  router.use(SCIM_ROOT, bearerAuth(services.apiTokens, services.rateLimits, 'scim', { scim: true }))

  router.get(paths.scim.serviceProviderConfig, allow('anonymous'), (_req, res) => send(res, 200, serviceProviderConfig()))
  router.get(paths.scim.resourceTypes, allow('anonymous'), (_req, res) => send(res, 200, listOf([userResourceType()])))
  router.get(paths.scim.resourceType, allow('anonymous'), (req, res) => {
    if (req.params.name !== 'User') throw new ScimError(404, undefined, 'common:errors.notFoundText')
    send(res, 200, userResourceType())
  })
  router.get(paths.scim.schemas, allow('anonymous'), (_req, res) => send(res, 200, listOf(schemaDocuments())))
  router.get(paths.scim.schema, allow('anonymous'), (req, res) => {
    const found = schemaDocuments().find((s) => s.id === req.params.name)
    if (!found) throw new ScimError(404, undefined, 'common:errors.notFoundText')
    send(res, 200, found)
  })

  router.get(paths.scim.users, allow('anonymous'), read, async (req, res) => {
    const q = parse(ListQuery, req.query)
    const filter = parseFilter(q.filter)
    const startIndex = Math.max(1, Number(q.startIndex ?? 1))
    const count = Math.min(MAX_COUNT, Math.max(0, Number(q.count ?? 100)))
    const { principal, organisationId } = caller(req)
    const page = await users.list(principal, organisationId, filter, startIndex, count)
    send(res, 200, {
      schemas: [SCHEMA.listResponse],
      totalResults: page.total,
      startIndex,
      itemsPerPage: page.resources.length,
      Resources: page.resources.map(located),
    })
  })

  router.post(paths.scim.users, allow('anonymous'), write, async (req, res) => {
    const input = parse(ScimUserInput, body(req))
    const { principal, organisationId } = caller(req)
    const created = located(await users.create(principal, apiActor(req), organisationId, input))
    res.set('Location', (created.meta as { location: string }).location)
    send(res, 201, created)
  })

  router.get(paths.scim.user, allow('anonymous'), read, async (req, res) => {
    const { principal, organisationId } = caller(req)
    send(res, 200, located(await users.get(principal, organisationId, userId(req))))
  })

  router.put(paths.scim.user, allow('anonymous'), write, async (req, res) => {
    const input = parse(ScimUserInput, body(req))
    const { principal, organisationId } = caller(req)
    send(res, 200, located(await users.replace(principal, apiActor(req), organisationId, userId(req), input)))
  })

  router.patch(paths.scim.user, allow('anonymous'), write, async (req, res) => {
    const patch = parse(PatchRequest, body(req))
    const { principal, organisationId } = caller(req)
    const current = await users.get(principal, organisationId, userId(req))
    const input = parse(ScimUserInput, applyPatch(current, patch.Operations))
    send(res, 200, located(await users.replace(principal, apiActor(req), organisationId, userId(req), input)))
  })

  router.delete(paths.scim.user, allow('anonymous'), write, async (req, res) => {
    const { principal, organisationId } = caller(req)
    await users.remove(principal, apiActor(req), organisationId, userId(req))
    res.status(204).end()
  })

  return router
}
