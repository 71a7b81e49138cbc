// API clients' credentials and bearer tokens (rule 25). A client belongs to one organisation and acts
// as an admin of it at the client's level, never above the level of the admin who created it: the
// principal is rebuilt from that admin's own principal on every request, so when the admin loses
// (or lowers) his admin mandate, the client does too.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ApiClient, PrismaClient } from '../generated/prisma/client.ts'
import { LEVELS, levelRank, type Level } from '../domain/levels.ts'
import { todayUtc } from '../domain/dates.ts'
import type { Principal } from './principal.ts'

export const API_SCOPES = ['users:read', 'users:write', 'mandates:read', 'mandates:write', 'audit:read'] as const
export type ApiScope = (typeof API_SCOPES)[number]

/** Bearer tokens live 15 minutes (OAuth 2.0 client credentials: the client asks again). */
export const TOKEN_SECONDS = 15 * 60

/**
 * A client's long-lived SCIM token (Okta's "HTTP Header", Entra's "Secret Token") starts with this,
 * so that `resolve` knows which table to read (one query either way) and refuses it off /scim/v2.
 */
export const SCIM_TOKEN_PREFIX = 'bmst_'

/** The scopes a SCIM token carries: those of its client that SCIM uses. */
export const SCIM_SCOPES: readonly ApiScope[] = ['users:read', 'users:write']

export type ApiCaller = {
  client: { id: string; name: string; organisationId: string }
  scopes: ApiScope[]
  principal: Principal
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A new 256-bit secret (base64url) and the hash that is stored. */
export function newSecret(prefix: string): { secret: string; hash: string } {
  const secret = `${prefix}${randomBytes(32).toString('base64url')}`
  return { secret, hash: sha256(secret) }
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

function lowerLevel(a: Level, b: Level): Level {
  return LEVELS[Math.min(levelRank(a), levelRank(b))]!
}

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value)
}

type LoadPrincipal = (userId: string, now?: Date) => Promise<Principal | null>

export class ApiTokens {
  constructor(
    private readonly db: PrismaClient,
    private readonly loadPrincipal: LoadPrincipal,
  ) {}

  /** Client credentials → a token, or null (unknown, wrong secret, revoked, ended, or a scope it lacks). */
  async issue(clientId: string, secret: string, requested: string[] | null, now = new Date()) {
    const client = await this.db.apiClient.findUnique({ where: { id: clientId } })
    if (!client || !sameHash(client.secretHash, sha256(secret))) return { error: 'invalid_client' as const }
    if (client.revokedAt || client.validUntil < todayUtc(now)) return { error: 'invalid_client' as const }
    const scopes = requested ?? client.scopes
    if (scopes.some((s) => !client.scopes.includes(s))) return { error: 'invalid_scope' as const }
    const { secret: token, hash } = newSecret('bmat_')
    await this.db.apiToken.create({ data: { clientId, tokenHash: hash, scopes, expiresAt: new Date(now.getTime() + TOKEN_SECONDS * 1000) } })
    return { token, scopes, expiresIn: TOKEN_SECONDS }
  }

  /**
   * A bearer token → who calls, or null when it is unknown, expired, or its client no longer may act.
   * A SCIM token is only taken where `scim` says so (/scim/v2); each kind costs one indexed lookup.
   */
  async resolve(token: string, now = new Date(), { scim = false } = {}): Promise<ApiCaller | null> {
    if (token.startsWith(SCIM_TOKEN_PREFIX)) {
      if (!scim) return null
      const client = await this.db.apiClient.findUnique({ where: { scimTokenHash: sha256(token) } })
      return client
        ? this.callerOf(
            client,
            client.scopes.filter((s) => SCIM_SCOPES.includes(s as ApiScope)),
            now,
          )
        : null
    }
    const row = await this.db.apiToken.findUnique({ where: { tokenHash: sha256(token) }, include: { client: true } })
    if (!row || row.expiresAt <= now) return null
    return this.callerOf(row.client, row.scopes, now)
  }

  /** The caller a token of this client stands for, or null when the client (or its admin) may no longer act. */
  private async callerOf(client: ApiClient, scopes: string[], now: Date): Promise<ApiCaller | null> {
    if (client.revokedAt || client.validUntil < todayUtc(now)) return null
    const admin = await this.loadPrincipal(client.createdById, now)
    const organisation = admin?.adminOrganisations.find((o) => o.id === client.organisationId)
    if (!admin || !organisation) return null
    const principal: Principal = {
      id: admin.id,
      email: `api:${client.name}`,
      name: client.name,
      role: 'user',
      locale: 'nl',
      adminOrganisations: [{ ...organisation, level: lowerLevel(organisation.level, client.level) }],
    }
    return {
      client: { id: client.id, name: client.name, organisationId: client.organisationId },
      scopes: scopes.filter(isApiScope),
      principal,
    }
  }
}
