// Beheer → Gebruikers: the users linked to the admin's organisations, scoped in SQL (rule 7).
import { isUuid } from '../../domain/ids.ts'
import { createHash } from 'node:crypto'
import type { TFunction } from 'i18next'
import { storedSubjectTypes, type AuditSubjectType } from '../../domain/auditActions.ts'
import { auditNames, type AuditNames, type AuditRef } from '../../shared/auditSubjects.ts'
import { membersPage } from '../../shared/members.ts'
import { INDEX_WALK, type IndexWalk } from '../../shared/indexWalk.ts'
import { userMatches } from '../../shared/userSearch.ts'
import { SearchTrigramsCache } from '../../shared/searchTrigrams.ts'
import {
  Prisma,
  type Application,
  type FormerLink,
  type Level,
  type Mandate,
  type MeansStatus,
  type OrganisationLink,
  type PrismaClient,
} from '../../generated/prisma/client.ts'
import { OWN_MEANS_DATES, ownMeansSql, toOwnMeans, type OwnMeansRow } from '../../shared/ownMeans.ts'
import { reviveDates } from '../../db/jsonDates.ts'
import type { Config } from '../../config.ts'
import { ConflictError, NotFoundError, RuleViolation } from '../../errors.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { applicationEntry } from '../../shared/workflows/applicationStatus.ts'
import type { AdminOrganisation, Principal } from '../../shared/principal.ts'
import { adminOrganisationIds, adminOrganisationsById, assertAdministers } from '../../policy/access.ts'
import { inOrganisationSet } from '../../shared/organisationSet.ts'
import { proceed } from '../../shared/workflows/applications.ts'
import { fromDbLevel, toDbLevel } from '../../domain/levels.ts'
import { levelAtLeast } from '../../domain/levels.ts'
import { assertWithinAdminLevel } from '../../domain/rules.ts'
import { isOpenApplication } from '../../domain/statuses.ts'
import { prismaPageReads, type PageReads } from '../../db/pageReads.ts'
import { CatalogueNamesCache, namesKnow } from '../../shared/catalogueNames.ts'
import type { AuditRow } from '../../shared/audit.ts'
import { withFields } from '../../shared/withFields.ts'

export const PAGE_SIZE = 25
export const EXPORT_LIMIT = 50_000

/** A person as their page shows them, and whether the account is activated (a password is set). */
type PersonRow = {
  id: string
  firstName: string
  lastNamePrefix: string | null
  lastName: string
  email: string
  dateOfBirth: Date
  mobile: string | null
  locale: string
  activated: boolean
}

/** A person's page in one read: the person and each relation as rows of a json column (dates as text until reviveDates). */
type DetailRead = {
  person: PersonRow | null
  means: OwnMeansRow[]
  links: OrganisationLink[]
  formerLinks: FormerLink[]
  mandates: (Omit<Mandate, 'level'> & { level: string })[]
  applications: (Omit<Application, 'level'> & { level: string | null })[]
  /** With `history: true` only. */
  history?: HistoryEntry[]
}

export type UserFilter = {
  organisationId?: string
  level?: Level
  meansStatus?: MeansStatus
  q?: string
  /** "Toon ook inactieve gebruikers": also the people afgemeld from these organisations (former_links). */
  inactief?: '1'
}

export type UserRow = {
  id: string
  firstName: string
  lastNamePrefix: string | null
  lastName: string
  email: string
  mobile: string | null
  level: Level | null
  meansStatus: MeansStatus | null
  meansValidUntil: Date | null
  mandates: number
  organisations: string[]
  /** Afgemeld: no longer linked to any of the admin's organisations. */
  formerOnly: boolean
}

type Cursor = { l: string; f: string; i: string }

/** Which of a person's means the list shows: the active one, else the requested one, else the latest. */
const PRIMARY_MEANS_ORDER = Prisma.sql`(status = 'active') desc, (status = 'requested') desc, valid_until desc`

/** The level and means-status filters on a means row of alias `m`. */
function meansTests(filter: UserFilter, m: 'm' | 'pm'): Prisma.Sql[] {
  const tests: Prisma.Sql[] = []
  if (filter.level) tests.push(Prisma.sql`${Prisma.raw(m)}.level = ${toDbLevel(filter.level)}::"Level"`)
  if (filter.meansStatus) tests.push(Prisma.sql`${Prisma.raw(m)}.status = ${filter.meansStatus}::"MeansStatus"`)
  return tests
}

/** The same filters on the shown means of member `l.user_id` (inside the members scan); null without them. */
function memberMeansCondition(filter: UserFilter): Prisma.Sql | undefined {
  const tests = meansTests(filter, 'pm')
  if (!tests.length) return undefined
  return Prisma.sql`exists (select 1 from (select level, status from means where user_id = l.user_id order by ${PRIMARY_MEANS_ORDER} limit 1) pm
    where ${Prisma.join(tests, ' and ')})`
}

/** Each admin organisation's place in the principal's (name) order, kept per principal (the principal cache keeps the array). */
const organisationPlaces = new WeakMap<readonly AdminOrganisation[], Map<string, number>>()
/** The admin's organisations in the page's statement (its `admin` CTE): one parameter for both tests. */
const ADMIN_SET = Prisma.sql`(select a.ids from admin a)`

function placesOf(principal: Principal): Map<string, number> {
  let places = organisationPlaces.get(principal.adminOrganisations)
  if (!places) {
    places = new Map(principal.adminOrganisations.map((o, i) => [o.id, i]))
    organisationPlaces.set(principal.adminOrganisations, places)
  }
  return places
}

/** The names of those of the admin's organisations that are among `ids`, in the principal's (name) order. */
function organisationNames(principal: Principal, ids: string[]): string[] {
  const places = placesOf(principal)
  const found: number[] = []
  for (const id of ids) {
    const place = places.get(id)
    if (place !== undefined) found.push(place)
  }
  return found.sort((a, b) => a - b).map((place) => principal.adminOrganisations[place]!.name)
}

export function encodeCursor(row: { lastName: string; firstName: string; id: string }): string {
  return Buffer.from(JSON.stringify({ l: row.lastName, f: row.firstName, i: row.id })).toString('base64url')
}

function decodeCursor(value: string | undefined): Cursor | null {
  if (!value) return null
  try {
    const c = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor
    if (typeof c.l === 'string' && typeof c.f === 'string' && isUuid(c.i)) return c
  } catch {
    /* an unreadable cursor is the first page */
  }
  return null
}

/** One event of a person's history: an audit entry as Logboek reads it, with its organisation's id instead of its name. */
export type HistoryEntry = Omit<AuditRow, 'organisationName' | 'kvkNumber'> & { organisationId: string | null }

/**
 * The person's history on their page: every event about the person, their means, mandates and
 * applications in the admin's organisations (or without one), newest 200. Per kind of subject a
 * lookup on audit_events(subject_type, subject_id), merged: as one OR of the four, PostgreSQL walked
 * the index on `at` backwards through everyone's entries instead (33 ms a page for a member of a
 * large organisation). `ids`: a text[] expression of each kind's ids (values, or a subquery).
 */
function historySql(principal: Principal, ids: { user: string; applications: Prisma.Sql; mandates: Prisma.Sql; means: Prisma.Sql }): Prisma.Sql {
  // Subject types are written as 'Mandate'/'Means'/'Application' by some paths and in lower case
  // by others: read both, so the page shows every event about the person, their means and mandates.
  const about = (type: AuditSubjectType, subjectIds: Prisma.Sql) =>
    Prisma.sql`select * from audit_events where subject_type = any(${storedSubjectTypes(type)}::text[]) and subject_id = any(${subjectIds})`
  return Prisma.sql`
    select a.id::text as id, a.at, a.actor_id as "actorId", a.actor_label as "actorLabel", a.action, a.organisation_id as "organisationId",
           a.subject_type as "subjectType", a.subject_id as "subjectId", a.before, a.after, a.ip_address as "ipAddress", a.request_id as "requestId"
    from (
      ${about('user', Prisma.sql`array[${ids.user}::text]`)}
      union all ${about('application', ids.applications)}
      union all ${about('mandate', ids.mandates)}
      union all ${about('means', ids.means)}
    ) a
    where a.organisation_id = any(${adminOrganisationIds(principal)}::uuid[]) or a.organisation_id is null
    order by a.at desc, a.id desc
    limit 200`
}

export class UsersService {
  constructor(
    private readonly db: PrismaClient,
    private readonly config: Config,
    /** For the names in a user's history (src/db/pageReads.ts). */
    private readonly pageReads: PageReads = prismaPageReads(db),
    /** When the list walks all organisations' links first (src/shared/members.ts; tests choose others). */
    private readonly membersWalk: IndexWalk = INDEX_WALK,
    /** The search's reads, planned for their pattern (PgPageReads with `plans: 'custom'`). */
    private readonly searchReads: PageReads = prismaPageReads(db),
  ) {
    this.catalogueNames = new CatalogueNamesCache(pageReads)
    this.searchTrigrams = new SearchTrigramsCache(pageReads)
  }

  /** For the search (src/shared/searchTrigrams.ts). */
  private readonly searchTrigrams: SearchTrigramsCache

  /** Service and provider names for a person's mandates (the catalogue, kept in memory: catalogueNames.ts). */
  private readonly catalogueNames: CatalogueNamesCache

  private scope(principal: Principal, filter: UserFilter): string[] {
    const ids = adminOrganisationIds(principal)
    if (filter.organisationId) return ids.includes(filter.organisationId) ? [filter.organisationId] : []
    return ids
  }

  /**
   * The users of the page: without a search, the organisations' members in name order from the
   * links' name index (src/shared/members.ts, bounded per organisation); with one, the trigram search
   * over users, tested for membership.
   */
  private async query(principal: Principal, filter: UserFilter, after: Cursor | null, limit: number): Promise<UserRow[]> {
    const orgIds = this.scope(principal, filter)
    if (orgIds.length === 0) return []
    const adminIds = adminOrganisationIds(principal)
    let source: Prisma.Sql
    const conditions: Prisma.Sql[] = []
    if (filter.q) {
      // The organisations of the search: all of the admin's (the statement's `admin` set, so the
      // statement carries them once), or the one chosen.
      const scope = orgIds === adminIds ? ADMIN_SET : orgIds
      const linked = Prisma.sql`exists (select 1 from organisation_links l where l.user_id = u.id and ${inOrganisationSet('l.organisation_id', scope)})`
      conditions.push(
        filter.inactief
          ? Prisma.sql`(${linked} or exists (select 1 from former_links f where f.user_id = u.id and ${inOrganisationSet('f.organisation_id', scope)}))`
          : linked,
        userMatches(filter.q, await this.searchTrigrams.get()),
      )
      conditions.push(...meansTests(filter, 'm'))
      if (after) conditions.push(Prisma.sql`(u.last_name, u.first_name, u.id) > (${after.l}, ${after.f}, ${after.i}::uuid)`)
      source = Prisma.sql`users u`
    } else {
      const members = await membersPage(
        this.pageReads,
        {
          organisationIds: orgIds,
          former: filter.inactief === '1',
          after: after && { lastName: after.l, firstName: after.f, userId: after.i },
          condition: memberMeansCondition(filter),
          limit,
        },
        this.membersWalk,
      )
      source = Prisma.sql`(${members}) c join users u on u.id = c.user_id`
    }
    const where = conditions.length ? Prisma.sql`where ${Prisma.join(conditions, ' and ')}` : Prisma.empty
    // Without a search the page is a keyed read of the page's members: through the page reads (no
    // Prisma, a generic plan). A search is planned for its pattern (the search reads: no Prisma either).
    const read = <T>(sql: Prisma.Sql) => (filter.q ? this.searchReads.rows<T>(sql) : this.pageReads.rows<T>(sql))
    const rows = await read<{
      id: string
      first_name: string
      last_name_prefix: string | null
      last_name: string
      email: string
      mobile: string | null
      level: string | null
      status: MeansStatus | null
      valid_until: Date | null
      mandates: number
      link_organisations: string
    }>(Prisma.sql`
      with admin as materialized (select ${adminIds}::uuid[] as ids)
      select u.id, u.first_name, u.last_name_prefix, u.last_name, u.email, u.mobile,
             m.level::text as level, m.status::text as status, m.valid_until,
             (select count(*)::int from mandates md
              where md.user_id = u.id and md.live and ${inOrganisationSet('md.organisation_id', ADMIN_SET)}) as mandates,
             array_to_string(array(select l.organisation_id from organisation_links l
              where l.user_id = u.id and ${inOrganisationSet('l.organisation_id', ADMIN_SET)}), ',') as link_organisations
      from ${source}
      left join lateral (
        select level, status, valid_until from means where user_id = u.id
        order by ${PRIMARY_MEANS_ORDER} limit 1
      ) m on true
      ${where}
      order by u.last_name, u.first_name, u.id
      limit ${limit}`)
    // A person's live mandates (`live`: active or pending, kept by a trigger) are counted from the index
    // (user_id, organisation_id, kind, scope_key, live) alone, without a table row each (525 rows on an
    // accountant's first page). They and a person's links are few; those of the admin's organisations are
    // counted and listed in the statement, each tested against the organisations as a hashed set, made once a
    // statement (inOrganisationSet: as `= any(…)` PostgreSQL sorted an accountant's 500 ids for every
    // row, 0.07 ms each). Sent whole, the ids of a person linked to twenty organisations were most of
    // the page's data. The link ids come as one text: PostgreSQL's array format cost more to parse.
    const ids = (text: string) => (text ? text.split(',') : [])
    return rows.map((r) => {
      const links = ids(r.link_organisations)
      return {
        id: r.id,
        firstName: r.first_name,
        lastNamePrefix: r.last_name_prefix,
        lastName: r.last_name,
        email: r.email,
        mobile: r.mobile,
        level: r.level === null ? null : fromDbLevel(r.level),
        meansStatus: r.status,
        meansValidUntil: r.valid_until,
        mandates: r.mandates,
        organisations: organisationNames(principal, links),
        // Afgemeld from every one of the admin's organisations: linked to none of them any more (a
        // separate NOT EXISTS was planned as a hashed scan of all of an accountant's 46,000 links).
        formerOnly: links.length === 0,
      }
    })
  }

  /** One page (keyset on last name, first name, id) and the cursor of the next page. */
  async list(principal: Principal, filter: UserFilter, after?: string): Promise<{ rows: UserRow[]; next: string | null }> {
    const rows = await this.query(principal, filter, decodeCursor(after), PAGE_SIZE + 1)
    const page = rows.slice(0, PAGE_SIZE)
    return { rows: page, next: rows.length > PAGE_SIZE ? encodeCursor(page[page.length - 1]!) : null }
  }

  async exportRows(principal: Principal, filter: UserFilter): Promise<UserRow[]> {
    return this.query(principal, filter, null, EXPORT_LIMIT)
  }

  /**
   * A user linked to one of the admin's organisations, with only what belongs to those organisations,
   * and whether the account is activated.
   */
  async detail(principal: Principal, userId: string, options: { history?: boolean } = {}) {
    const orgIds = adminOrganisationIds(principal)
    if (!isUuid(userId)) throw new NotFoundError()
    // The person and each relation (and the history, when asked) in one statement through the page
    // reads, each relation a json array in its order: one round trip instead of six, or seven (the
    // app's CPU for a page read is mostly its round trip, about 0.2 ms). The admin's organisations are
    // binary array parameters (arrayParameter). Every relation but the person's own means names its
    // organisations (docs/SCALING.md).
    const relation = (select: Prisma.Sql, order: Prisma.Sql) => Prisma.sql`(select coalesce(json_agg(r order by ${order}), '[]') from (${select}) r)`
    // The person's means, mandates and applications here are CTEs: the relations list them and the
    // history reads the entries about them (each written once, with its organisation scope).
    const [read] = await this.pageReads.rows<DetailRead>(Prisma.sql`
      with own_means as (${ownMeansSql(userId)}), held as (
        select m.id, m.kind, m.user_id as "userId", m.organisation_id as "organisationId", m.scope, m.service_id as "serviceId",
               m.provider_id as "providerId", m.level::text as level, m.branch_id as "branchId", m.valid_from as "validFrom",
               m.valid_until as "validUntil", m.status, m.scope_key as "scopeKey", m.live, m.granted_by_id as "grantedById",
               m.revoked_at as "revokedAt", m.suspended_means_id as "suspendedMeansId", m.created_at as "createdAt", m.updated_at as "updatedAt"
        from mandates m
        where m.user_id = ${userId}::uuid and m.organisation_id = any(${orgIds}::uuid[])
      ), applied as (
        select a.id, a.organisation_id as "organisationId", a.type, a.status, a.level::text as level, a.term_years as "termYears",
               a.subject_user_id as "subjectUserId", a.requested_by_id as "requestedById", a.rejection_reason as "rejectionReason",
               a.created_at as "createdAt", a.updated_at as "updatedAt", a.decided_at as "decidedAt"
        from applications a
        where a.subject_user_id = ${userId}::uuid and a.organisation_id = any(${orgIds}::uuid[])
      )
      select
        (select row_to_json(p) from (
          select u.id, u.first_name as "firstName", u.last_name_prefix as "lastNamePrefix", u.last_name as "lastName", u.email,
                 u.date_of_birth as "dateOfBirth", u.mobile, u.locale, u.password_hash is not null as activated
          from users u where u.id = ${userId}::uuid) p) as person,
        ${relation(Prisma.sql`select * from own_means`, Prisma.sql`r."validUntil" desc, r.id`)} as means,
        ${relation(
          Prisma.sql`
          select l.id, l.user_id as "userId", l.organisation_id as "organisationId", l.external_id as "externalId",
                 l.last_name as "lastName", l.first_name as "firstName", l.created_at as "createdAt"
          from organisation_links l
          where l.user_id = ${userId}::uuid and l.organisation_id = any(${orgIds}::uuid[])`,
          Prisma.sql`r."createdAt", r.id`,
        )} as links,
        ${relation(
          Prisma.sql`
          select f.id, f.user_id as "userId", f.organisation_id as "organisationId", f.ended_at as "endedAt",
                 f.ended_by_id as "endedById", f.last_name as "lastName", f.first_name as "firstName"
          from former_links f
          where f.user_id = ${userId}::uuid and f.organisation_id = any(${orgIds}::uuid[])`,
          Prisma.sql`r."endedAt", r.id`,
        )} as "formerLinks",
        ${relation(Prisma.sql`select * from held`, Prisma.sql`r.status, r."validUntil", r.id`)} as mandates,
        ${relation(Prisma.sql`select * from applied`, Prisma.sql`r."createdAt" desc, r.id`)} as applications
        ${
          options.history
            ? Prisma.sql`, (select coalesce(json_agg(h order by h.at desc, h.id::bigint desc), '[]') from (${historySql(principal, {
                user: userId,
                applications: Prisma.sql`array(select x.id::text from applied x)`,
                mandates: Prisma.sql`array(select x.id::text from held x)`,
                means: Prisma.sql`array(select x.id::text from own_means x)`,
              })}) h) as history`
            : Prisma.empty
        }`)
    const person = read?.person ? reviveDates([read.person], ['dateOfBirth'])[0] : undefined
    const means = toOwnMeans(reviveDates(read?.means ?? [], OWN_MEANS_DATES))
    const links = reviveDates(read?.links ?? [], ['createdAt'])
    const formerLinks = reviveDates(read?.formerLinks ?? [], ['endedAt'])
    const mandates = reviveDates(read?.mandates ?? [], ['validFrom', 'validUntil', 'revokedAt', 'createdAt', 'updatedAt'])
    const applications = reviveDates(read?.applications ?? [], ['createdAt', 'updatedAt', 'decidedAt'])
    if (!person) throw new NotFoundError()
    const { activated, ...data } = person
    const found = {
      ...data,
      means,
      links,
      formerLinks,
      mandates: mandates.map((m): Mandate => withFields(m, { level: fromDbLevel(m.level) })),
      applications: applications.map((a): Application => withFields(a, { level: a.level === null ? null : fromDbLevel(a.level) })),
    }
    if (found.links.length === 0 && found.formerLinks.length === 0) throw new NotFoundError()
    // Every row above is of one of the admin's organisations, whose names and KvK numbers the principal
    // holds (kept current by principal_version), and every service is in the catalogue: named here
    // rather than by six more queries through Prisma (one per relation), which were half of the page's.
    const organisations = adminOrganisationsById(principal)
    const organisationOf = (id: string) => {
      const o = organisations.get(id)!
      return { id: o.id, name: o.name, kvkNumber: o.kvkNumber }
    }
    const names = await this.catalogueNames.get((known) => found.mandates.every((m) => namesKnow(known, m.serviceId, m.providerId)))
    const user = {
      ...found,
      links: found.links.map((l) => withFields(l, { organisation: organisationOf(l.organisationId) })),
      formerLinks: found.formerLinks.map((l) => withFields(l, { organisation: organisationOf(l.organisationId) })),
      mandates: found.mandates.map((m) =>
        withFields(m, {
          organisation: { name: organisationOf(m.organisationId).name },
          service: m.serviceId ? { name: names.services.get(m.serviceId)?.name ?? '' } : null,
          provider: m.providerId ? { name: names.providers.get(m.providerId) ?? '' } : null,
        }),
      ),
      applications: found.applications.map((a) => withFields(a, { organisation: { name: organisationOf(a.organisationId).name } })),
    }
    // Activated: the person has set a password (ActivationService.isActivated), read with the person.
    return { user, activated, history: reviveDates(read?.history ?? [], ['at']) }
  }

  /** The history (historySql) of a person `detail` gave; the person's page reads it with the person (detail's `history`). */
  async history(principal: Principal, user: { id: string; means: { id: string }[]; mandates: { id: string }[]; applications: { id: string }[] }) {
    const ids = (rows: { id: string }[]) => Prisma.sql`${rows.map((x) => x.id)}::text[]`
    return this.pageReads.rows<HistoryEntry>(
      historySql(principal, {
        user: user.id,
        applications: ids(user.applications),
        mandates: ids(user.mandates),
        means: ids(user.means),
      }),
    )
  }

  /** The names behind a page of audit entries, for their sentences (src/shared/auditSentences.ts). */
  auditNames(principal: Principal, t: TFunction, refs: AuditRef[]): Promise<AuditNames> {
    return auditNames(this.pageReads, principal, t, refs)
  }

  /**
   * An upgrade of the user's active means to a higher level (item 4), signed by the admin:
   * EH2+ is issued at once, EH3/EH4 wait for the identity check. Mandates stay as they are.
   */
  /** The checks of an upgrade, without writing: what the confirmation page shows and is bound to (`version`). */
  async previewUpgrade(principal: Principal, input: { userId: string; organisationId: string; level: Level }) {
    assertAdministers(principal, input.organisationId)
    const organisation = principal.adminOrganisations.find((o) => o.id === input.organisationId)!
    const { user } = await this.detail(principal, input.userId)
    if (!user.links.some((l) => l.organisationId === organisation.id)) throw new NotFoundError()
    const means = user.means.find((m) => m.status === 'active')
    if (!means) throw new RuleViolation('users:upgrade.errors.noActiveMeans', 'level')
    if (levelAtLeast(means.level, input.level)) throw new RuleViolation('users:upgrade.errors.notHigher', 'level')
    assertWithinAdminLevel(organisation.level, input.level, { key: 'users:upgrade.errors.aboveAdmin', field: 'level' })
    const open = user.applications.filter((a) => a.type === 'upgrade' && isOpenApplication(a.status))
    const version = createHash('sha256')
      .update([means.id, means.level, means.validUntil.toISOString(), input.level, organisation.id, ...open.map((a) => a.id)].join('|'))
      .digest('hex')
      .slice(0, 24)
    return { organisation, user, means, version, alreadyOpen: open.length > 0 }
  }

  async requestUpgrade(principal: Principal, actor: Actor, input: { userId: string; organisationId: string; level: Level; version: string }): Promise<string> {
    const { organisation, user, means, version, alreadyOpen } = await this.previewUpgrade(principal, input)
    if (version !== input.version) throw new ConflictError()
    if (alreadyOpen) throw new RuleViolation('users:upgrade.errors.alreadyOpen', 'level')
    return this.db.$transaction(async (tx) => {
      const app = await tx.application.create({
        data: {
          organisationId: organisation.id,
          type: 'upgrade',
          status: 'awaiting_signature',
          level: input.level,
          subjectUserId: user.id,
          requestedById: principal.id,
          items: { create: { details: { meansId: means.id, fromLevel: means.level, level: input.level } } },
          signatures: { create: { signerType: 'admin', adminUserId: principal.id } },
        },
      })
      const after = { type: 'upgrade', userId: user.id, fromLevel: means.level, level: input.level, signedBy: principal.id }
      await recordAudit(tx, actor, applicationEntry(app, 'application.created', { after }))
      return proceed(tx, app.id, actor, this.config.baseUrl)
    })
  }
}
