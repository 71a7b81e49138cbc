// What happens to an application after a signature or an identity check: the rules 3, 10 and 11
// live here, once, for every feature that creates or signs applications.
import type { Level, Prisma } from '../../generated/prisma/client.ts'
import { RuleViolation } from '../../errors.ts'
import { addDays, addYears, isoDate, todayUtc } from '../../domain/dates.ts'
import type { Actor } from '../actor.ts'
import { recordAudit } from '../audit.ts'
import type { Tx } from '../../db/tx.ts'
import { queueMailToPerson, queueMails } from '../outbox.ts'
import { createActionToken, supersedeActionTokens } from './actionTokens.ts'
import { levelAtLeast, needsIdentityCheck } from '../../domain/levels.ts'
import { carryOutRenewalApplication } from './renewals.ts'
import { carryAdminMandatesWithMeans } from './adminMandates.ts'
import { applicationEntry, markIssued, moveApplication } from './applicationStatus.ts'
import { LIVE_MANDATE_STATUSES } from '../../domain/statuses.ts'
import { personName } from '../../domain/names.ts'
import { representativesSuffice } from '../../domain/rules.ts'
import { links } from '../../paths.ts'

export const SIGNING_LINK_DAYS = 14

type MeansItem = { meansId?: string; level?: string; fromLevel?: string; termYears?: number }

/** After a signature: is the application signed enough? Then move it on. Returns the new status. */
export async function afterSignature(tx: Tx, applicationId: string, actor: Actor, baseUrl: string): Promise<string> {
  const app = await tx.application.findUniqueOrThrow({
    where: { id: applicationId },
    include: { signatures: true, organisation: { include: { legalRepresentatives: true } } },
  })
  const adminSigned = app.signatures.some((s) => s.signerType === 'admin')
  const repIds = new Set(app.signatures.map((s) => s.legalRepresentativeId).filter((id): id is string => Boolean(id)))
  if (!adminSigned && !representativesSuffice(app.level, app.organisation.legalRepresentatives, repIds)) return app.status
  return proceed(tx, applicationId, actor, baseUrl)
}

/** A signed application: means wait for the identity check (EH3/EH4) or are issued (rule 10). */
export async function proceed(tx: Tx, applicationId: string, actor: Actor, baseUrl: string): Promise<string> {
  const app = await tx.application.findUniqueOrThrow({ where: { id: applicationId } })
  if ((app.type === 'new_means' || app.type === 'upgrade') && app.level && needsIdentityCheck(app.level)) {
    await moveApplication(tx, actor, app, 'awaiting_identity_check')
    return 'awaiting_identity_check'
  }
  if (app.type === 'new_means' || app.type === 'upgrade' || app.type === 'admin_appointment') {
    await issue(tx, applicationId, actor, baseUrl)
    return 'issued'
  }
  if (app.type === 'renewal') {
    await carryOutRenewalApplication(tx, applicationId, actor)
    return 'issued'
  }
  await moveApplication(tx, actor, app, 'signed')
  return 'signed'
}

type IssuedApplication = Prisma.ApplicationGetPayload<{ include: { items: true; subjectUser: true; organisation: true } }>
type Subject = NonNullable<IssuedApplication['subjectUser']>

/** Issues an application: new means become active, an upgrade raises the level, an admin appointment creates the admin mandate. */
export async function issue(tx: Tx, applicationId: string, actor: Actor, baseUrl: string, now = new Date()): Promise<void> {
  const app = await tx.application.findUniqueOrThrow({
    where: { id: applicationId },
    include: { items: true, subjectUser: true, organisation: true },
  })
  const user = app.subjectUser
  if (!user || !app.level) throw new RuleViolation('applications:errors.incomplete')
  const today = todayUtc(now)
  const validUntil =
    app.type === 'admin_appointment' ? await issueAdminMandate(tx, app, user, app.level, today) : await issueMeans(tx, actor, app, user, app.level, today, now)
  await markIssued(tx, actor, app, now, { type: app.type, level: app.level, userId: user.id, validUntil })
  if (app.type === 'new_means') await issueWaitingAppointments(tx, user.id, app.level, actor, baseUrl, now)
  if (app.type !== 'admin_appointment') {
    await queueMailToPerson(tx, user, {
      idempotencyKey: `means-active:${app.id}`,
      template: 'means-active',
      data: {
        firstName: user.firstName,
        organisationName: app.organisation.name,
        level: app.level,
        validUntil: isoDate(validUntil),
        upgrade: app.type === 'upgrade',
        overviewPath: links.overview(),
      },
    })
  }
}

/** Rule 3: an admin mandate needs an active means at the same level; it ends with that means. Returns its end. */
async function issueAdminMandate(tx: Tx, app: IssuedApplication, user: Subject, level: Level, today: Date): Promise<Date> {
  const means = await tx.means.findFirst({ where: { userId: user.id, status: 'active', level }, orderBy: { validUntil: 'desc' } })
  if (!means || means.validUntil <= today) throw new RuleViolation('applications:errors.adminLevelMismatch')
  const validUntil = means.validUntil
  const existing = await tx.mandate.findFirst({
    where: { userId: user.id, organisationId: app.organisationId, kind: 'admin', scope: 'all', status: { in: [...LIVE_MANDATE_STATUSES] } },
  })
  if (existing) {
    await tx.mandate.update({ where: { id: existing.id }, data: { level, validUntil, status: 'active' } })
  } else {
    await tx.mandate.create({
      data: {
        kind: 'admin',
        userId: user.id,
        organisationId: app.organisationId,
        scope: 'all',
        level,
        validFrom: today,
        validUntil,
        status: 'active',
        grantedById: app.requestedById,
      },
    })
  }
  return validUntil
}

/** New means become active; an upgrade raises the level of the active one. Returns the means' end. */
async function issueMeans(tx: Tx, actor: Actor, app: IssuedApplication, user: Subject, level: Level, today: Date, now: Date): Promise<Date> {
  const item = (app.items[0]?.details ?? {}) as MeansItem
  const term = app.termYears ?? item.termYears ?? 1 // new means: 1, 3 or 5 years from today
  let validUntil = addYears(today, term)
  const means = item.meansId
    ? await tx.means.findUnique({ where: { id: item.meansId } })
    : await tx.means.findFirst({
        where: app.type === 'upgrade' ? { userId: user.id, status: 'active' } : { userId: user.id, status: 'requested', level },
        orderBy: { validUntil: 'desc' },
      })
  if (!means || means.userId !== user.id) throw new RuleViolation('applications:errors.noMeans')
  if (app.type === 'upgrade') {
    if (means.status !== 'active' || levelAtLeast(means.level, level)) throw new RuleViolation('applications:errors.upgradeNotHigher')
    // The level rises; the end date does not shrink, so the user's mandates stay valid.
    // Without a new term the end date stays; with one it never shrinks nor passes 5 years (rule 4).
    const until = app.termYears && validUntil > means.validUntil ? validUntil : means.validUntil
    validUntil = until > addYears(today, 5) ? addYears(today, 5) : until
    await tx.means.update({ where: { id: means.id }, data: { level, validUntil } })
  } else {
    await tx.means.update({ where: { id: means.id }, data: { status: 'active', validFrom: today, validUntil, issuedAt: now } })
  }
  // Rule 3: the holder's active admin mandates this means now carries (an upgrade raises its level
  // and may extend it; a new means runs longer) end with it, not on an older means' end. No
  // reactivation here: a means that had ended is renewed, not upgraded or issued anew.
  await carryAdminMandatesWithMeans(tx, actor, means.id)
  return validUntil
}

/**
 * A registration's admin appointment waits (status signed) for its EH3/EH4 means: once that means
 * is issued, the appointment at that level is issued too (rule 3: the admin mandate needs it).
 */
async function issueWaitingAppointments(tx: Tx, userId: string, level: Level, actor: Actor, baseUrl: string, now: Date): Promise<void> {
  const waiting = await tx.application.findMany({ where: { subjectUserId: userId, type: 'admin_appointment', status: 'signed', level }, select: { id: true } })
  for (const app of waiting) await issue(tx, app.id, actor, baseUrl, now)
}

/**
 * Sends every legal representative of the application's organisation who has not signed yet a
 * single-use signing link: as 'signing-request' (an admin sends it to them), or as the rule-12
 * 'legal-representative-notification' of a new application nobody signed as admin.
 */
export async function requestRepresentativeSignatures(
  tx: Tx,
  applicationId: string,
  actor: Actor,
  _baseUrl: string,
  now = new Date(),
  template: 'signing-request' | 'legal-representative-notification' = 'signing-request',
): Promise<number> {
  const app = await tx.application.findUniqueOrThrow({
    where: { id: applicationId },
    include: { organisation: { include: { legalRepresentatives: true } }, subjectUser: true, signatures: true, requestedBy: true },
  })
  const signed = new Set(app.signatures.map((s) => s.legalRepresentativeId))
  // A representative found by "KvK-gegevens verversen" has no e-mail address yet: no link to send.
  const reps = app.organisation.legalRepresentatives.filter((r) => !signed.has(r.id) && r.email)
  const expiresAt = addDays(now, SIGNING_LINK_DAYS)
  const mails = []
  for (const rep of reps) {
    // Mailed again: the link of the earlier mail stops working, only this newest one works.
    await supersedeActionTokens(tx, 'sign-application', { applicationId: app.id, legalRepresentativeId: rep.id }, now)
    const token = await createActionToken(tx, 'sign-application', { applicationId: app.id, legalRepresentativeId: rep.id }, expiresAt)
    mails.push({
      idempotencyKey: template === 'signing-request' ? `signing-request:${app.id}:${rep.id}:${now.getTime()}` : `lr-notification:${app.id}:${rep.id}`,
      to: rep.email,
      template,
      // The representative's mail language (Dutch unless the back office or an admin set English).
      locale: rep.locale,
      data: {
        name: rep.name,
        organisationName: app.organisation.name,
        applicationType: app.type,
        level: app.level ?? undefined,
        subjectName: app.subjectUser ? personName(app.subjectUser) : undefined,
        requestedByName: app.requestedBy ? personName(app.requestedBy) : undefined,
        signPath: links.signApplication(token),
        expiresAt: isoDate(expiresAt),
      },
    })
  }
  await queueMails(tx, mails)
  await recordAudit(tx, actor, applicationEntry(app, 'application.signing_requested', { after: { representatives: reps.map((r) => r.id) } }))
  return reps.length
}

/**
 * Rule 12: the legal representatives hear of every application for their organisation unless an
 * admin signed it. The notice carries a single-use signing link each, so they can act on it.
 * Returns the number of representatives notified (0 when an admin signed).
 */
export async function notifyRepresentatives(tx: Tx, applicationId: string, actor: Actor, baseUrl: string, now = new Date()): Promise<number> {
  const adminSigned = await tx.applicationSignature.count({ where: { applicationId, signerType: 'admin' } })
  if (adminSigned > 0) return 0
  return requestRepresentativeSignatures(tx, applicationId, actor, baseUrl, now, 'legal-representative-notification')
}
