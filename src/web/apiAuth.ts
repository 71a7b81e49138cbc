// Bearer tokens for the API and SCIM (rule 25): who calls, with which scopes, counted per client
// (RateLimit-* headers). The handlers then act through `apiActor(req)` with the client's principal.
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { SCIM_TOKEN_PREFIX, type ApiCaller, type ApiScope, type ApiTokens } from '../shared/apiTokens.ts'
import type { Actor } from '../shared/actor.ts'
import { Problem, apiLocale } from './problem.ts'

type Limiter = { take(kind: 'api', account: string): Promise<{ blocked: boolean; limit: number; remaining: number; resetSeconds: number }> }

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/
/** Okta's "Header" authentication mode sends the pasted token without a scheme: `Authorization: bmst_…`. */
const BARE_SCIM_TOKEN = new RegExp(`^(${SCIM_TOKEN_PREFIX}[A-Za-z0-9_-]+)$`)

/** The token of an Authorization header: `Bearer <token>`, or on SCIM a bare SCIM token. */
function tokenOf(header: string, scim: boolean): string | undefined {
  return BEARER.exec(header)?.[1] ?? (scim ? BARE_SCIM_TOKEN.exec(header)?.[1] : undefined)
}

function unauthorised(realm: string, error?: 'invalid_token'): Problem {
  const challenge = error ? `Bearer realm="${realm}", error="${error}"` : `Bearer realm="${realm}"`
  return new Problem(401, 'api:errors.token', {}, [], { 'WWW-Authenticate': challenge })
}

/**
 * Resolves the bearer token (401 without a valid one), counts the request (429 over the limit).
 * `scim`: also take a client's long-lived SCIM token (only /scim/v2 passes it; /api/v1 keeps short-lived tokens).
 */
export function bearerAuth(tokens: ApiTokens, limiter: Limiter, realm = 'beheermodule', { scim = false } = {}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = tokenOf(req.get('authorization') ?? '', scim)
    if (!token) return next(unauthorised(realm))
    const caller = await tokens.resolve(token, new Date(), { scim })
    if (!caller) return next(unauthorised(realm, 'invalid_token'))
    const state = await limiter.take('api', caller.client.id)
    res.set({ 'RateLimit-Limit': String(state.limit), 'RateLimit-Remaining': String(state.remaining), 'RateLimit-Reset': String(state.resetSeconds) })
    if (state.blocked) return next(new Problem(429, 'common:errors.tooManyText', {}, [], { 'Retry-After': String(state.resetSeconds) }))
    req.apiCaller = caller
    next()
  }
}

/** The caller of a route behind `bearerAuth`. */
export function apiCaller(req: Request): ApiCaller {
  if (!req.apiCaller) throw new Problem(401, 'api:errors.token')
  return req.apiCaller
}

/** 403 unless the token carries this scope. */
export function requireScope(scope: ApiScope): RequestHandler {
  return (req, _res, next) => next(apiCaller(req).scopes.includes(scope) ? undefined : new Problem(403, 'api:errors.scope', { scope }))
}

/** The actor of an API request: the client's principal, audited as `api:<client name>`. */
export function apiActor(req: Request): Actor {
  const caller = apiCaller(req)
  return {
    principal: caller.principal,
    label: caller.principal.email,
    ipAddress: req.ip ?? null,
    requestId: typeof req.id === 'string' || typeof req.id === 'number' ? String(req.id) : null,
    locale: apiLocale(req),
    apiClient: { id: caller.client.id, name: caller.client.name },
  }
}
