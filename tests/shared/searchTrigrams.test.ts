// The user search's index conditions leave out the trigrams that are in at least half of all users'
// search texts (src/shared/searchTrigrams.ts, src/shared/userSearch.ts): which ones those are, from
// PostgreSQL's statistics, and which parts of a search are then looked up in the index.
import { describe, expect, it } from 'vitest'
import type { PageReads } from '../../src/db/pageReads.ts'
import { COMMON_SHARE, MIN_SAMPLE, SearchTrigramsCache, commonTrigrams } from '../../src/shared/searchTrigrams.ts'
import { indexedParts, innerTrigrams } from '../../src/shared/userSearch.ts'

const text = (n: number) => `anna persoon ${String(n).padStart(7, '0')}\npersoon${n}@bench.example`

describe('innerTrigrams', () => {
  it('When a text has words, then the trigrams inside each word are taken, lower-cased, never across a separator', () => {
    expect([...innerTrigrams('Jan de Vries')].sort()).toEqual(['jan', 'rie', 'ies', 'vri'].sort())
    expect(innerTrigrams('ab c-de')).toEqual(new Set())
    expect([...innerTrigrams('Ölçü')].sort()).toEqual(['lçü', 'ölç'].sort())
  })
})

describe('commonTrigrams', () => {
  const bounds = Array.from({ length: 101 }, (_, i) => text(i * 9_901))

  it('When every sampled text holds a word, then its trigrams are common and the rarer ones are not', () => {
    const common = commonTrigrams({ nullFrac: 0, mostCommonValues: null, mostCommonFreqs: null, histogramBounds: bounds })
    for (const trigram of ['per', 'ers', 'rso', 'soo', 'oon', 'ann', 'nna', 'ben', 'exa']) expect(common.has(trigram), trigram).toBe(true)
    for (const trigram of ['072', '720', 'on7', 'n72']) expect(common.has(trigram), trigram).toBe(false)
  })

  it('When most common values hold a share of the texts, then their share counts with the histogram for the rest', () => {
    // 'zee' is in every histogram text, which stands for 40 %; 'kip' in one common value of 60 %.
    const histogramBounds = Array.from({ length: 30 }, (_, i) => `zee ${i}`)
    const common = commonTrigrams({ nullFrac: 0, mostCommonValues: ['kip 1', 'vos 2'], mostCommonFreqs: [0.5, 0.1], histogramBounds })
    expect(common.has('kip')).toBe(true)
    expect(common.has('vos')).toBe(false)
    expect(common.has('zee')).toBe(false)
    const alone = commonTrigrams({ nullFrac: 0, mostCommonValues: ['kip 1'], mostCommonFreqs: [0.2], histogramBounds })
    expect(alone.has('zee')).toBe(true)
    expect(alone.has('kip')).toBe(false)
  })

  it(`When fewer than ${MIN_SAMPLE} texts were sampled, or none (no statistics yet), then nothing is common`, () => {
    expect(commonTrigrams({ nullFrac: 0, mostCommonValues: null, mostCommonFreqs: null, histogramBounds: bounds.slice(0, MIN_SAMPLE - 1) })).toEqual(new Set())
    expect(commonTrigrams({ nullFrac: 0, mostCommonValues: null, mostCommonFreqs: null, histogramBounds: null })).toEqual(new Set())
  })

  it(`When a trigram is in just under ${COMMON_SHARE * 100} % of the texts, then it is not common`, () => {
    const histogramBounds = Array.from({ length: 100 }, (_, i) => (i < 49 ? `kaas ${i}` : `melk ${i}`))
    const common = commonTrigrams({ nullFrac: 0, mostCommonValues: null, mostCommonFreqs: null, histogramBounds })
    expect(common.has('kaa')).toBe(false)
    expect(common.has('mel')).toBe(true)
  })
})

describe('indexedParts', () => {
  const common = new Set(['per', 'ers', 'rso', 'soo', 'oon', 'ben', 'enc', 'nch'])

  it('When nothing is common, then the whole search is looked up', () => {
    expect(indexedParts('Persoon 0720159', new Set())).toEqual(['Persoon 0720159'])
    expect(indexedParts('Jan Jansen', common)).toEqual(['Jan Jansen'])
  })

  it('When a word is made of common trigrams, then only the stretches of uncommon ones are looked up', () => {
    expect(indexedParts('Persoon 0720159', common)).toEqual(['0720159'])
    expect(indexedParts('persoon720159@bench', common)).toEqual(['on720159'])
    expect(indexedParts('Anna Persoon', common)).toEqual(['Anna'])
    expect(indexedParts('xpersoonx', common)).toEqual(['xpe', 'onx'])
  })

  it('When every trigram of the search is common, or it has none, then the whole search is looked up', () => {
    expect(indexedParts('persoon', common)).toEqual(['persoon'])
    expect(indexedParts('Persoon 07', common)).toEqual(['Persoon 07'])
    expect(indexedParts('ab', common)).toEqual(['ab'])
  })

  it('When a part is chosen, then it is a substring of the search, so whatever the search matches, the part matches too', () => {
    for (const search of ['Persoon 0720159', 'persoon720159@bench', 'Anna Persoon', 'xpersoonx', 'a.persoon-benchmark 12']) {
      for (const part of indexedParts(search, common)) expect(search).toContain(part)
    }
  })
})

describe('SearchTrigramsCache', () => {
  function reads(rows: unknown[] | Error) {
    const state = { loads: 0 }
    const pageReads: PageReads = {
      rows: <T>() => {
        state.loads++
        return rows instanceof Error ? Promise.reject(rows) : Promise.resolve(rows as T[])
      },
    }
    return { state, pageReads }
  }

  it('When asked twice within ten minutes, then the statistics are read once, and again after', async () => {
    const { state, pageReads } = reads([{ null_frac: 0, mcv: null, freqs: null, bounds: Array.from({ length: 30 }, (_, i) => text(i)) }])
    const cache = new SearchTrigramsCache(pageReads)
    expect((await cache.get(0)).has('per')).toBe(true)
    await cache.get(600_000)
    expect(state.loads).toBe(1)
    await cache.get(600_001)
    expect(state.loads).toBe(2)
  })

  it('When the index has no statistics yet, then nothing is common', async () => {
    expect(await new SearchTrigramsCache(reads([]).pageReads).get()).toEqual(new Set())
  })

  it('When the statistics cannot be read, then nothing is common and the next search reads them again', async () => {
    const { state, pageReads } = reads(new Error('connection lost'))
    const cache = new SearchTrigramsCache(pageReads)
    expect(await cache.get(0)).toEqual(new Set())
    await cache.get(1)
    expect(state.loads).toBe(2)
  })
})
