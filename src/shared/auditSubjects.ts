// Who and what audit entries are about, read in one batch per page: the actor's name, the subject's
// name ("Jan Smit voor Aangifte omzetbelasting") and the page to open it on, but only a page the
// viewer may open (an admin: users linked to his organisations and their applications; the back
// office: the outgoing-mail page). Logboek and the history pages use it with `auditSentence`.
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { TFunction } from 'i18next'
import { currentSubjectType, type AuditSubjectType } from '../domain/auditActions.ts'
import { personName } from '../domain/names.ts'
import { links } from '../paths.ts'
import type { Principal } from './principal.ts'

export type AuditSubject = { name: string; href: string | null }
export type AuditNames = {
  actors: Map<string, string>
  subjects: Map<string, AuditSubject>
}

export type AuditRef = { actorId?: string | null; subjectType: string; subjectId: string | null }

const key = (type: AuditSubjectType, id: string) => `${type}:${id}`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const person = { firstName: true, lastNamePrefix: true, lastName: true, id: true } as const

type Named = { firstName: string; lastNamePrefix: string | null; lastName: string; id: string }

function idsOf(refs: AuditRef[], type: AuditSubjectType): string[] {
  return [...new Set(refs.filter((r) => currentSubjectType(r.subjectType) === type && r.subjectId && UUID.test(r.subjectId)).map((r) => r.subjectId!))]
}

/** The scope name of a mandate-like row: its service, "alle diensten van <provider>", or "alle diensten". */
function scopeName(t: TFunction, row: { scope: string; service: { name: string } | null; provider: { name: string } | null }): string {
  if (row.scope === 'service' && row.service) return row.service.name
  if (row.scope === 'provider' && row.provider) return t('audit:subject.provider', { name: row.provider.name })
  return t('audit:subject.allServices')
}

/** Reads the names and pages of the actors and subjects of `refs` (a few queries, whatever the page size). */
export async function auditNames(db: PrismaClient, principal: Principal, t: TFunction, refs: AuditRef[]): Promise<AuditNames> {
  const actorIds = [...new Set(refs.map((r) => r.actorId).filter((id): id is string => Boolean(id)))]
  const userIds = idsOf(refs, 'user')
  const [actors, users, mandates, applications, linkRequests, means, mails] = await Promise.all([
    db.user.findMany({ where: { id: { in: actorIds } }, select: person }),
    db.user.findMany({ where: { id: { in: userIds } }, select: person }),
    db.mandate.findMany({
      where: { id: { in: idsOf(refs, 'mandate') } },
      select: { id: true, scope: true, user: { select: person }, service: { select: { name: true } }, provider: { select: { name: true } } },
    }),
    db.application.findMany({
      where: { id: { in: idsOf(refs, 'application') } },
      select: { id: true, type: true, level: true, subjectUser: { select: person } },
    }),
    db.linkRequest.findMany({ where: { id: { in: idsOf(refs, 'link_request') } }, select: { id: true, email: true, user: { select: person } } }),
    db.means.findMany({ where: { id: { in: idsOf(refs, 'means') } }, select: { id: true, user: { select: person } } }),
    db.outgoingMail.findMany({ where: { id: { in: idsOf(refs, 'outgoing_mail') } }, select: { id: true, toAddress: true } }),
  ])
  const people: Named[] = [
    ...users,
    ...mandates.map((m) => m.user),
    ...applications.flatMap((a) => (a.subjectUser ? [a.subjectUser] : [])),
    ...linkRequests.flatMap((r) => (r.user ? [r.user] : [])),
    ...means.map((m) => m.user),
  ]
  const admin = principal.role !== 'backoffice' ? principal.adminOrganisations.map((o) => o.id) : []
  const visible = new Set(
    admin.length === 0
      ? []
      : (
          await db.organisationLink.findMany({
            where: { userId: { in: [...new Set(people.map((p) => p.id))] }, organisationId: { in: admin } },
            select: { userId: true },
          })
        ).map((l) => l.userId),
  )
  const userHref = (u: Named | null | undefined) => (u && visible.has(u.id) ? links.userDetail(u.id) : null)
  const subjects = new Map<string, AuditSubject>()
  for (const u of users) subjects.set(key('user', u.id), { name: personName(u), href: userHref(u) })
  for (const m of mandates)
    subjects.set(key('mandate', m.id), { name: t('audit:subject.mandate', { holder: personName(m.user), scope: scopeName(t, m) }), href: userHref(m.user) })
  for (const a of applications) {
    const type = t(`applications:type.${a.type}`) + (a.level ? ` ${t(`common:levels.${a.level}`)}` : '')
    const name = a.subjectUser ? t('audit:subject.application', { type, user: personName(a.subjectUser) }) : type
    subjects.set(key('application', a.id), { name, href: admin.length ? links.applicationDetail(a.id) : null })
  }
  for (const r of linkRequests) subjects.set(key('link_request', r.id), { name: r.user ? personName(r.user) : (r.email ?? ''), href: userHref(r.user) })
  for (const m of means) subjects.set(key('means', m.id), { name: personName(m.user), href: userHref(m.user) })
  for (const m of mails) subjects.set(key('outgoing_mail', m.id), { name: m.toAddress, href: principal.role === 'backoffice' ? links.backofficeMail() : null })
  return { actors: new Map(actors.map((a) => [a.id, personName(a)])), subjects }
}

/** The subject of one entry, or null when it no longer exists or is not a known kind. */
export function auditSubject(names: AuditNames, ref: AuditRef): AuditSubject | null {
  const type = currentSubjectType(ref.subjectType)
  if (!type || !ref.subjectId) return null
  return names.subjects.get(key(type, ref.subjectId)) ?? null
}
