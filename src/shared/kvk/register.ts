// The Handelsregister (KvK) port: a company's profile and its functionarissen with their authority.
// Two adapters: FileKvkRegister (prisma/seed/kvk.json, development and demo) and HttpKvkRegister
// (KvK's APIs, with KVK_API_URL and KVK_API_KEY). Features depend on this interface only.

/** Bevoegdheid on the extract: alleen/zelfstandig bevoegd, gezamenlijk bevoegd, beperkt bevoegd. */
export type KvkAuthority = 'sole' | 'joint' | 'limited'

export type KvkAddress = { street: string; postcode: string; city: string }
export type KvkBranch = { branchNumber: string; name: string; city: string | null }
export type KvkOfficer = { name: string; authority: KvkAuthority; role: string | null }

export type KvkProfile = {
  kvkNumber: string
  name: string
  legalForm: string | null
  address: KvkAddress | null
  branches: KvkBranch[]
  officers: KvkOfficer[]
}

/**
 * Why a look-up failed: `unknown` (no such KvK number, 404), `rateLimited` (429), `unavailable`
 * (5xx, an unreadable answer, no connection), `timeout`. Each has a message for the user
 * (`registration:kvk.<kind>`) and the adapter logs a line.
 */
export type KvkFailure = 'unknown' | 'rateLimited' | 'unavailable' | 'timeout'

export class KvkError extends Error {
  override name = 'KvkError'
  constructor(
    readonly kind: KvkFailure,
    detail: string,
  ) {
    super(`KvK ${kind}: ${detail}`)
  }
}

export interface KvkRegister {
  /** The profile and functionarissen of an 8-digit KvK number; throws KvkError. */
  profile(kvkNumber: string): Promise<KvkProfile>
}

export const KVK_NUMBER = /^[0-9]{8}$/

/** Maps the extract's wording (and our own codes) to an authority; null when it is none of the three. */
export function authorityFrom(text: string): KvkAuthority | null {
  const t = text.trim().toLowerCase()
  if (t === 'sole' || t.includes('alleen') || t.includes('zelfstandig') || t.includes('onbeperkt')) return 'sole'
  if (t === 'joint' || t.includes('gezamenlijk')) return 'joint'
  if (t === 'limited' || t.includes('beperkt')) return 'limited'
  return null
}
