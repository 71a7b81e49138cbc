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
import type { Db, Tx } from '../../db/tx.ts'
import { AppError, RuleViolation } from '../../errors.ts'
import { addDays, isoDate, todayUtc } from '../../domain/dates.ts'
import { levelLabel } from '../../domain/levels.ts'
import { withinAdminLevel } from '../../domain/rules.ts'
import { termChoices, TERMS, type Term } from '../../domain/terms.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import type { Principal } from '../../shared/principal.ts'
import { queueMails } from '../../shared/outbox.ts'
import { loadRenewalItem, renewItemNow, type RenewalItem } from '../../shared/workflows/renewals.ts'
import { hashToken, looksLikeToken, newToken } from './tokens.ts'
import { links } from '../../paths.ts'

export { TERMS, type Term }
export const SIGNING_LINK_DAYS = 30

export type RenewalLinkProblem = 'invalid' | 'expired' | 'used' | 'unavailable'

/** The link cannot be used; the page explains why in Dutch. Nothing was changed. */
export class RenewalLinkError extends AppError {
  override name = 'RenewalLinkError'
  constructor(readonly problem: RenewalLinkProblem) {
    super(`renewal link ${problem}`, problem === 'invalid' ? 404 : 410)
  }
}

type Subject = { type: 'mandate' | 'means'; id: string; validUntil: string }

export type RenewalPage = {
  item: RenewalItem
  expired: boolean
  /** The actor may renew at once (admin of the organisation at or above the item's level). */
  adminOrganisationId: string | null
  terms: { years: Term; until: Date; allowed: boolean }[]
}

export type RenewalOutcome = { outcome: 'renewed'; validUntil: Date; item: RenewalItem } | { outcome: 'applied'; applicationId: string; item: RenewalItem }

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
        const validUntil = await renewItemNow(tx, item, term.until, termYears, actor, page.adminOrganisationId)
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
    const item = await loadRenewalItem(db, subject.type, subject.id)
    if (!item) throw new RenewalLinkError('invalid')
    // Renewed since the link was sent (another link, the Beheer pages): this link is spent.
    if (subject.validUntil && isoDate(item.validUntil) !== subject.validUntil) throw new RenewalLinkError('used')
    if (item.status !== 'active' && item.status !== 'expired') throw new RenewalLinkError('unavailable')
    return { item, tokenId: record.id }
  }

  private async page(item: RenewalItem, principal: Principal | null, db: Db | Tx = this.db): Promise<RenewalPage> {
    const today = todayUtc()
    return {
      item,
      expired: item.validUntil < today,
      adminOrganisationId: await this.adminOrganisationFor(item, principal, db),
      terms: termChoices(item.validUntil, today),
    }
  }

  /** The organisation through which the principal administers this item at a sufficient level (rule 2), if any. */
  private async adminOrganisationFor(item: RenewalItem, principal: Principal | null, db: Db | Tx): Promise<string | null> {
    if (!principal) return null
    const adminOf = principal.adminOrganisations.filter((o) => withinAdminLevel(o.level, item.level))
    if (item.organisationId) return adminOf.some((o) => o.id === item.organisationId) ? item.organisationId : null
    if (adminOf.length === 0) return null
    const link = await db.organisationLink.findFirst({
      where: { userId: item.holderId, organisationId: { in: adminOf.map((o) => o.id) } },
      orderBy: { createdAt: 'asc' },
    })
    return link?.organisationId ?? null
  }

  private async apply(tx: Tx, item: RenewalItem, termYears: Term, actor: Actor): Promise<string> {
    const organisationId =
      item.organisationId ?? (await tx.organisationLink.findFirst({ where: { userId: item.holderId }, orderBy: { createdAt: 'asc' } }))?.organisationId
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
      subjectType: 'application',
      subjectId: application.id,
      after: { type: 'renewal', status: 'awaiting_signature', target: item.kind, targetId: item.id, termYears, via: 'renewal-link' },
    })
    const expiresAt = addDays(todayUtc(), SIGNING_LINK_DAYS)
    const what =
      item.kind === 'mandate'
        ? `${item.scope === 'all' ? 'alle diensten' : item.scope === 'provider' ? `alle diensten van ${item.providerName}` : item.serviceName} (${levelLabel(item.level)}), ${termYears} jaar`
        : `eHerkenningsmiddel ${levelLabel(item.level)}, ${termYears} jaar`
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
        locale: rep.locale,
        data: {
          name: rep.name,
          organisationName: organisation.name,
          applicationType: 'renewal',
          subjectName: item.holderName,
          requestedByName: actor.principal?.name ?? undefined,
          items: [what],
          signPath: links.signApplication(token),
          expiresAt: isoDate(expiresAt),
        },
      })
    }
    await queueMails(tx, mails)
    return application.id
  }
}
