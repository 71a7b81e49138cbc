// Single-use, expiring e-mail links: the database keeps only the SHA-256 hash of a random token.
import { createHash, randomBytes } from 'node:crypto'
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

export type TokenProblem = 'invalid' | 'used' | 'expired'
export type TokenLookup = { ok: true; id: string; subject: Record<string, string> } | { ok: false; problem: TokenProblem }

/** Looks a token up without using it (a GET page shows what it names). */
export async function findActionToken(tx: Tx, raw: string, purpose: TokenPurpose, now = new Date()): Promise<TokenLookup> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(raw)) return { ok: false, problem: 'invalid' }
  const token = await tx.actionToken.findUnique({ where: { tokenHash: hashToken(raw) } })
  if (!token || token.purpose !== purpose) return { ok: false, problem: 'invalid' }
  if (token.usedAt) return { ok: false, problem: 'used' }
  if (token.expiresAt <= now) return { ok: false, problem: 'expired' }
  return { ok: true, id: token.id, subject: token.subject as Record<string, string> }
}

/** Marks the token used; false when someone else used it first (the caller then changes nothing). */
export async function useActionToken(tx: Tx, id: string, now = new Date()): Promise<boolean> {
  const result = await tx.actionToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } })
  return result.count === 1
}
