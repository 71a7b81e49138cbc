// argon2id with OWASP's recommended minimum (m=19 MiB, t=2, p=1).
import { hash, verify, Algorithm } from '@node-rs/argon2'

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same time as a real check, so unknown accounts cannot be told apart by timing.
    await hash(password, OPTIONS)
    return false
  }
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}
