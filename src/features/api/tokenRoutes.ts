// POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4), form-encoded, the client
// authenticated by HTTP Basic or by client_id/client_secret in the body. Errors as RFC 6749 §5.2.
import type { Request, Response } from 'express'
import { Router } from 'express'
import { allow } from '../../policy/access.ts'
import { paths } from '../../paths.ts'
import type { Services } from '../../services.ts'
import { translator } from '../../i18n/index.ts'
import { apiLocale } from '../../web/problem.ts'
import { isApiScope } from '../../shared/apiTokens.ts'
import { TokenRequest } from './schemas.ts'

function basicCredentials(req: Request): { id: string; secret: string } | null {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(req.get('authorization') ?? '')
  if (!match) return null
  const text = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = text.indexOf(':')
  if (colon < 0) return null
  return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) }
}

function oauthError(req: Request, res: Response, status: number, error: string, key: string) {
  const body = { error, error_description: translator(apiLocale(req))(key) }
  if (status === 401) res.set('WWW-Authenticate', 'Basic realm="beheermodule"')
  res.status(status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(body)
}

export function tokenRoutes({ apiTokens }: Services): Router {
  const router = Router()
  router.post(paths.api.token, allow('anonymous'), async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body ?? {})
    if (!parsed.success) {
      const grantWrong = parsed.error.issues.some((i) => i.path[0] === 'grant_type')
      return oauthError(
        req,
        res,
        400,
        grantWrong ? 'unsupported_grant_type' : 'invalid_request',
        grantWrong ? 'api:errors.grantType' : 'common:errors.badRequestText',
      )
    }
    const basic = basicCredentials(req)
    const id = basic?.id ?? parsed.data.client_id ?? ''
    const secret = basic?.secret ?? parsed.data.client_secret ?? ''
    const requested = parsed.data.scope ? parsed.data.scope.split(' ').filter(Boolean) : null
    if (requested?.some((s) => !isApiScope(s))) return oauthError(req, res, 400, 'invalid_scope', 'api:errors.invalidScope')
    if (!/^[0-9a-f-]{36}$/i.test(id) || !secret) return oauthError(req, res, 401, 'invalid_client', 'api:errors.invalidClient')
    const result = await apiTokens.issue(id, secret, requested)
    if ('error' in result) {
      if (result.error === 'invalid_scope') return oauthError(req, res, 400, 'invalid_scope', 'api:errors.invalidScope')
      return oauthError(req, res, 401, 'invalid_client', 'api:errors.invalidClient')
    }
    res
      .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
      .json({ access_token: result.token, token_type: 'Bearer', expires_in: result.expiresIn, scope: result.scopes.join(' ') })
  })
  return router
}
