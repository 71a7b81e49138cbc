// Renewing one mandate or means: shared by the renewal link (src/features/renewal) and the signed
// renewal application (shared/workflows/applications.ts). Rule 4 (terms, from the current end or
// today, never beyond 5 years from today) comes from the domain; rule 3 follows for a means.
import type { Db, Tx } from '../../db/tx.ts'
import { RuleViolation } from '../../errors.ts'
import type { Level } from '../../generated/prisma/client.ts'
import { isoDate, todayUtc } from '../../domain/dates.ts'
import { personName, type PersonNameParts } from '../../domain/names.ts'
import { addYearsClamped, latestEnd, renewalBase, type Term } from '../../domain/terms.ts'
import type { Actor } from '../actor.ts'
import { recordAudit } from '../audit.ts'
import { queueMail } from '../outbox.ts'
import { carryAdminMandatesWithMeans } from './adminMandates.ts'
import { markIssued } from './applicationStatus.ts'

export type RenewalItem = {
  kind: 'mandate' | 'means'
  id: string
  holderId: string
  holderName: string
  holderEmail: string
  holderLocale: string
  organisationId: string | null
  organisationName: string | null
  scope: 'all' | 'provider' | 'service' | null
  serviceName: string | null
  providerName: string | null
  level: Level
  validUntil: Date
  status: string
}

type Held = { id: string; userId: string; user: PersonNameParts & { email: string; locale: string }; level: Level; validUntil: Date; status: string }

/** What a mandate and a means have in common as a renewal item: the holder, the level, the end and the status. */
function heldItem(kind: RenewalItem['kind'], m: Held) {
  const holder = { holderId: m.userId, holderName: personName(m.user), holderEmail: m.user.email, holderLocale: m.user.locale }
  return { kind, id: m.id, ...holder, level: m.level, validUntil: m.validUntil, status: m.status }
}

export async function loadRenewalItem(db: Db | Tx, type: 'mandate' | 'means', id: string): Promise<RenewalItem | null> {
  if (type === 'mandate') {
    const m = await db.mandate.findUnique({ where: { id }, include: { user: true, organisation: true, service: true, provider: true } })
    if (!m) return null
    const scope = { scope: m.scope, serviceName: m.service?.name ?? null, providerName: m.provider?.name ?? null }
    return { ...heldItem('mandate', m), organisationId: m.organisationId, organisationName: m.organisation.name, ...scope }
  }
  const m = await db.means.findUnique({ where: { id }, include: { user: true } })
  if (!m) return null
  return { ...heldItem('means', m), organisationId: null, organisationName: null, scope: null, serviceName: null, providerName: null }
}

export async function renewItemNow(tx: Tx, item: RenewalItem, until: Date, termYears: Term, actor: Actor, organisationId: string): Promise<Date> {
  const before = { validUntil: isoDate(item.validUntil), status: item.status }
  try {
    if (item.kind === 'mandate') {
      await tx.mandate.update({ where: { id: item.id }, data: { validUntil: until, status: 'active' } })
    } else {
      await tx.means.update({ where: { id: item.id }, data: { validUntil: until, status: 'active' } })
    }
  } catch {
    // A database rule refused it (another live mandate for the same scope, the holder's means level).
    throw new RuleViolation('renewal:errors.cannotRenew')
  }
  // Rule 3: the holder's admin mandates resting on this means follow its new end; when the means
  // had ended, the ones that ended with it come back (never a revoked one).
  const carried =
    item.kind === 'means'
      ? await carryAdminMandatesWithMeans(tx, actor, item.id, {
          reactivateFrom: item.status === 'expired' || item.validUntil < todayUtc() ? item.validUntil : undefined,
        })
      : []
  const adminOrganisations = carried.length
    ? (await tx.organisation.findMany({ where: { id: { in: carried.map((m) => m.organisationId) } }, select: { name: true }, orderBy: { name: 'asc' } })).map(
        (o) => o.name,
      )
    : undefined
  await recordAudit(tx, actor, {
    action: item.kind === 'mandate' ? 'mandate.renewed' : 'means.renewed',
    organisationId: item.kind === 'mandate' ? item.organisationId : organisationId,
    subjectType: item.kind === 'mandate' ? 'mandate' : 'means',
    subjectId: item.id,
    before,
    after: { validUntil: isoDate(until), status: 'active', termYears, via: 'renewal-link' },
  })
  await queueMail(tx, {
    idempotencyKey: `renewal-done:${item.kind}:${item.id}:${isoDate(until)}`,
    to: item.holderEmail,
    template: 'renewal-done',
    locale: item.holderLocale,
    data: {
      name: item.holderName,
      kind: item.kind,
      level: item.level,
      validUntil: isoDate(until),
      termYears,
      organisationName: item.organisationName ?? undefined,
      scope: item.scope ?? undefined,
      serviceName: item.serviceName ?? undefined,
      providerName: item.providerName ?? undefined,
      adminOrganisations,
    },
  })
  return until
}

/**
 * Carries out a renewal application once it is signed (by an admin or enough legal representatives):
 * the mandate or means is extended from its current end (or today when expired) by the term.
 */
export async function carryOutRenewalApplication(tx: Tx, applicationId: string, actor: Actor, now = new Date()): Promise<void> {
  const app = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, include: { items: true } })
  const details = (app.items[0]?.details ?? {}) as { target?: 'mandate' | 'means'; mandateId?: string; meansId?: string }
  const termYears = (app.termYears ?? 1) as Term
  const target = details.target === 'means' ? 'means' : 'mandate'
  const item = await loadRenewalItem(tx, target, (target === 'means' ? details.meansId : details.mandateId) ?? '')
  if (!item || (item.status !== 'active' && item.status !== 'expired')) throw new RuleViolation('renewal:errors.cannotRenew')
  const today = todayUtc(now)
  const until = addYearsClamped(renewalBase(item.validUntil, today), termYears)
  if (until > latestEnd(today)) throw new RuleViolation('renewal:errors.tooLong', undefined, { years: termYears })
  await renewItemNow(tx, item, until, termYears, actor, app.organisationId)
  await markIssued(tx, actor, app, now, { type: 'renewal', validUntil: isoDate(until) })
}
