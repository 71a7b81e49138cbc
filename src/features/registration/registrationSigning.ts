// A representative signs a registration by e-mail link. The register is asked again first: a
// representative who is no longer on the extract cannot sign. When the signatures suffice (rule 11)
// the company becomes a customer (or gets its admin) in the same transaction: organisation,
// branches, representatives, the admin's account, means (rule 10), admin mandate (rule 3), mail.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { Config } from '../../config.ts'
import { RuleViolation } from '../../errors.ts'
import { addYears, parseIsoDate, todayUtc } from '../../domain/dates.ts'
import { needsIdentityCheck } from '../../domain/levels.ts'
import { representativesSuffice } from '../../domain/rules.ts'
import type { Tx } from '../../db/tx.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit } from '../../shared/audit.ts'
import { queueMails } from '../../shared/outbox.ts'
import type { KvkRegister } from '../../shared/kvk/register.ts'
import { findActionToken, useActionToken, type TokenProblem } from '../../shared/workflows/actionTokens.ts'
import { proceed } from '../../shared/workflows/applications.ts'
import { sendActivation } from '../../shared/workflows/activation.ts'
import { officersForRule, readRegistration, type ChosenRepresentative, type RegistrationView } from './model.ts'

export type SignPage = { ok: true; registration: RegistrationView; representative: ChosenRepresentative } | { ok: false; problem: TokenProblem | 'closed' }
export type SignResult = { ok: true; completed: boolean } | { ok: false; problem: TokenProblem | 'closed' }

export class RegistrationSigning {
  constructor(
    private readonly db: PrismaClient,
    private readonly config: Config,
    private readonly kvk: KvkRegister,
  ) {}

  async open(token: string, now = new Date()): Promise<SignPage> {
    const found = await findActionToken(this.db, token, 'sign-registration', now)
    if (!found.ok) return found
    const row = await this.db.registration.findUnique({ where: { id: found.subject.registrationId } })
    if (!row) return { ok: false, problem: 'invalid' }
    const registration = readRegistration(row, now)
    if (registration.status !== 'awaiting_signature') return { ok: false, problem: registration.status === 'lapsed' ? 'expired' : 'closed' }
    const representative = registration.representatives.find((r) => r.id === found.subject.representativeId)
    return representative ? { ok: true, registration, representative } : { ok: false, problem: 'invalid' }
  }

  /** Throws KvkError (register down) or RuleViolation (no longer a representative): nothing changes. */
  async sign(token: string, actor: Actor, now = new Date()): Promise<SignResult> {
    const page = await this.open(token, now)
    if (!page.ok) return page
    const fresh = await this.kvk.profile(page.registration.kvkNumber)
    const rep = page.representative
    if (!fresh.officers.some((o) => o.name === rep.name && o.authority === rep.authority)) throw new RuleViolation('registration:errors.notRepresentative')
    const signer = { ...actor, label: `${rep.name} (${rep.email})`.slice(0, 254) }
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`select id from registrations where id = ${page.registration.id}::uuid for update`
      const again = await findActionToken(tx, token, 'sign-registration', now)
      if (!again.ok) return again
      const row = await tx.registration.findUniqueOrThrow({ where: { id: page.registration.id } })
      const reg = readRegistration(row, now)
      if (reg.status !== 'awaiting_signature') return { ok: false, problem: 'closed' } as const
      if (!(await useActionToken(tx, again.id, now))) return { ok: false, problem: 'used' } as const
      const representatives = reg.representatives.map((r) => (r.id === rep.id ? { ...r, signedAt: now.toISOString() } : r))
      await tx.registration.update({ where: { id: reg.id }, data: { representatives } })
      await recordAudit(tx, signer, {
        action: 'registration.signed',
        organisationId: row.organisationId,
        subjectType: 'registration',
        subjectId: reg.id,
        after: { representative: rep.name },
      })
      const signed = new Set(representatives.filter((r) => r.signedAt).map((r) => r.id))
      if (!representativesSuffice(reg.level, officersForRule(reg.profile), signed)) return { ok: true, completed: false } as const
      await this.complete(tx, { ...reg, representatives }, signer, now)
      return { ok: true, completed: true } as const
    })
  }

  private async complete(tx: Tx, reg: RegistrationView, actor: Actor, now: Date): Promise<void> {
    const today = todayUtc(now)
    const organisation = await this.organisation(tx, reg)
    const reps = []
    for (const r of reg.representatives) {
      const existing = await tx.legalRepresentative.findFirst({ where: { organisationId: organisation.id, name: r.name } })
      reps.push({
        ...r,
        dbId:
          existing?.id ??
          (
            await tx.legalRepresentative.create({
              data: { organisationId: organisation.id, name: r.name, email: r.email, authority: r.authority, locale: r.locale },
            })
          ).id,
      })
    }
    const a = reg.admin
    const user =
      (await tx.user.findUnique({ where: { emailKey: a.email.toLowerCase() } })) ??
      (await tx.user.create({
        data: {
          firstName: a.firstName,
          lastNamePrefix: a.lastNamePrefix || null,
          lastName: a.lastName,
          dateOfBirth: parseIsoDate(a.dateOfBirth)!,
          email: a.email,
          mobile: a.mobile,
        },
      }))
    await tx.organisationLink.upsert({
      where: { userId_organisationId: { userId: user.id, organisationId: organisation.id } },
      create: { userId: user.id, organisationId: organisation.id },
      update: {},
    })
    const means = await tx.means.create({ data: { userId: user.id, level: reg.level, status: 'requested', validFrom: today, validUntil: addYears(today, 1) } })
    const signatures = reps
      .filter((r) => r.signedAt)
      .map((r) => ({ signerType: 'legal_representative' as const, legalRepresentativeId: r.dbId, signedAt: new Date(r.signedAt!) }))
    const meansApp = await tx.application.create({
      data: {
        organisationId: organisation.id,
        type: 'new_means',
        level: reg.level,
        termYears: 1,
        subjectUserId: user.id,
        items: { create: { details: { meansId: means.id, level: reg.level, termYears: 1, registrationId: reg.id } } },
        signatures: { create: signatures },
      },
    })
    const adminApp = await tx.application.create({
      data: {
        organisationId: organisation.id,
        type: 'admin_appointment',
        level: reg.level,
        subjectUserId: user.id,
        items: { create: { details: { registrationId: reg.id } } },
        signatures: { create: signatures },
      },
    })
    // Rule 10: EH2/EH2+ become active now, and with them the admin mandate (rule 3); EH3/EH4 wait for
    // the identity check, and the signed appointment is issued when the means is (workflows/applications.ts).
    await proceed(tx, meansApp.id, actor, this.config.baseUrl)
    const immediate = !needsIdentityCheck(reg.level)
    if (immediate) await proceed(tx, adminApp.id, actor, this.config.baseUrl)
    else await tx.application.update({ where: { id: adminApp.id }, data: { status: 'signed' } })
    await tx.registration.update({ where: { id: reg.id }, data: { status: 'completed', decidedAt: now, organisationId: organisation.id } })
    await recordAudit(tx, actor, {
      action: 'registration.completed',
      organisationId: organisation.id,
      subjectType: 'registration',
      subjectId: reg.id,
      after: { kind: reg.kind, admin: user.id, level: reg.level, meansApplication: meansApp.id, adminApplication: adminApp.id },
    })
    if (!user.passwordHash) await sendActivation(tx, actor, user.id, { organisationName: organisation.name, level: reg.level, meansActive: immediate }, now)
    const adminName = [a.firstName, a.lastNamePrefix, a.lastName].filter(Boolean).join(' ')
    const data = { organisationName: organisation.name, kvkNumber: reg.kvkNumber, kind: reg.kind, adminName, level: reg.level, meansActive: immediate }
    await queueMails(tx, [
      ...reg.representatives.map((r) => ({
        idempotencyKey: `registration-done:${reg.id}:${r.id}`,
        to: r.email,
        template: 'registration-done' as const,
        locale: r.locale,
        data: { ...data, name: r.name },
      })),
      ...(user.passwordHash
        ? [
            {
              idempotencyKey: `registration-done:${reg.id}:admin`,
              to: user.email,
              template: 'registration-done' as const,
              locale: user.locale,
              data: { ...data, name: adminName },
            },
          ]
        : []),
    ])
  }

  /** A new customer's organisation, with its branches; an appointment's existing one. */
  private async organisation(tx: Tx, reg: RegistrationView) {
    const existing = await tx.organisation.findUnique({ where: { kvkNumber: reg.kvkNumber } })
    if (reg.kind === 'admin_appointment' && existing) return existing
    if (existing) throw new RuleViolation('registration:errors.alreadyCustomer')
    const created = await tx.organisation.create({
      data: {
        kvkNumber: reg.kvkNumber,
        name: reg.profile.name.slice(0, 200),
        branches: { create: reg.profile.branches.map((b) => ({ branchNumber: b.branchNumber, name: b.name.slice(0, 200) || reg.profile.name, city: b.city })) },
      },
    })
    return created
  }
}
