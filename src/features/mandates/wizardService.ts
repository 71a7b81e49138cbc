// Machtigingen: "Nieuwe Machtigingen Aanvragen", the wizard's choices (users, levels, catalogue,
// branches) and the grant itself. Rules 1, 2, 4, 5, 6 and 8 are checked through src/domain/rules.ts;
// every query is scoped to the actor's admin organisations (rule 7).
import { Prisma } from '../../generated/prisma/client.ts'
import type { Level, MandateStatus, PrismaClient } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { todayUtc } from '../../domain/dates.ts'
import { LEVELS, highestLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { assertLevelCoversService, meansCoversLevel, withinAdminLevel } from '../../domain/rules.ts'
import { addYearsClamped } from '../../domain/terms.ts'
import type { Actor } from '../../shared/actor.ts'
import type { Principal } from '../../shared/principal.ts'
import { searchCatalogue } from '../../shared/catalogueSearch.ts'
import { membersInNameOrder } from '../../shared/members.ts'
import { userMatches } from '../../shared/userSearch.ts'
import { SearchTrigramsCache } from '../../shared/searchTrigrams.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { inOrganisationSet } from '../../shared/organisationSet.ts'
import { openLinkRequest, openLinkRequestWhere } from '../../shared/openLinkRequests.ts'
import { scopeKeyOf, type GrantInput, type ScopeItem } from './model.ts'
import { assertGrantable, describeScope, loadCatalogue, type DescribedScope } from './grantChecks.ts'
import { grantMany, writeGrants } from './grantMany.ts'
import { actingPrincipal, adminOrganisation, isUniqueViolation } from './scoping.ts'

export type { DescribedScope } from './grantChecks.ts'

/** A row of the wizard's user step. */
type CandidateRow = {
  id: string
  first_name: string
  last_name_prefix: string | null
  last_name: string
  email: string
  linked: boolean
  link_requested: boolean
}

/** Users per page of the wizard's user step. */
export const CANDIDATE_PAGE = 25

export class MandateWizardService {
  /** For the user search (src/shared/searchTrigrams.ts). */
  private readonly searchTrigrams: SearchTrigramsCache

  constructor(
    private readonly db: PrismaClient,
    /** The user step's page (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
    /** The user step's search, planned for its pattern (PgPageReads with `plans: 'custom'`). */
    private readonly searchReads: PageReads = prismaPageReads(db),
  ) {
    this.searchTrigrams = new SearchTrigramsCache(pageReads)
  }

  /** The admin organisation, or 404 (rule 7). */
  adminOrganisation(principal: Principal, organisationId: string) {
    return adminOrganisation(principal, organisationId)
  }

  // -------------------------------------------------------------------------------------------
  // The wizard's choices

  /**
   * Users to choose from: linked to the organisation, plus (when asked) those the admin manages
   * elsewhere; narrowed by the user search (name or e-mail, trigram index) and paged.
   */
  async candidateUsers(principal: Principal, organisationId: string, includeUnlinked: boolean, query = '', page = 0, now = new Date()) {
    adminOrganisation(principal, organisationId)
    const orgs = includeUnlinked ? adminOrganisationIds(principal) : [organisationId]
    // Without a search: the members in name order from the links' name index (bounded per
    // organisation); with one: the trigram search over users, tested for membership.
    const searching = query.trim() !== ''
    const common = searching ? await this.searchTrigrams.get() : undefined
    const found = searching
      ? Prisma.sql`
          select u.id from users u
          where exists (select 1 from organisation_links l where l.user_id = u.id and ${inOrganisationSet('l.organisation_id', orgs)}) and ${userMatches(query, common)}
          order by u.last_name, u.first_name, u.id
          limit ${CANDIDATE_PAGE + 1} offset ${page * CANDIDATE_PAGE}`
      : Prisma.sql`
          select m.user_id as id from (${membersInNameOrder({ organisationIds: orgs, limit: CANDIDATE_PAGE + 1, offset: page * CANDIDATE_PAGE })}) m`
    // The page's users with their link and open link request here, in one statement, straight through
    // pg (the page reads; a search: the search reads, planned for its pattern).
    const rows = await (searching ? this.searchReads : this.pageReads).rows<CandidateRow>(Prisma.sql`
      select u.id, u.first_name, u.last_name_prefix, u.last_name, u.email,
             exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id = ${organisationId}::uuid) as linked,
             exists (select 1 from link_requests r
                     where r.user_id = u.id and r.organisation_id = ${organisationId}::uuid and ${openLinkRequest('r', now)}) as link_requested
      from (${found}) f join users u on u.id = f.id
      order by u.last_name, u.first_name, u.id`)
    return {
      more: rows.length > CANDIDATE_PAGE,
      users: rows.slice(0, CANDIDATE_PAGE).map((u) => ({
        id: u.id,
        name: personName({ firstName: u.first_name, lastNamePrefix: u.last_name_prefix, lastName: u.last_name }),
        email: u.email,
        linked: u.linked,
        linkRequested: u.link_requested,
      })),
    }
  }

  /**
   * Whether the admin may grant to this user at this organisation: linked (active mandates), or
   * managed in another of his organisations with a pending link request (pending mandates). Else 404.
   */
  private async holderStatus(db: PrismaClient | Tx, principal: Principal, organisationId: string, userId: string, now: Date) {
    const user = await db.user.findFirst({
      where: { id: userId, links: { some: { organisationId: { in: adminOrganisationIds(principal) } } } },
      select: { ...candidateSelect(organisationId, now), locale: true, means: { where: { status: 'active' }, select: { level: true } } },
    })
    if (!user) throw new NotFoundError()
    const meansLevel = highestLevel(user.means.map((m) => m.level))
    return { user, linked: user.links.length > 0, linkRequested: user.linkRequests.length > 0, meansLevel }
  }

  /**
   * The user step: a linked user, or an unlinked one managed elsewhere. Nothing is written here: the
   * link request (rule 8) is created with the pending mandates when the last step is confirmed.
   */
  async chooseHolder(actor: Actor, organisationId: string, userId: string, now = new Date()) {
    const principal = actor.principal!
    adminOrganisation(principal, organisationId)
    const holder = await this.holderStatus(this.db, principal, organisationId, userId, now)
    return { linked: holder.linked, linkRequestNeeded: !holder.linked && !holder.linkRequested }
  }

  /** Rules 1 and 2: the levels on offer, and why the others are not. */
  async levelChoices(principal: Principal, organisationId: string, userId: string, now = new Date()) {
    const org = adminOrganisation(principal, organisationId)
    const holder = await this.holderStatus(this.db, principal, organisationId, userId, now)
    const choices = LEVELS.map((level) => {
      let reason: null | 'adminLevel' | 'meansLevel' | 'noMeans' = null
      if (!withinAdminLevel(org.level, level)) reason = 'adminLevel'
      else if (!holder.meansLevel) reason = 'noMeans'
      else if (!meansCoversLevel([holder.meansLevel], level)) reason = 'meansLevel'
      return { level, allowed: reason === null, reason }
    })
    return { choices, adminLevel: org.level, meansLevel: holder.meansLevel, userName: personName(holder.user), linked: holder.linked }
  }

  /** The catalogue search: "alle" offers all services; a provider's name offers all of that provider (src/shared/catalogueSearch.ts). */
  searchCatalogue(query: string) {
    return searchCatalogue(this.db, query)
  }

  /**
   * The wizard's "Machtiging toevoegen": the scope described, or a RuleViolation when the service is
   * unknown or requires a higher level than the one chosen (rule 5, as `grant` checks it again).
   */
  async describeAddable(item: ScopeItem | null, level: Level) {
    if (!item) throw new RuleViolation('mandates:errors.unknownService', 'choice')
    const [described] = await this.describeScopes([item])
    assertLevelCoversService(described!, level, { field: 'choice' })
    return described!
  }

  /** Names for the chosen scopes, or a RuleViolation for an unknown service or provider (rule 5). */
  async describeScopes(items: ScopeItem[]): Promise<DescribedScope[]> {
    const catalogue = await loadCatalogue(this.db, items)
    return items.map((item) => describeScope(item, catalogue))
  }

  async branches(principal: Principal, organisationId: string) {
    adminOrganisation(principal, organisationId)
    return this.db.branch.findMany({ where: { organisationId }, orderBy: { name: 'asc' }, select: { id: true, name: true, branchNumber: true, city: true } })
  }

  // -------------------------------------------------------------------------------------------
  // Grant

  /** Checks rules 1, 2, 4, 5, 6 for a grant without changing anything; returns what it would create. */
  async checkGrant(principal: Principal, input: GrantInput, now = new Date(), db: PrismaClient | Tx = this.db) {
    const org = adminOrganisation(principal, input.organisationId)
    const holder = await this.holderStatus(db, principal, input.organisationId, input.userId, now)
    const catalogue = await loadCatalogue(db, input.items)
    const branch = input.branchId
      ? await db.branch.findFirst({ where: { id: input.branchId, organisationId: input.organisationId }, select: { id: true } })
      : null
    const existing = await db.mandate.findMany({
      where: { userId: input.userId, organisationId: input.organisationId, kind: 'use', live: true, scopeKey: { in: input.items.map(scopeKeyOf) } },
      select: { scopeKey: true },
    })
    const live = new Set(existing.map((m) => m.scopeKey))
    const scopes = assertGrantable(input, { adminLevel: org.level, meansLevel: holder.meansLevel, catalogue, branchOk: !!branch, live: (key) => live.has(key) })
    return { org, holder, scopes, status: (holder.linked ? 'active' : 'pending') as MandateStatus }
  }

  /** Many grants in the caller's transaction (the API's batch): see grantMany.ts. */
  grantMany(tx: Tx, actor: Actor, inputs: GrantInput[], now = new Date()) {
    return grantMany(tx, actor, inputs, now)
  }

  /** Grants one mandate per scope, in one transaction with its audit entries and one mail (rule 14). */
  async grant(actor: Actor, input: GrantInput, now = new Date()) {
    const principal = actingPrincipal(actor)
    try {
      return await this.db.$transaction(async (tx) => {
        const checked = await this.checkGrant(principal, input, now, tx)
        const linkRequestNeeded = !checked.holder.linked && !checked.holder.linkRequested
        const holder = checked.holder.user
        const [created] = await writeGrants(
          tx,
          actor,
          [{ input, scopes: checked.scopes, status: checked.status, org: checked.org, holder, linkRequestNeeded }],
          now,
        )
        return {
          mandates: created!,
          status: checked.status,
          scopes: checked.scopes,
          validUntil: addYearsClamped(todayUtc(now), input.termYears),
          organisationName: checked.org.name,
          userName: personName(holder),
          linkRequestCreated: linkRequestNeeded,
        }
      })
    } catch (error) {
      // Two identical requests at once: the unique key lets one through (rule: one live mandate per scope).
      if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.existsRace', 'service')
      throw error
    }
  }
}

/** A user as the wizard shows one: the name, the address, the link to the organisation and an open link request there. */
function candidateSelect(organisationId: string, now: Date) {
  return {
    id: true,
    firstName: true,
    lastNamePrefix: true,
    lastName: true,
    email: true,
    links: { where: { organisationId }, select: { id: true } },
    linkRequests: { where: { organisationId, ...openLinkRequestWhere(now) }, select: { id: true } },
  } as const satisfies Prisma.UserSelect
}
