// "eHerkenning aanvragen" (rule 23): look the company up in the Handelsregister, take the first
// admin's details and the representatives who sign, and mail each of them a signing link. The
// applicant (the future admin) gets a link to follow, resend or cancel the request.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { RuleViolation } from '../../errors.ts'
import { addDays, isoDate, todayUtc } from '../../domain/dates.ts'
import { parseDateOfBirth } from '../../domain/contact.ts'
import { representativesSuffice } from '../../domain/rules.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit, statusEntry } from '../../shared/audit.ts'
import type { Tx } from '../../db/tx.ts'
import { queueMail, queueMails } from '../../shared/outbox.ts'
import { createActionToken, findActionToken, supersedeActionTokens } from '../../shared/workflows/actionTokens.ts'
import type { KvkProfile, KvkRegister } from '../../shared/kvk/register.ts'
import { links } from '../../paths.ts'
import { officersForRule, readRegistration, REGISTRATION_DAYS, type ChosenRepresentative, type RegistrationView } from './model.ts'
import type { AdminInput, ChosenSigner } from './schemas.ts'

/** What the KvK number leads to: a new customer, an admin for a customer without one, or a stop. */
export type Lookup =
  { outcome: 'customer' | 'appointment'; profile: KvkProfile; organisationId: string | null } | { outcome: 'alreadyCustomer' } | { outcome: 'pending' }

export class RegistrationService {
  constructor(
    private readonly db: PrismaClient,
    private readonly kvk: KvkRegister,
  ) {}

  /** Never names anyone: an existing customer with admins only hears that it is one. Throws KvkError. */
  async lookup(kvkNumber: string, now = new Date()): Promise<Lookup> {
    const organisation = await this.db.organisation.findUnique({ where: { kvkNumber }, select: { id: true } })
    if (organisation) {
      const admins = await this.db.mandate.count({
        where: { organisationId: organisation.id, kind: 'admin', status: 'active', validUntil: { gte: todayUtc(now) } },
      })
      if (admins > 0) return { outcome: 'alreadyCustomer' }
    }
    const open = await this.db.registration.count({ where: { kvkNumber, status: 'awaiting_signature', expiresAt: { gt: now } } })
    if (open > 0) return { outcome: 'pending' }
    const profile = await this.kvk.profile(kvkNumber)
    return { outcome: organisation ? 'appointment' : 'customer', profile, organisationId: organisation?.id ?? null }
  }

  /** Stores the request and mails the chosen representatives; returns the registration id. */
  async create(input: AdminInput, chosen: ChosenSigner[], actor: Actor, now = new Date()): Promise<string> {
    const found = await this.lookup(input.kvkNumber, now)
    if (found.outcome === 'alreadyCustomer') throw new RuleViolation('registration:errors.alreadyCustomer', 'kvkNumber')
    if (found.outcome === 'pending') throw new RuleViolation('registration:errors.pending', 'kvkNumber')
    const { profile } = found
    const representatives: ChosenRepresentative[] = chosen.flatMap(({ index, email, locale }) => {
      const officer = profile.officers[index]
      return officer ? [{ id: `r${index}`, name: officer.name, authority: officer.authority, email, locale, signedAt: null }] : []
    })
    if (representatives.length === 0) throw new RuleViolation('registration:errors.noSigner', 'sign_0')
    // Rule 11: the chosen ones must be able to sign enough together (joint: all of them; limited: as the level asks).
    if (!representativesSuffice(input.level, officersForRule(profile), new Set(representatives.map((r) => r.id)))) {
      throw new RuleViolation('registration:errors.notEnoughSigners', 'sign_0')
    }
    const expiresAt = addDays(now, REGISTRATION_DAYS)
    const admin = {
      firstName: input.firstName,
      lastNamePrefix: input.lastNamePrefix,
      lastName: input.lastName,
      dateOfBirth: isoDate(parseDateOfBirth(input.dateOfBirth)!),
      email: input.email,
      mobile: input.mobile,
    }
    return this.db.$transaction(async (tx) => {
      const row = await tx.registration.create({
        data: {
          kind: found.outcome === 'customer' ? 'customer' : 'admin_appointment',
          kvkNumber: input.kvkNumber,
          profile: profile,
          admin,
          level: input.level,
          representatives: representatives,
          expiresAt,
          organisationId: found.organisationId,
        },
      })
      await recordAudit(tx, actor, {
        action: 'registration.created',
        organisationId: found.organisationId,
        subjectType: 'registration',
        subjectId: row.id,
        after: {
          kvkNumber: input.kvkNumber,
          kind: row.kind,
          level: input.level,
          admin: admin.email,
          representatives: representatives.map((r) => r.name),
          mailLocales: representatives.map((r) => r.locale),
        },
      })
      const reg = readRegistration(row, now)
      await this.mailSigners(tx, reg, representatives, now)
      const manage = await createActionToken(tx, 'registration-manage', { registrationId: row.id }, expiresAt)
      await queueMail(tx, {
        idempotencyKey: `registration-status:${row.id}`,
        to: admin.email,
        template: 'registration-status',
        locale: actor.locale,
        data: {
          name: `${admin.firstName} ${admin.lastName}`,
          organisationName: profile.name,
          managePath: links.registrationManage(manage),
          expiresAt: isoDate(expiresAt),
        },
      })
      return row.id
    })
  }

  /** One new single-use signing link per representative (a link sent before stops working). */
  private async mailSigners(tx: Tx, reg: RegistrationView, reps: ChosenRepresentative[], now: Date): Promise<void> {
    const mails = []
    for (const rep of reps) {
      await supersedeActionTokens(tx, 'sign-registration', { registrationId: reg.id, representativeId: rep.id }, now)
      const token = await createActionToken(tx, 'sign-registration', { registrationId: reg.id, representativeId: rep.id }, reg.expiresAt)
      mails.push({
        idempotencyKey: `registration-signing:${reg.id}:${rep.id}:${now.getTime()}`,
        to: rep.email,
        template: 'registration-signing' as const,
        locale: rep.locale,
        data: {
          name: rep.name,
          organisationName: reg.profile.name,
          kvkNumber: reg.kvkNumber,
          kind: reg.kind,
          adminName: [reg.admin.firstName, reg.admin.lastNamePrefix, reg.admin.lastName].filter(Boolean).join(' '),
          level: reg.level,
          signPath: links.registrationSign(token),
          expiresAt: isoDate(reg.expiresAt),
        },
      })
    }
    await queueMails(tx, mails)
  }

  /** The applicant's page: the request behind a manage link, or null when the link is not valid. */
  async manage(token: string, now = new Date()): Promise<RegistrationView | null> {
    const found = await findActionToken(this.db, token, 'registration-manage', now)
    if (!found.ok) return null
    const row = await this.db.registration.findUnique({ where: { id: found.subject.registrationId } })
    return row ? readRegistration(row, now) : null
  }

  /** Sends the representatives who have not signed a new link. */
  async resend(token: string, actor: Actor, now = new Date()): Promise<void> {
    const reg = await this.open(token, now)
    await this.db.$transaction(async (tx) => {
      const unsigned = reg.representatives.filter((r) => !r.signedAt)
      await this.mailSigners(tx, reg, unsigned, now)
      await recordAudit(tx, actor, {
        action: 'registration.resent',
        organisationId: null,
        subjectType: 'registration',
        subjectId: reg.id,
        after: { representatives: unsigned.map((r) => r.name) },
      })
    })
  }

  async cancel(token: string, actor: Actor, now = new Date()): Promise<void> {
    const reg = await this.open(token, now)
    await this.db.$transaction(async (tx) => {
      const done = await tx.registration.updateMany({ where: { id: reg.id, status: 'awaiting_signature' }, data: { status: 'cancelled', decidedAt: now } })
      if (done.count !== 1) throw new RuleViolation('registration:errors.notOpen')
      await tx.actionToken.updateMany({
        where: { purpose: 'sign-registration', usedAt: null, subject: { path: ['registrationId'], equals: reg.id } },
        data: { usedAt: now },
      })
      await recordAudit(tx, actor, statusEntry('registration.cancelled', 'registration', { id: reg.id }, 'awaiting_signature', 'cancelled'))
    })
  }

  private async open(token: string, now: Date): Promise<RegistrationView> {
    const reg = await this.manage(token, now)
    if (!reg || reg.status !== 'awaiting_signature') throw new RuleViolation('registration:errors.notOpen')
    return reg
  }
}
