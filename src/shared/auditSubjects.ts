// Who and what audit entries are about, read in one batch per page: the actor's name, the subject's
// name ("Jan Smit voor Aangifte omzetbelasting") and the page to open it on, but only a page the
// viewer may open (an admin: users linked to his organisations and their applications; the back
// office: the outgoing-mail page). Logboek and the history pages use it with `auditSentence`.
import { Prisma } from '../generated/prisma/client.ts'
import type { PageReads } from '../db/pageReads.ts'
import type { TFunction } from 'i18next'
import { currentSubjectType, type AuditSubjectType } from '../domain/auditActions.ts'
import { namePartsOf, personName } from '../domain/names.ts'
import { links } from '../paths.ts'
import { adminOrganisationIds } from '../policy/access.ts'
import type { Principal } from './principal.ts'

export type AuditSubject = { name: string; href: string | null }
export type AuditNames = {
  actors: Map<string, string>
  subjects: Map<string, AuditSubject>
}

export type AuditRef = { actorId?: string | null; subjectType: string; subjectId: string | null }

const key = (type: AuditSubjectType, id: string) => `${type}:${id}`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
type Named = { firstName: string; lastNamePrefix: string | null; lastName: string; id: string }

function idsOf(refs: AuditRef[], type: AuditSubjectType): string[] {
  return [...new Set(refs.filter((r) => currentSubjectType(r.subjectType) === type && r.subjectId && UUID.test(r.subjectId)).map((r) => r.subjectId!))]
}

/** The scope name of a mandate row: its service, "alle diensten van <provider>", or "alle diensten". */
function scopeName(t: TFunction, row: NameRow): string {
  if (row.scope === 'service' && row.service_name) return row.service_name
  if (row.scope === 'provider' && row.provider_name) return t('audit:subject.provider', { name: row.provider_name })
  return t('audit:subject.allServices')
}

type Kind = 'actor' | AuditSubjectType

/** One actor or subject with the person it names (if any); the columns a kind does not use are null. */
type NameRow = {
  kind: Kind
  id: string
  person_id: string | null
  first_name: string | null
  last_name_prefix: string | null
  last_name: string | null
  visible: boolean
  scope: string | null
  service_name: string | null
  provider_name: string | null
  app_type: string | null
  app_level: string | null
  email: string | null
}

/**
 * The person columns of alias u, and whether the viewer may open that person's page (linked to one of
 * the admin's organisations). A scalar subquery with LIMIT over the person's own links
 * (organisation_links(user_id, organisation_id)): as an EXISTS the generic plan hashed all of a large
 * organisation's links first (100,000 for Groot, 50 ms a page). The admin's organisations are a filter
 * on the person's own few links, never an index condition: `organisation_id = any(…)` probed the index
 * once per organisation of an accountant's 500 for every person (10 ms a Logboek page), and
 * `in (select unnest(…))` unnested and hashed the 500 again for every person (1.2 ms a page). Array
 * containment (`<@`) is no index condition here and compares each link with the array in place. The
 * array is the statement's one `admin` row (namesSql), read once: as a parameter of each of the six
 * lookups and the two below it was eight copies of an accountant's 500 ids to send and parse.
 */
const PERSON = Prisma.sql`u.id as person_id, u.first_name, u.last_name_prefix, u.last_name,
    coalesce((select true from organisation_links l where l.user_id = u.id and array[l.organisation_id] <@ (select x.ids from admin x) limit 1), false) as visible`

const NO_PERSON = Prisma.sql`null::uuid as person_id, null::text as first_name, null::text as last_name_prefix, null::text as last_name, false as visible`
const NO_MANDATE = Prisma.sql`null::text as scope, null::text as service_name, null::text as provider_name`
const NO_APPLICATION = Prisma.sql`null::text as app_type, null::text as app_level`

/**
 * Every actor and subject of a page in one statement (a UNION ALL of keyed lookups), through the
 * page-read pool: Prisma made it fifteen queries a page, one per kind and one per relation, most of
 * them empty (src/db/pageReads.ts).
 */
function namesSql(refs: AuditRef[], admin: string[], backOffice: boolean): Prisma.Sql {
  const actorIds = [...new Set(refs.map((r) => r.actorId).filter((id): id is string => Boolean(id && UUID.test(id))))]
  // An admin's applications and link requests are those of his organisations (the pages he sees name
  // no others), and the organisation routes the lookup (docs/SCALING.md); the back office sees all.
  const ofAdmin = (alias: string) =>
    backOffice ? Prisma.empty : Prisma.sql`and ${Prisma.raw(alias)}.organisation_id = any((select x.ids from admin x)::uuid[])`
  return Prisma.sql`
    with admin as materialized (select ${admin}::uuid[] as ids)
    select 'actor' as kind, u.id::text as id, ${PERSON}, ${NO_MANDATE}, ${NO_APPLICATION}, null::text as email
      from users u where u.id = any(${actorIds}::uuid[])
    union all
    select 'user', u.id::text, ${PERSON}, ${NO_MANDATE}, ${NO_APPLICATION}, null
      from users u where u.id = any(${idsOf(refs, 'user')}::uuid[])
    union all
    select 'mandate', m.id::text, ${PERSON}, m.scope::text, s.name::text, sp.name::text, ${NO_APPLICATION}, null
      from mandates m join users u on u.id = m.user_id
      left join services s on s.id = m.service_id
      left join service_providers sp on sp.id = m.provider_id
      where m.id = any(${idsOf(refs, 'mandate')}::uuid[])
    union all
    select 'application', a.id::text, ${PERSON}, ${NO_MANDATE}, a.type::text, a.level::text, null
      from applications a left join users u on u.id = a.subject_user_id
      where a.id = any(${idsOf(refs, 'application')}::uuid[]) ${ofAdmin('a')}
    union all
    select 'link_request', r.id::text, ${PERSON}, ${NO_MANDATE}, ${NO_APPLICATION}, r.email::text
      from link_requests r left join users u on u.id = r.user_id
      where r.id = any(${idsOf(refs, 'link_request')}::uuid[]) ${ofAdmin('r')}
    union all
    select 'means', x.id::text, ${PERSON}, ${NO_MANDATE}, ${NO_APPLICATION}, null
      from means x join users u on u.id = x.user_id
      where x.id = any(${idsOf(refs, 'means')}::uuid[])
    union all
    select 'outgoing_mail', o.id::text, ${NO_PERSON}, ${NO_MANDATE}, ${NO_APPLICATION}, o.to_address::text
      from outgoing_mail o where o.id = any(${idsOf(refs, 'outgoing_mail')}::uuid[])`
}

/** The person a row names, or null (an application without a subject, a link request by e-mail). */
function personOf(row: NameRow): Named | null {
  const parts = namePartsOf(row.first_name, row.last_name_prefix, row.last_name)
  return row.person_id && parts ? { id: row.person_id, ...parts } : null
}

/** Reads the names and pages of the actors and subjects of `refs` (one statement, whatever the page size). */
export async function auditNames(reads: PageReads, principal: Principal, t: TFunction, refs: AuditRef[]): Promise<AuditNames> {
  // No entries (a person's page without history, an empty Logboek): nothing to name, no round trip.
  if (refs.length === 0) return { actors: new Map(), subjects: new Map() }
  const backOffice = principal.role === 'backoffice'
  const admin = backOffice ? [] : adminOrganisationIds(principal)
  const rows = await reads.rows<NameRow>(namesSql(refs, admin, backOffice))
  const actors = new Map<string, string>()
  const subjects = new Map<string, AuditSubject>()
  for (const row of rows) {
    const who = personOf(row)
    const href = who && row.visible ? links.userDetail(who.id) : null
    if (row.kind === 'actor') {
      if (who) actors.set(row.id, personName(who))
    } else if (row.kind === 'user' || row.kind === 'means') {
      if (who) subjects.set(key(row.kind, row.id), { name: personName(who), href })
    } else if (row.kind === 'mandate') {
      if (who) subjects.set(key('mandate', row.id), { name: t('audit:subject.mandate', { holder: personName(who), scope: scopeName(t, row) }), href })
    } else if (row.kind === 'application') {
      const type = t(`applications:type.${row.app_type}`) + (row.app_level ? ` ${t(`common:levels.${row.app_level}`)}` : '')
      const name = who ? t('audit:subject.application', { type, user: personName(who) }) : type
      subjects.set(key('application', row.id), { name, href: admin.length ? links.applicationDetail(row.id) : null })
    } else if (row.kind === 'link_request') {
      subjects.set(key('link_request', row.id), { name: who ? personName(who) : (row.email ?? ''), href })
    } else if (row.kind === 'outgoing_mail') {
      subjects.set(key('outgoing_mail', row.id), { name: row.email ?? '', href: principal.role === 'backoffice' ? links.backofficeMail() : null })
    }
  }
  return { actors, subjects }
}

/** The subject of one entry, or null when it no longer exists or is not a known kind. */
export function auditSubject(names: AuditNames, ref: AuditRef): AuditSubject | null {
  const type = currentSubjectType(ref.subjectType)
  if (!type || !ref.subjectId) return null
  return names.subjects.get(key(type, ref.subjectId)) ?? null
}
