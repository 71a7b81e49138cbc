// Principals kept in this process's memory, each for the version of users.principal_version and the
// day it was read for (migration *_principal_version moves the version whenever the principal's data
// changes; an admin mandate's term starts and ends with a day). Least recently used principals go first
// once the total weight (one per principal plus one per organisation it administers) passes the bound.
import type { Principal } from '../../shared/principal.ts'

type Entry = { version: string; day: string; principal: Principal; weight: number }

/** About 10 MB at most: an accountant's principal of 500 organisations weighs 501. */
export const PRINCIPAL_CACHE_WEIGHT = 50_000

export class PrincipalCache {
  private readonly entries = new Map<string, Entry>()
  private weight = 0

  constructor(private readonly maxWeight = PRINCIPAL_CACHE_WEIGHT) {}

  /** The principal read for this version and day, or undefined. */
  get(id: string, version: string, day: string): Principal | undefined {
    const entry = this.entries.get(id)
    if (!entry) return undefined
    if (entry.version !== version || entry.day !== day) {
      this.delete(id)
      return undefined
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(id)
    this.entries.set(id, entry)
    return entry.principal
  }

  /** Keeps a principal, frozen: one object serves every request of this person until it changes. */
  set(id: string, version: string, day: string, principal: Principal): Principal {
    this.delete(id)
    const frozen = freeze(principal)
    const weight = 1 + principal.adminOrganisations.length
    if (weight > this.maxWeight) return frozen
    this.entries.set(id, { version, day, principal: frozen, weight })
    this.weight += weight
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.maxWeight) break
      this.entries.delete(oldest)
      this.weight -= entry.weight
    }
    return frozen
  }

  delete(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    this.entries.delete(id)
    this.weight -= entry.weight
  }
}

function freeze(principal: Principal): Principal {
  for (const organisation of principal.adminOrganisations) Object.freeze(organisation)
  Object.freeze(principal.adminOrganisations)
  return Object.freeze(principal)
}
