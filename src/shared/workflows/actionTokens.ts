// Single-use, expiring e-mail links: the database keeps only the SHA-256 hash of a random token.
// A link mailed again replaces the one mailed before (supersedeActionTokens): only the newest works,
// and the older one's page says that a newer mail was sent.
import { createHash, randomBytes } from 'node:crypto'
import { Prisma } from '../../generated/prisma/client.ts'
import type { Tx } from '../../db/tx.ts'

export type TokenPurpose = 'sign-application' | 'email-change' | 'activation' | 'sign-registration' | 'registration-manage'

export function hashToken(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex')
}

export async function createActionToken(tx: Tx, purpose: TokenPurpose, subject: Record<string, string>, expiresAt: Date): Promise<string> {
  const raw = randomBytes(32).toString('base64url')
  await tx.actionToken.create({ data: { purpose, tokenHash: hashToken(raw), subject: subject, expiresAt } })
  return raw
}

export type TokenProblem = 'invalid' | 'used' | 'expired' | 'superseded'
export type TokenLookup = { ok: true; id: string; subject: Record<string, string> } | { ok: false; problem: TokenProblem }

/** Looks a token up without using it (a GET page shows what it names). */
export async function findActionToken(tx: Tx, raw: string, purpose: TokenPurpose, now = new Date()): Promise<TokenLookup> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(raw)) return { ok: false, problem: 'invalid' }
  const token = await tx.actionToken.findUnique({ where: { tokenHash: hashToken(raw) } })
  if (!token || token.purpose !== purpose) return { ok: false, problem: 'invalid' }
  if (token.supersededAt) return { ok: false, problem: 'superseded' }
  if (token.usedAt) return { ok: false, problem: 'used' }
  if (token.expiresAt <= now) return { ok: false, problem: 'expired' }
  return { ok: true, id: token.id, subject: token.subject as Record<string, string> }
}

/** Marks the token used; false when someone else used it first (the caller then changes nothing). */
export async function useActionToken(tx: Tx, id: string, now = new Date()): Promise<boolean> {
  const result = await tx.actionToken.updateMany({ where: { id, usedAt: null, supersededAt: null, expiresAt: { gt: now } }, data: { usedAt: now } })
  return result.count === 1
}

/**
 * Before a link is mailed again: every unused link of `purpose` whose subject holds `subject` (for
 * example `{ applicationId, legalRepresentativeId }`) stops working, in the caller's transaction.
 * Returns how many were replaced.
 */
export async function supersedeActionTokens(tx: Tx, purpose: TokenPurpose, subject: Record<string, string>, now = new Date()): Promise<number> {
  return tx.$executeRaw(Prisma.sql`
    update action_tokens set superseded_at = ${now}
    where purpose = ${purpose} and subject @> ${JSON.stringify(subject)}::jsonb and used_at is null and superseded_at is null`)
}
