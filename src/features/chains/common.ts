// What the Ketenmachtigingen services share: the acting principal, the admins of an organisation
// (who get the mails), a scope as plain data for views and mails, and scope keys of the forms.
import { Prisma } from '../../generated/prisma/client.ts'
import type { MandateScope } from '../../generated/prisma/client.ts'
import { NotFoundError } from '../../errors.ts'
import type { Db, Tx } from '../../db/tx.ts'
import { personName } from '../../domain/names.ts'
import { queueMails } from '../../shared/outbox.ts'
import type { Principal } from '../../shared/principal.ts'

/** The principal of a call; without one, nothing exists (404). */
export function principalOf(actor: { principal: Principal | null }): Principal {
  if (!actor.principal) throw new NotFoundError()
  return actor.principal
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}

export type Admin = { id: string; email: string; locale: string; firstName: string; lastNamePrefix: string | null; lastName: string }

/** The people holding an active admin mandate for the organisation today (none: not a customer here). */
export function activeAdmins(db: Db | Tx, organisationId: string, now = new Date()): Promise<Admin[]> {
  return db.user.findMany({
    where: { mandates: { some: { organisationId, kind: 'admin', status: 'active', validUntil: { gte: now } } } },
    select: { id: true, email: true, locale: true, firstName: true, lastNamePrefix: true, lastName: true },
    orderBy: { lastName: 'asc' },
  })
}

export type ScopeData = { scope: MandateScope; serviceName?: string; providerName?: string }

/** A scope as the views and mails show it (names from the catalogue). */
export function chainScopeData(
  row: { scope: MandateScope; serviceId: string | null; providerId: string | null },
  names: { providers: Map<string, string>; services: Map<string, { name: string }> },
): ScopeData {
  if (row.scope === 'service') return { scope: 'service', serviceName: names.services.get(row.serviceId ?? '')?.name ?? '' }
  if (row.scope === 'provider') return { scope: 'provider', providerName: names.providers.get(row.providerId ?? '') ?? '' }
  return { scope: 'all' }
}

/** 'all' | 'provider:<uuid>' | 'service:<uuid>' (the form value of a scope) → its parts, or null. */
export function parseScopeKey(value: string): { scope: MandateScope; serviceId?: string; providerId?: string } | null {
  if (value === 'all') return { scope: 'all' }
  const match = /^(provider|service):([0-9a-f-]{36})$/i.exec(value)
  if (!match) return null
  const id = match[2]!.toLowerCase()
  return match[1] === 'provider' ? { scope: 'provider', providerId: id } : { scope: 'service', serviceId: id }
}

/**
 * A change of a ketenmachtiging on the client's side, to the admins of both organisations (the
 * intermediary's only when it is a customer here, that is: has admins). `stamp` keeps the mails of
 * one change apart from the next change's.
 */
export async function mailBothSides(
  tx: Tx,
  chain: { id: string; organisation_id: string; intermediary_organisation_id: string },
  template: 'chain-revoked' | 'chain-renewed' | 'chain-status',
  extra: Record<string, unknown>,
  stamp = String(extra.revokedAt ?? extra.validUntil),
) {
  const [client, intermediary] = await Promise.all([
    tx.organisation.findUniqueOrThrow({ where: { id: chain.organisation_id }, select: { name: true } }),
    tx.organisation.findUniqueOrThrow({ where: { id: chain.intermediary_organisation_id }, select: { name: true } }),
  ])
  const admins = [...(await activeAdmins(tx, chain.organisation_id)), ...(await activeAdmins(tx, chain.intermediary_organisation_id))]
  await queueMails(
    tx,
    admins.map((a) => ({
      idempotencyKey: `${template}:${chain.id}:${stamp}:${a.id}`,
      to: a.email,
      template,
      locale: a.locale,
      data: { name: personName(a), clientName: client.name, intermediaryName: intermediary.name, ...extra },
    })),
  )
}
