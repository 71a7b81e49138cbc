// Writing grants, for the wizard's one grant and the API's batch of up to 1,000: the mandates in one
// INSERT, their audit entries in one (recordAuditMany), one mail per grant in one (queueMails), the
// link request of a grant to an unlinked user (rule 8), all in the caller's transaction. The batch
// loads what the checks need for all grants at once and checks each with assertGrantable.
import { randomUUID } from 'node:crypto'
import type { Level, MandateStatus } from '../../generated/prisma/client.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import type { Tx } from '../../db/tx.ts'
import { addMonths, isoDate, todayUtc } from '../../domain/dates.ts'
import { fromDbLevel, highestLevel, levelLabel, toDbLevel } from '../../domain/levels.ts'
import { personName } from '../../domain/names.ts'
import { LINK_REQUEST_MONTHS, addYearsClamped } from '../../domain/terms.ts'
import type { Actor } from '../../shared/actor.ts'
import { recordAudit, recordAuditMany } from '../../shared/audit.ts'
import { queueMails, type MailPerson, type QueuedMail } from '../../shared/outbox.ts'
import { links } from '../../paths.ts'
import { adminOrganisationIds } from '../../policy/access.ts'
import { assertGrantable, loadCatalogue, type DescribedScope } from './grantChecks.ts'
import { scopeKeyOf, type GrantInput } from './model.ts'
import { actingPrincipal, adminOrganisation, isUniqueViolation } from './scoping.ts'
import { openLinkRequest } from '../../shared/openLinkRequests.ts'

type Holder = MailPerson & { id: string }

/** A checked grant, ready to write. */
export type CheckedGrantToWrite = {
  input: GrantInput
  scopes: DescribedScope[]
  status: MandateStatus
  org: { id: string; name: string }
  holder: Holder
  linkRequestNeeded: boolean
}

export type WrittenMandate = {
  id: string
  scope: 'all' | 'provider' | 'service'
  serviceId: string | null
  providerId: string | null
  level: Level
  validFrom: Date
  validUntil: Date
  status: MandateStatus
  branchId: string | null
}

/** The link request of a grant to an unlinked user, in the grant's transaction (rule 8). */
async function createLinkRequest(tx: Tx, actor: Actor, org: { id: string; name: string }, holder: Holder, now: Date) {
  const principal = actingPrincipal(actor)
  const expiresAt = addMonths(now, LINK_REQUEST_MONTHS)
  const request = await tx.linkRequest.create({
    data: { userId: holder.id, organisationId: org.id, requestedById: principal.id, status: 'pending', createdAt: now, expiresAt },
  })
  await recordAudit(tx, actor, {
    action: 'link_request.created',
    organisationId: org.id,
    subjectType: 'link_request',
    subjectId: request.id,
    after: { userId: holder.id, organisationId: org.id, status: 'pending', expiresAt },
  })
  return {
    idempotencyKey: `link-request:${request.id}`,
    to: holder.email,
    locale: holder.locale,
    template: 'link-request' as const,
    data: {
      name: personName(holder),
      linkRequestId: request.id,
      organisationName: org.name,
      requestedByName: principal.name,
      requestPath: links.mine(),
      expiresAt: isoDate(expiresAt),
    },
  }
}

/** The holder's one mail about the mandates of one grant ("mandates-granted"). */
function grantMail(grant: CheckedGrantToWrite, created: WrittenMandate[]): QueuedMail {
  return {
    idempotencyKey: `mandates-granted:${created.map((m) => m.id).sort()[0]}`,
    to: grant.holder.email,
    locale: grant.holder.locale,
    template: 'mandates-granted',
    data: {
      name: personName(grant.holder),
      organisationName: grant.org.name,
      pending: grant.status === 'pending',
      mandates: grant.scopes.map((s) => ({
        scope: s.item.scope,
        serviceName: s.serviceName ?? undefined,
        providerName: s.providerName ?? undefined,
        level: levelLabel(grant.input.level),
        validUntil: isoDate(created[0]!.validUntil),
      })),
    },
  }
}

/** The set-based insert; a concurrent grant of the same scope (the unique live key) is a refusal, not an error. */
async function insertMandates(tx: Tx, grantedById: string, rows: Record<string, unknown>[]): Promise<void> {
  try {
    await tx.$executeRaw`
        insert into mandates (id, kind, user_id, organisation_id, scope, service_id, provider_id, level, branch_id, valid_from, valid_until, status, granted_by_id, updated_at)
        select id, 'use', user_id, organisation_id, scope::"MandateScope", service_id, provider_id, level::"Level", branch_id, valid_from, valid_until,
               status::"MandateStatus", ${grantedById}::uuid, now()
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, user_id uuid, organisation_id uuid, scope text, service_id uuid,
          provider_id uuid, level text, branch_id uuid, valid_from date, valid_until date, status text)`
  } catch (error) {
    if (isUniqueViolation(error)) throw new RuleViolation('mandates:errors.existsRace', 'service')
    throw error
  }
}

/** Writes checked grants (rule 14: audit entries and mails in the same transaction); the mandates per grant. */
export async function writeGrants(tx: Tx, actor: Actor, grants: CheckedGrantToWrite[], now: Date): Promise<WrittenMandate[][]> {
  const principal = actingPrincipal(actor)
  const today = todayUtc(now)
  const mails: QueuedMail[] = []
  const requested = new Set<string>()
  for (const g of grants) {
    const key = `${g.holder.id}|${g.org.id}`
    if (!g.linkRequestNeeded || requested.has(key)) continue
    requested.add(key)
    mails.push(await createLinkRequest(tx, actor, g.org, g.holder, now))
  }
  const written = grants.map((g) =>
    g.scopes.map((s) => ({
      id: randomUUID(),
      scope: s.item.scope,
      serviceId: s.item.scope === 'service' ? s.item.serviceId : null,
      providerId: s.item.scope === 'provider' ? s.item.providerId : null,
      level: g.input.level,
      validFrom: today,
      validUntil: addYearsClamped(today, g.input.termYears),
      status: g.status,
      branchId: g.input.branchId,
    })),
  )
  const rows = grants.flatMap((g, i) =>
    written[i]!.map((m) => ({
      id: m.id,
      user_id: g.input.userId,
      organisation_id: g.input.organisationId,
      scope: m.scope,
      service_id: m.serviceId,
      provider_id: m.providerId,
      level: toDbLevel(m.level),
      branch_id: m.branchId,
      valid_from: isoDate(m.validFrom),
      valid_until: isoDate(m.validUntil),
      status: m.status,
    })),
  )
  // One INSERT … SELECT from a JSON parameter (as recordAuditMany): Prisma's createMany binds 13
  // parameters a row, which for a batch of 1,000 costs seconds. The table's triggers still check
  // rules 1 and 5 and set the scope key for every row.
  if (rows.length) await insertMandates(tx, principal.id, rows)
  await recordAuditMany(
    tx,
    actor,
    grants.flatMap((g, i) =>
      written[i]!.map((m) => ({
        action: 'mandate.granted' as const,
        organisationId: g.input.organisationId,
        subjectType: 'mandate' as const,
        subjectId: m.id,
        after: { ...m, userId: g.input.userId },
      })),
    ),
  )
  await queueMails(tx, [...mails, ...grants.map((g, i) => grantMail(g, written[i]!))])
  return written
}

export type GrantOutcome = { ok: true; mandates: WrittenMandate[] } | { ok: false; error: RuleViolation | NotFoundError }

type HolderRow = Holder & { linked: string[]; requested: string[]; means: string[] | null }

/** The holders of a batch in one statement: each user the admin manages, with links, open link requests and active means levels. */
async function loadHolders(tx: Tx, orgIds: string[], userIds: string[], now: Date) {
  const rows = await tx.$queryRaw<(HolderRow & { last_name_prefix: string | null; first_name: string; last_name: string })[]>`
    select u.id, u.first_name, u.last_name_prefix, u.last_name, u.email, u.locale,
      array(select l.organisation_id::text from organisation_links l where l.user_id = u.id and l.organisation_id = any(${orgIds}::uuid[])) as linked,
      array(select r.organisation_id::text from link_requests r where r.user_id = u.id and r.organisation_id = any(${orgIds}::uuid[])
        and ${openLinkRequest('r', now)}) as requested,
      array(select m.level::text from means m where m.user_id = u.id and m.status = 'active') as means
    from users u
    where u.id = any(${userIds}::uuid[])
      and exists (select 1 from organisation_links l where l.user_id = u.id and l.organisation_id = any(${orgIds}::uuid[]))`
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        firstName: r.first_name,
        lastNamePrefix: r.last_name_prefix,
        lastName: r.last_name,
        email: r.email,
        locale: r.locale,
        linked: r.linked,
        requested: r.requested,
        means: (r.means ?? []).map(fromDbLevel),
      },
    ]),
  )
}

/**
 * Up to 1,000 grants in the caller's transaction: what the checks need is loaded for all of them in
 * a few queries; each grant is checked with the same rules as the wizard's (assertGrantable, also
 * against the grants before it in the batch); those that pass are written. The outcome per grant.
 */
export async function grantMany(tx: Tx, actor: Actor, inputs: GrantInput[], now = new Date()): Promise<GrantOutcome[]> {
  const principal = actingPrincipal(actor)
  const orgIds = adminOrganisationIds(principal)
  const userIds = [...new Set(inputs.map((i) => i.userId))]
  const branchIds = [...new Set(inputs.flatMap((i) => (i.branchId ? [i.branchId] : [])))]
  const holders = await loadHolders(tx, orgIds, userIds, now)
  const catalogue = await loadCatalogue(
    tx,
    inputs.flatMap((i) => i.items),
  )
  const branches = branchIds.length ? await tx.branch.findMany({ where: { id: { in: branchIds } }, select: { id: true, organisationId: true } }) : []
  const existing = await tx.mandate.findMany({
    where: {
      userId: { in: userIds },
      organisationId: { in: orgIds },
      kind: 'use',
      live: true,
      scopeKey: { in: [...new Set(inputs.flatMap((i) => i.items.map(scopeKeyOf)))] },
    },
    select: { userId: true, organisationId: true, scopeKey: true },
  })
  const branchOrg = new Map(branches.map((b) => [b.id, b.organisationId]))
  const live = new Set(existing.map((m) => `${m.userId}|${m.organisationId}|${m.scopeKey}`))
  const outcomes: (GrantOutcome | null)[] = []
  const toWrite: { index: number; grant: CheckedGrantToWrite }[] = []
  for (const [index, input] of inputs.entries()) {
    try {
      const org = adminOrganisation(principal, input.organisationId)
      const user = holders.get(input.userId)
      if (!user) throw new NotFoundError()
      const linked = user.linked.includes(org.id)
      const linkRequested = user.requested.includes(org.id)
      const prefix = `${user.id}|${org.id}|`
      const scopes = assertGrantable(input, {
        adminLevel: org.level,
        meansLevel: highestLevel(user.means),
        catalogue,
        branchOk: !!input.branchId && branchOrg.get(input.branchId) === org.id,
        live: (key) => live.has(prefix + key),
      })
      for (const item of input.items) live.add(prefix + scopeKeyOf(item))
      toWrite.push({ index, grant: { input, scopes, status: linked ? 'active' : 'pending', org, holder: user, linkRequestNeeded: !linked && !linkRequested } })
      outcomes.push(null)
    } catch (error) {
      if (!(error instanceof RuleViolation) && !(error instanceof NotFoundError)) throw error
      outcomes.push({ ok: false, error })
    }
  }
  const written = await writeGrants(
    tx,
    actor,
    toWrite.map((w) => w.grant),
    now,
  )
  toWrite.forEach((w, i) => (outcomes[w.index] = { ok: true, mandates: written[i]! }))
  return outcomes as GrantOutcome[]
}
