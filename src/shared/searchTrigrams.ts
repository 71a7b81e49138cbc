// The trigrams that are common among all users' search texts, from PostgreSQL's own statistics of the
// search index's expression (users_search_trgm_idx): the user search leaves them out of its index
// conditions (userSearch.ts, indexedParts). ANALYZE (autovacuum) keeps those statistics: a sample of the
// texts as most common values with their shares, and a histogram whose bounds are spread evenly over
// the rest. Kept ten minutes per process; until the statistics exist (a new or small database) nothing
// is common, and the search looks for its whole text, as it always did.
import type { PageReads } from '../db/pageReads.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { innerTrigrams } from './userSearch.ts'

/** A trigram in at least this share of the texts narrows a search by at most half, but costs a read of that share of the index. */
export const COMMON_SHARE = 0.5
/** Fewer sampled texts than this say too little: nothing is common. */
export const MIN_SAMPLE = 20
const KEEP_MS = 10 * 60_000

export type SearchTextStats = {
  nullFrac: number
  mostCommonValues: string[] | null
  mostCommonFreqs: number[] | null
  histogramBounds: string[] | null
}

/** The trigrams in at least `share` of the texts, estimated from the statistics of the texts. */
export function commonTrigrams(stats: SearchTextStats, share = COMMON_SHARE): Set<string> {
  const values = stats.mostCommonValues ?? []
  const freqs = stats.mostCommonFreqs ?? []
  const bounds = stats.histogramBounds ?? []
  if (values.length + bounds.length < MIN_SAMPLE) return new Set()
  const estimated = new Map<string, number>()
  const add = (text: string, weight: number) => {
    for (const trigram of innerTrigrams(text)) estimated.set(trigram, (estimated.get(trigram) ?? 0) + weight)
  }
  values.forEach((text, i) => add(text, freqs[i] ?? 0))
  // The histogram's bounds each stand for an equal part of what the most common values leave.
  const rest = Math.max(0, 1 - stats.nullFrac - freqs.reduce((sum, f) => sum + f, 0))
  for (const text of bounds) add(text, rest / bounds.length)
  return new Set([...estimated].filter(([, frequency]) => frequency >= share).map(([trigram]) => trigram))
}

export class SearchTrigramsCache {
  private loaded: { at: number; value: Promise<ReadonlySet<string>> } | null = null

  constructor(private readonly reads: PageReads) {}

  /** The common trigrams, read at most once every ten minutes; none when they cannot be read. */
  get(now = Date.now()): Promise<ReadonlySet<string>> {
    if (this.loaded && now - this.loaded.at <= KEEP_MS) return this.loaded.value
    const value = this.load().catch((): ReadonlySet<string> => {
      // Not kept: the next search reads them again.
      if (this.loaded?.value === value) this.loaded = null
      return new Set()
    })
    this.loaded = { at: now, value }
    return value
  }

  private async load(): Promise<ReadonlySet<string>> {
    const [row] = await this.reads.rows<{ null_frac: number; mcv: string[] | null; freqs: number[] | null; bounds: string[] | null }>(Prisma.sql`
      select s.null_frac, s.most_common_vals::text::text[] as mcv, s.most_common_freqs as freqs, s.histogram_bounds::text::text[] as bounds
      from pg_stats s
      where s.schemaname = current_schema() and s.tablename = 'users_search_trgm_idx'`)
    if (!row) return new Set()
    return commonTrigrams({ nullFrac: row.null_frac, mostCommonValues: row.mcv, mostCommonFreqs: row.freqs, histogramBounds: row.bounds })
  }
}
