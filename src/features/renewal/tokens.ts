// Single-use e-mail link tokens (ActionToken): the link carries a random token, the database only
// its SHA-256, so a database leak gives no working links.
import { createHash, randomBytes } from 'node:crypto'

export function newToken(): string {
  return randomBytes(32).toString('hex')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Tokens are 64 hex characters; anything else is tampered with and never reaches the database. */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)
}
