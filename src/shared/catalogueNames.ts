// The names of the service catalogue (services and their providers), kept in memory for the
// Machtigingen list: its rows and its "Dienst" filter. The catalogue is the supplier's: the portal
// only seeds it at start-up and never edits it, so the list need not join services and
// service_providers for every page (about a third of the list query's work in PostgreSQL). Kept a
// minute; an id it does not know (a service added since) reloads it at once.
import type { PageReads } from '../db/pageReads.ts'
import { Prisma } from '../generated/prisma/client.ts'

export type CatalogueNames = {
  /** Service id → its name and its provider's name. */
  services: Map<string, { name: string; providerName: string }>
  /** Provider id → name. */
  providers: Map<string, string>
  /** Every provider and every service by name, for the list's filter (one object per load). */
  sorted: { providers: { id: string; name: string }[]; services: { id: string; name: string }[] }
}

/** Whether `names` know a row's service and provider (either may be absent): the `knows` of CatalogueNamesCache.get. */
export function namesKnow(names: CatalogueNames, serviceId: string | null, providerId: string | null): boolean {
  return (!serviceId || names.services.has(serviceId)) && (!providerId || names.providers.has(providerId))
}

const KEEP_MS = 60_000
const RELOAD_MS = 1_000

export class CatalogueNamesCache {
  private loaded: { at: number; value: Promise<CatalogueNames> } | null = null

  constructor(private readonly reads: PageReads) {}

  /**
   * The names, loaded at most once a minute, and again (at most once a second) when `knows` says
   * they lack an id the caller needs.
   */
  async get(knows: (names: CatalogueNames) => boolean = () => true, now = Date.now()): Promise<CatalogueNames> {
    const loaded = this.loaded
    if (loaded && now - loaded.at <= KEEP_MS) {
      const names = await loaded.value
      if (now - loaded.at < RELOAD_MS || knows(names)) return names
    }
    const value = this.load()
    this.loaded = { at: now, value }
    value.catch(() => {
      if (this.loaded?.value === value) this.loaded = null
    })
    return value
  }

  private async load(): Promise<CatalogueNames> {
    const [services, providers] = await Promise.all([
      this.reads.rows<{ id: string; name: string; provider_name: string }>(Prisma.sql`
        select s.id, s.name, p.name as provider_name from services s join service_providers p on p.id = s.provider_id`),
      this.reads.rows<{ id: string; name: string }>(Prisma.sql`select id, name from service_providers`),
    ])
    const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id)
    return {
      services: new Map(services.map((s) => [s.id, { name: s.name, providerName: s.provider_name }])),
      providers: new Map(providers.map((p) => [p.id, p.name])),
      sorted: {
        providers: providers.map((p) => ({ id: p.id, name: p.name })).sort(byName),
        services: services.map((s) => ({ id: s.id, name: s.name })).sort(byName),
      },
    }
  }
}
