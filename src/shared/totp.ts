// TOTP (RFC 6238) as authenticator apps expect: SHA-1, 6 digits, 30 s.
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib'

export function newTotpSecret(): string {
  return generateSecret()
}

/** Accepts the current code and the one before or after it (30 s of clock drift). */
export function verifyTotp(secret: string, token: string, now: number = Date.now()): boolean {
  return verifyTotpStep(secret, token, now) !== null
}

/** The time step of a valid code (null when not valid), so a login can refuse a step used before. */
export function verifyTotpStep(secret: string, token: string, now: number = Date.now()): number | null {
  const clean = token.replace(/\s/g, '')
  if (!/^\d{6}$/.test(clean)) return null
  const result = verifySync({ secret, token: clean, epoch: Math.floor(now / 1000), epochTolerance: 30 })
  // otplib returns the matched time step at run time; its functional typings leave it out.
  if (!result.valid || !('timeStep' in result)) return null
  return typeof result.timeStep === 'number' ? result.timeStep : null
}

export function currentTotp(secret: string, now: number = Date.now()): string {
  return generateSync({ secret, epoch: Math.floor(now / 1000) })
}

export function totpUri(secret: string, label: string, issuer: string): string {
  return generateURI({ issuer, label, secret })
}
