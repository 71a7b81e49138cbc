// Afmelden (rule 19): people leave one organisation. Every mandate of each person for that
// organisation short of revoked (use and admin mandates) is revoked, every live assignment the
// person holds under a ketenmachtiging the organisation received as intermediary ends with it (rule
// 20), the link ends and is kept as a former link ("Toon ook inactieve gebruikers"). The person's
// account, means and other links stay (the means is personal: opzeggen is a separate step, rule 17).
// One implementation for every way in: the user page and Gebruikers (src/features/users/offboardService.ts,
// after its confirmation), SCIM (DELETE, active=false) and POST /api/v1/users/{id}/offboard.
// Set-based: one statement revokes all the mandates with their audit entries, however many.
import type { Db, Tx } from '../../db/tx.ts'
import { personName } from '../../domain/names.ts'
import { NotFoundError, RuleViolation } from '../../errors.ts'
import { assertAdministers } from '../../policy/access.ts'
import type { Actor } from '../actor.ts'
import { auditActorParams, subjectAuditInsert, recordAuditMany } from '../audit.ts'
import { queueMails, type QueuedMail } from '../outbox.ts'
import { REVOKED_MAIL_SELECT, revokedMandateMail } from '../mandateMails.ts'

export const OFFBOARDED = 'offboarded'

export type Offboarded = { userId: string; organisationId: string; revokedMandates: number; endedAssignments: number }

/**
 * How the people hear of it: 'each-mandate' (SCIM, the API) the usual "machtiging ingetrokken" mail
 * per mandate; 'summary' (the portal's confirmation page, which can end thousands at once) one mail
 * per person with the organisation and how many mandates ended.
 */
export type OffboardNotice = 'each-mandate' | 'summary'

/** $1–$4 the actor, $5 the organisation, $6 the people, $7 the moment. */
const REVOKE_SQL = `
WITH cand AS (
  SELECT id, status FROM mandates WHERE organisation_id = $5::uuid AND user_id = ANY($6::uuid[]) AND status <> 'revoked' FOR UPDATE
), upd AS (
  UPDATE mandates m SET status = 'revoked', revoked_at = $7::timestamptz, updated_at = now() FROM cand
  WHERE m.id = cand.id
  RETURNING m.id, m.user_id, m.organisation_id, cand.status AS before_status
), audit AS (
  ${subjectAuditInsert('upd', "'mandate.revoked'", "'mandate'", { before: "jsonb_build_object('status', before_status)", after: `jsonb_build_object('status', 'revoked', 'revokedAt', $7::timestamptz, 'reason', '${OFFBOARDED}')` })}
)
SELECT user_id::text AS user_id, count(*)::int AS n FROM upd GROUP BY user_id`

/** The assignments under the organisation's received ketenmachtigingen (same parameters). */
const END_ASSIGNMENTS_SQL = `
WITH cand AS (
  SELECT a.id, a.status, c.organisation_id AS client_id FROM chain_assignments a JOIN chain_mandates c ON c.id = a.chain_mandate_id
  WHERE c.intermediary_organisation_id = $5::uuid AND a.user_id = ANY($6::uuid[]) AND a.status IN ('active', 'pending', 'suspended')
  FOR UPDATE OF a
), upd AS (
  UPDATE chain_assignments a SET status = 'revoked', revoked_at = $7::timestamptz, updated_at = now() FROM cand
  WHERE a.id = cand.id
  RETURNING a.id, a.user_id, cand.status AS before_status, cand.client_id
), audit AS (
  ${subjectAuditInsert('upd', "'chain-assignment.revoked'", "'chain_assignment'", { organisationId: '$5::uuid', before: "jsonb_build_object('status', before_status)", after: `jsonb_build_object('status', 'revoked', 'revokedAt', $7::timestamptz, 'reason', '${OFFBOARDED}', 'clientOrganisationId', client_id)` })}
)
SELECT user_id::text AS user_id, count(*)::int AS n FROM upd GROUP BY user_id`

type Counts = Map<string, number>
const countsOf = (rows: { user_id: string; n: number }[]): Counts => new Map(rows.map((r) => [r.user_id, Number(r.n)]))

/**
 * Afmelden of `userIds` from `organisationId` inside the caller's transaction; the caller has
 * checked who may be afgemeld (the links exist, not the actor himself). Returns per person what ended.
 */
export async function offboardPeople(
  tx: Tx,
  actor: Actor,
  input: { organisationId: string; userIds: string[]; notice: OffboardNotice },
  now = new Date(),
): Promise<Offboarded[]> {
  const { organisationId, userIds } = input
  const links = await tx.organisationLink.findMany({ where: { organisationId, userId: { in: userIds } }, select: { userId: true, externalId: true } })
  const mails = input.notice === 'each-mandate' ? await mandateMails(tx, organisationId, userIds, now) : []
  const params = [...auditActorParams(actor), organisationId, userIds, now] as const
  const revoked = countsOf(await tx.$queryRawUnsafe<{ user_id: string; n: number }[]>(REVOKE_SQL, ...params))
  const ended = countsOf(await tx.$queryRawUnsafe<{ user_id: string; n: number }[]>(END_ASSIGNMENTS_SQL, ...params))
  await tx.organisationLink.deleteMany({ where: { organisationId, userId: { in: userIds } } })
  await tx.$executeRaw`
    insert into former_links (id, user_id, organisation_id, ended_at, ended_by_id)
    select gen_random_uuid(), u, ${organisationId}::uuid, ${now}, ${actor.principal?.id ?? null}::uuid from unnest(${userIds}::uuid[]) as u
    on conflict (user_id, organisation_id) do update set ended_at = excluded.ended_at, ended_by_id = excluded.ended_by_id`
  const done = userIds.map((userId) => ({ userId, organisationId, revokedMandates: revoked.get(userId) ?? 0, endedAssignments: ended.get(userId) ?? 0 }))
  await recordAuditMany(
    tx,
    actor,
    done.map((p) => ({
      action: 'user.offboarded',
      organisationId,
      subjectType: 'user',
      subjectId: p.userId,
      before: { linked: true, externalId: links.find((l) => l.userId === p.userId)?.externalId ?? null },
      after: { linked: false, revokedMandates: p.revokedMandates, endedAssignments: p.endedAssignments },
    })),
  )
  await queueMails(tx, input.notice === 'each-mandate' ? mails : await summaryMails(tx, organisationId, done))
  return done
}

/** The "machtiging ingetrokken" mail of each mandate that is about to be revoked. */
async function mandateMails(tx: Tx, organisationId: string, userIds: string[], now: Date): Promise<QueuedMail[]> {
  const mandates = await tx.mandate.findMany({
    where: { userId: { in: userIds }, organisationId, status: { not: 'revoked' } },
    select: REVOKED_MAIL_SELECT,
  })
  return mandates.map((m) => revokedMandateMail(m, now))
}

/** One mail per person afgemeld: the organisation and how many mandates ended. */
async function summaryMails(tx: Tx, organisationId: string, done: Offboarded[]): Promise<QueuedMail[]> {
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } })
  const holders = await tx.user.findMany({
    where: { id: { in: done.map((p) => p.userId) } },
    select: { id: true, email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true },
  })
  const stamp = Date.now()
  return holders.map((h) => ({
    idempotencyKey: `offboarded:${h.id}:${organisationId}:${stamp}`,
    to: h.email,
    locale: h.locale,
    template: 'offboarded' as const,
    data: { name: personName(h), organisationName: organisation.name, count: done.find((p) => p.userId === h.id)!.revokedMandates },
  }))
}

/** Afmelden of one person (SCIM, the API) inside the caller's transaction. The link must exist (404 otherwise, rule 7). */
export async function offboardInTx(tx: Tx, actor: Actor, input: { userId: string; organisationId: string }, now = new Date()): Promise<Offboarded> {
  const { userId, organisationId } = input
  const link = await tx.$queryRaw<{ id: string }[]>`
    select id from organisation_links where user_id = ${userId}::uuid and organisation_id = ${organisationId}::uuid for update`
  if (!link[0]) throw new NotFoundError()
  // An admin (or the API client acting as him) does not offboard himself: the client would lose its rights.
  if (actor.principal?.id === userId) throw new RuleViolation('users:offboard.errors.self')
  const [done] = await offboardPeople(tx, actor, { organisationId, userIds: [userId], notice: 'each-mandate' }, now)
  return done!
}

/** Offboards a person the actor's principal administers the organisation of, in one transaction. */
export async function offboard(db: Db, actor: Actor, input: { userId: string; organisationId: string }, now = new Date()): Promise<Offboarded> {
  assertAdministers(actor.principal, input.organisationId)
  return db.$transaction((tx) => offboardInTx(tx, actor, input, now))
}
