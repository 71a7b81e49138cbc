// Renewal through the link in an expiry notice (/verlengen/<token>), rule 4 and 15.
// - The link names one mandate or means (ActionToken, purpose 'renewal', subject {type, id, validUntil});
//   it works without login, only for that item, once, until it expires; after any renewal of the item
//   (its end changed) older links for it no longer work.
// - An admin of the item's organisation (logged in, at or above the item's level, rule 2) renews at once.
// - Anyone else creates a renewal application (awaiting_signature) for the legal representatives, who
//   each get a 'legal-representative-notification' with a signing link (rule 12).
// - Renewing extends from the current end, or from today when it has expired, by 1, 3 or 5 years;
//   refused when that ends more than 5 years from today. Audited; the holder gets 'renewal-done'.
// Bulk renewal from the Beheer pages lives in src/features/mandates; this service does not depend on it.
import type { Db } from '../../db/prisma.ts'
import { AppError, RuleViolation } from '../../errors.ts'
import type { Level } from '../../generated/prisma/client.ts'
import { addDays, addYears, isoDate, todayUtc } from '../../web/dates.ts'
import type { Actor } from '../audit/actor.ts'
import { recordAudit, type Tx } from '../audit/audit.ts'
import type { Principal } from '../auth/principal.ts'
import { queueMail, queueMails } from '../mail/outbox.ts'
import { carryAdminMandatesWithMeans } from '../mandates/adminMandateRule.ts'
import { hashToken, looksLikeToken, newToken } from './tokens.ts'

export const TERMS = [1, 3, 5] as const
export type Term = (typeof TERMS)[number]
export const SIGNING_LINK_DAYS = 30
const LEVEL_ORDER: Level[] = ['EH2', 'EH2_PLUS', 'EH3', 'EH4']

export type RenewalLinkProblem = 'invalid' | 'expired' | 'used' | 'unavailable'

/** The link cannot be used; the page explains why in Dutch. Nothing was changed. */
export class RenewalLinkError extends AppError {
  override name = 'RenewalLinkError'
  constructor(readonly problem: RenewalLinkProblem) {
    super(`renewal link ${problem}`, problem === 'invalid' ? 404 : 410)
  }
}

type Subject = { type: 'mandate' | 'means'; id: string; validUntil: string }

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

export type RenewalPage = {
  item: RenewalItem
  expired: boolean
  /** The actor may renew at once (admin of the organisation at or above the item's level). */
  adminOrganisationId: string | null
  terms: { years: Term; until: Date; allowed: boolean }[]
}

export type RenewalOutcome =
  | { outcome: 'renewed'; validUntil: Date; item: RenewalItem }
  | { outcome: 'applied'; applicationId: string; item: RenewalItem }

function fullName(u: { firstName: string; lastNamePrefix: string | null; lastName: string }): string {
  return [u.firstName, u.lastNamePrefix, u.lastName].filter(Boolean).join(' ')
}

function levelAtLeast(a: Level, b: Level): boolean {
  return LEVEL_ORDER.indexOf(a) >= LEVEL_ORDER.indexOf(b)
}

export function renewalBase(validUntil: Date, today: Date): Date {
  return validUntil < today ? today : validUntil
}

export class RenewalService {
  constructor(private readonly db: Db) {}

  /** What the link renews, for the page; throws RenewalLinkError when it cannot be used. */
  async open(token: unknown, principal: Principal | null): Promise<RenewalPage> {
    const { item } = await this.resolve(this.db, token, false)
    return this.page(item, principal)
  }

  async renew(token: unknown, termYears: Term, actor: Actor): Promise<RenewalOutcome> {
    return this.db.$transaction(async (tx) => {
      const { item, tokenId } = await this.resolve(tx, token, true)
      const page = await this.page(item, actor.principal, tx)
      const term = page.terms.find((t) => t.years === termYears)
      if (!term) throw new RuleViolation('renewal:errors.term', 'termYears')
      if (!term.allowed) throw new RuleViolation('renewal:errors.tooLong', 'termYears', { years: termYears })
      await tx.actionToken.update({ where: { id: tokenId }, data: { usedAt: new Date() } })
      if (page.adminOrganisationId) {
        const validUntil = await this.renewNow(tx, item, term.until, termYears, actor, page.adminOrganisationId)
        return { outcome: 'renewed' as const, validUntil, item }
      }
      const applicationId = await this.apply(tx, item, termYears, actor)
      return { outcome: 'applied' as const, applicationId, item }
    })
  }

  private async resolve(db: Db | Tx, token: unknown, lock: boolean): Promise<{ item: RenewalItem; tokenId: string }> {
    if (!looksLikeToken(token)) throw new RenewalLinkError('invalid')
    const hash = hashToken(token)
    const rows = lock
      ? await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM action_tokens WHERE token_hash = ${hash} AND purpose = 'renewal' FOR UPDATE`
      : await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM action_tokens WHERE token_hash = ${hash} AND purpose = 'renewal'`
    if (!rows[0]) throw new RenewalLinkError('invalid')
    const record = await db.actionToken.findUniqueOrThrow({ where: { id: rows[0].id } })
    if (record.usedAt) throw new RenewalLinkError('used')
    if (record.expiresAt <= new Date()) throw new RenewalLinkError('expired')
    const subject = record.subject as Partial<Subject>
    if ((subject.type !== 'mandate' && subject.type !== 'means') || typeof subject.id !== 'string') throw new RenewalLinkError('invalid')
    const item = await this.loadItem(db, subject.type, subject.id)
    if (!item) throw new RenewalLinkError('invalid')
    // Renewed since the link was sent (another link, the Beheer pages): this link is spent.
    if (subject.validUntil && isoDate(item.validUntil) !== subject.validUntil) throw new RenewalLinkError('used')
    if (item.status !== 'active' && item.status !== 'expired') throw new RenewalLinkError('unavailable')
    return { item, tokenId: record.id }
  }

  async loadItem(db: Db | Tx, type: 'mandate' | 'means', id: string): Promise<RenewalItem | null> {
    if (type === 'mandate') {
      const m = await db.mandate.findUnique({ where: { id }, include: { user: true, organisation: true, service: true, provider: true } })
      if (!m) return null
      return {
        kind: 'mandate',
        id: m.id,
        holderId: m.userId,
        holderName: fullName(m.user),
        holderEmail: m.user.email,
        holderLocale: m.user.locale,
        organisationId: m.organisationId,
        organisationName: m.organisation.name,
        scope: m.scope,
        serviceName: m.service?.name ?? null,
        providerName: m.provider?.name ?? null,
        level: m.level,
        validUntil: m.validUntil,
        status: m.status,
      }
    }
    const m = await db.means.findUnique({ where: { id }, include: { user: true } })
    if (!m) return null
    return {
      kind: 'means',
      id: m.id,
      holderId: m.userId,
      holderName: fullName(m.user),
      holderEmail: m.user.email,
      holderLocale: m.user.locale,
      organisationId: null,
      organisationName: null,
      scope: null,
      serviceName: null,
      providerName: null,
      level: m.level,
      validUntil: m.validUntil,
      status: m.status,
    }
  }

  private async page(item: RenewalItem, principal: Principal | null, db: Db | Tx = this.db): Promise<RenewalPage> {
    const today = todayUtc()
    const base = renewalBase(item.validUntil, today)
    const limit = addYears(today, 5)
    return {
      item,
      expired: item.validUntil < today,
      adminOrganisationId: await this.adminOrganisationFor(item, principal, db),
      terms: TERMS.map((years) => {
        const until = addYears(base, years)
        return { years, until, allowed: until <= limit }
      }),
    }
  }

  /** The organisation through which the principal administers this item at a sufficient level (rule 2), if any. */
  private async adminOrganisationFor(item: RenewalItem, principal: Principal | null, db: Db | Tx): Promise<string | null> {
    if (!principal) return null
    const adminOf = principal.adminOrganisations.filter((o) => levelAtLeast(o.level, item.level))
    if (item.organisationId) return adminOf.some((o) => o.id === item.organisationId) ? item.organisationId : null
    if (adminOf.length === 0) return null
    const link = await db.organisationLink.findFirst({
      where: { userId: item.holderId, organisationId: { in: adminOf.map((o) => o.id) } },
      orderBy: { createdAt: 'asc' },
    })
    return link?.organisationId ?? null
  }

  async renewNow(tx: Tx, item: RenewalItem, until: Date, termYears: Term, actor: Actor, organisationId: string): Promise<Date> {
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
      ? (await tx.organisation.findMany({ where: { id: { in: carried.map((m) => m.organisationId) } }, select: { name: true }, orderBy: { name: 'asc' } })).map((o) => o.name)
      : undefined
    await recordAudit(tx, actor, {
      action: item.kind === 'mandate' ? 'mandate.renewed' : 'means.renewed',
      organisationId: item.kind === 'mandate' ? item.organisationId : organisationId,
      subjectType: item.kind === 'mandate' ? 'Mandate' : 'Means',
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

  private async apply(tx: Tx, item: RenewalItem, termYears: Term, actor: Actor): Promise<string> {
    const organisationId =
      item.organisationId ??
      (await tx.organisationLink.findFirst({ where: { userId: item.holderId }, orderBy: { createdAt: 'asc' } }))?.organisationId
    if (!organisationId) throw new RuleViolation('renewal:errors.noOrganisation')
    const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, include: { legalRepresentatives: true } })
    const application = await tx.application.create({
      data: {
        organisationId,
        type: 'renewal',
        status: 'awaiting_signature',
        level: item.level,
        termYears,
        subjectUserId: item.holderId,
        requestedById: actor.principal?.id ?? null,
        items: {
          create: [
            {
              details: {
                kind: 'renewal',
                target: item.kind,
                ...(item.kind === 'mandate' ? { mandateId: item.id } : { meansId: item.id }),
                level: item.level,
                termYears,
                currentValidUntil: isoDate(item.validUntil),
              },
            },
          ],
        },
      },
    })
    await recordAudit(tx, actor, {
      action: 'application.created',
      organisationId,
      subjectType: 'Application',
      subjectId: application.id,
      after: { type: 'renewal', status: 'awaiting_signature', target: item.kind, targetId: item.id, termYears, via: 'renewal-link' },
    })
    const expiresAt = addDays(todayUtc(), SIGNING_LINK_DAYS)
    const what =
      item.kind === 'mandate'
        ? `${item.scope === 'all' ? 'alle diensten' : item.scope === 'provider' ? `alle diensten van ${item.providerName}` : item.serviceName} (${item.level === 'EH2_PLUS' ? 'EH2+' : item.level}), ${termYears} jaar`
        : `eHerkenningsmiddel ${item.level === 'EH2_PLUS' ? 'EH2+' : item.level}, ${termYears} jaar`
    const mails = []
    for (const rep of organisation.legalRepresentatives) {
      const token = newToken()
      await tx.actionToken.create({
        data: {
          purpose: 'sign-application',
          tokenHash: hashToken(token),
          subject: { applicationId: application.id, legalRepresentativeId: rep.id },
          expiresAt,
        },
      })
      mails.push({
        idempotencyKey: `application:${application.id}:legal-representative:${rep.id}`,
        to: rep.email,
        template: 'legal-representative-notification' as const,
        locale: 'nl',
        data: {
          name: rep.name,
          organisationName: organisation.name,
          applicationType: 'renewal',
          subjectName: item.holderName,
          requestedByName: actor.principal?.name ?? undefined,
          items: [what],
          signPath: `/ondertekenen/${token}`,
          expiresAt: isoDate(expiresAt),
        },
      })
    }
    await queueMails(tx, mails)
    return application.id
  }
}

/**
 * Carries out a renewal application once it is signed (by an admin or enough legal representatives):
 * the mandate or means is extended from its current end (or today when expired) by the term.
 */
export async function carryOutRenewalApplication(tx: Tx, applicationId: string, actor: Actor, now = new Date()): Promise<void> {
  const app = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, include: { items: true } })
  const details = (app.items[0]?.details ?? {}) as { target?: 'mandate' | 'means'; mandateId?: string; meansId?: string }
  const termYears = (app.termYears ?? 1) as Term
  const helper = new RenewalService(tx as unknown as Db)
  const target = details.target === 'means' ? 'means' : 'mandate'
  const item = await helper.loadItem(tx, target, (target === 'means' ? details.meansId : details.mandateId) ?? '')
  if (!item || (item.status !== 'active' && item.status !== 'expired')) throw new RuleViolation('renewal:errors.cannotRenew')
  const today = todayUtc(now)
  const until = addYears(renewalBase(item.validUntil, today), termYears)
  if (until > addYears(today, 5)) throw new RuleViolation('renewal:errors.tooLong', undefined, { years: termYears })
  await helper.renewNow(tx, item, until, termYears, actor, app.organisationId)
  await tx.application.update({ where: { id: app.id }, data: { status: 'issued', decidedAt: now } })
  await recordAudit(tx, actor, {
    action: 'application.issued',
    organisationId: app.organisationId,
    subjectType: 'application',
    subjectId: app.id,
    before: { status: app.status },
    after: { status: 'issued', type: 'renewal', validUntil: isoDate(until) },
  })
}
