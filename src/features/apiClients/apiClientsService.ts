// Beheer → API-koppelingen: an organisation's API clients (rule 25). The secret is shown once and
// stored as a SHA-256 of 256 random bits; rotate replaces it, revoke ends the client and its tokens.
// A client with users:write may also have one long-lived SCIM token (for Okta and Entra ID), likewise
// shown once and kept as a hash; it works only on /scim/v2 and ends with the client.
import { Prisma, type Level, type PrismaClient } from '../../generated/prisma/client.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { fromDbLevel } from '../../domain/levels.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { addYears, todayUtc } from '../../domain/dates.ts'
import { assertWithinAdminLevel } from '../../domain/rules.ts'
import { adminOrganisationIds, assertAdministers } from '../../policy/access.ts'
import { recordAudit, subjectEntry } from '../../shared/audit.ts'
import type { Actor } from '../../shared/actor.ts'
import { newSecret, SCIM_TOKEN_PREFIX, type ApiScope } from '../../shared/apiTokens.ts'
import type { Principal } from '../../shared/principal.ts'
import { withFields } from '../../shared/withFields.ts'

/** A client runs at most two years; then the admin makes a new one. */
export const MAX_CLIENT_YEARS = 2

export type NewApiClient = { organisationId: string; name: string; scopes: ApiScope[]; level: Level; validUntil: Date }

/** What a client shows of itself (never its secret or token hashes). */
export const PUBLIC = {
  id: true,
  organisationId: true,
  name: true,
  scopes: true,
  level: true,
  validUntil: true,
  rotatedAt: true,
  revokedAt: true,
  scimTokenIssuedAt: true,
  createdAt: true,
} as const

type ListedClient = {
  id: string
  organisationId: string
  name: string
  scopes: string[]
  level: string
  validUntil: Date
  rotatedAt: Date | null
  revokedAt: Date | null
  scimTokenIssuedAt: Date | null
  createdAt: Date
  organisationName: string
  createdByEmail: string
}

export class ApiClientsService {
  constructor(
    private readonly db: PrismaClient,
    /** For the list on every visit of API-koppelingen (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
  ) {}

  /**
   * The clients of the admin's organisations, live first, newest first: PUBLIC with the organisation's
   * name and the creator's address. Through the page reads with the organisations as one array (Prisma
   * sent an accountant's 500 ids as 500 parameters).
   */
  async list(principal: Principal) {
    const rows = await this.pageReads.rows<ListedClient>(Prisma.sql`
      select c.id, c.organisation_id as "organisationId", c.name, c.scopes::text[] as scopes, c.level::text as level,
             c.valid_until as "validUntil", c.rotated_at as "rotatedAt", c.revoked_at as "revokedAt",
             c.scim_token_issued_at as "scimTokenIssuedAt", c.created_at as "createdAt",
             o.name as "organisationName", u.email as "createdByEmail"
      from api_clients c
      join organisations o on o.id = c.organisation_id
      join users u on u.id = c.created_by_id
      where c.organisation_id = any(${adminOrganisationIds(principal)}::uuid[])
      order by c.revoked_at desc nulls first, c.created_at desc, c.id`)
    return rows.map(({ organisationName, createdByEmail, level, ...client }) =>
      withFields(client, {
        level: fromDbLevel(level),
        organisation: { name: organisationName },
        createdBy: { email: createdByEmail },
      }),
    )
  }

  /** Creates a client; returns it with its secret, which is never shown again. */
  async create(principal: Principal, actor: Actor, input: NewApiClient, now = new Date()) {
    assertAdministers(principal, input.organisationId)
    const organisation = principal.adminOrganisations.find((o) => o.id === input.organisationId)!
    assertWithinAdminLevel(organisation.level, input.level, { field: 'level' })
    const today = todayUtc(now)
    if (input.validUntil <= today || input.validUntil > addYears(today, MAX_CLIENT_YEARS)) throw new RuleViolation('apiClients:errors.validUntil', 'validUntil')
    const { secret, hash } = newSecret('bmcs_')
    const client = await this.db.$transaction(async (tx) => {
      const created = await tx.apiClient.create({ data: { ...input, secretHash: hash, createdById: principal.id }, select: PUBLIC })
      await recordAudit(tx, actor, {
        action: 'api_client.created',
        organisationId: input.organisationId,
        subjectType: 'api_client',
        subjectId: created.id,
        after: created,
      })
      return created
    })
    return { client, secret }
  }

  async rotate(principal: Principal, actor: Actor, id: string, now = new Date()) {
    const { secret, hash } = newSecret('bmcs_')
    const client = await this.db.$transaction(async (tx) => {
      const before = await this.live(tx, principal, id)
      const updated = await tx.apiClient.update({ where: { id }, data: { secretHash: hash, rotatedAt: now }, select: PUBLIC })
      await tx.apiToken.deleteMany({ where: { clientId: id } })
      await recordAudit(tx, actor, subjectEntry('api_client.rotated', 'api_client', before, { after: { rotatedAt: now } }))
      return updated
    })
    return { client, secret }
  }

  async revoke(principal: Principal, actor: Actor, id: string, now = new Date()) {
    return this.db.$transaction(async (tx) => {
      const before = await this.live(tx, principal, id)
      const updated = await tx.apiClient.update({ where: { id }, data: { revokedAt: now, scimTokenHash: null, scimTokenIssuedAt: null }, select: PUBLIC })
      await tx.apiToken.deleteMany({ where: { clientId: id } })
      await recordAudit(tx, actor, subjectEntry('api_client.revoked', 'api_client', before, { after: { revokedAt: now } }))
      return updated
    })
  }

  /**
   * Issues the client's long-lived SCIM token (Okta's "HTTP Header", Entra's "Secret Token"), replacing
   * any earlier one; returns it once. Refused for a client without users:write or past its end date.
   */
  async issueScimToken(principal: Principal, actor: Actor, id: string, now = new Date()) {
    const { secret, hash } = newSecret(SCIM_TOKEN_PREFIX)
    const client = await this.db.$transaction(async (tx) => {
      const before = await this.live(tx, principal, id)
      if (!before.scopes.includes('users:write')) throw new RuleViolation('apiClients:errors.scimScope')
      if (before.validUntil < todayUtc(now)) throw new RuleViolation('apiClients:errors.ended')
      const updated = await tx.apiClient.update({ where: { id }, data: { scimTokenHash: hash, scimTokenIssuedAt: now }, select: PUBLIC })
      const change = { before: { scimTokenIssuedAt: before.scimTokenIssuedAt }, after: { scimTokenIssuedAt: now, validUntil: before.validUntil } }
      await recordAudit(tx, actor, subjectEntry('api_client.scim_token_issued', 'api_client', before, change))
      return updated
    })
    return { client, token: secret }
  }

  /** Ends the client's SCIM token at once (the provisioning system gets 401 from then on). */
  async revokeScimToken(principal: Principal, actor: Actor, id: string) {
    return this.db.$transaction(async (tx) => {
      const before = await this.live(tx, principal, id)
      if (!before.scimTokenIssuedAt) throw new RuleViolation('apiClients:errors.noScimToken')
      const updated = await tx.apiClient.update({ where: { id }, data: { scimTokenHash: null, scimTokenIssuedAt: null }, select: PUBLIC })
      const change = { before: { scimTokenIssuedAt: before.scimTokenIssuedAt }, after: { scimTokenIssuedAt: null } }
      await recordAudit(tx, actor, subjectEntry('api_client.scim_token_revoked', 'api_client', before, change))
      return updated
    })
  }

  /** A client of the admin's organisations that is not revoked; else 404 (rule 7) or a refusal. */
  private async live(tx: Tx, principal: Principal, id: string) {
    const client = await tx.apiClient.findFirst({ where: { id, organisationId: { in: adminOrganisationIds(principal) } }, select: PUBLIC })
    if (!client) throw new NotFoundError()
    if (client.revokedAt) throw new RuleViolation('apiClients:errors.revoked')
    return client
  }
}
