import { describe, expect, it } from 'vitest'
import type { PageReads } from '../../src/db/pageReads.ts'
import { CatalogueNamesCache } from '../../src/shared/catalogueNames.ts'

/** Page reads over an in-memory catalogue that the test can change, counting the loads. */
function fakeReads() {
  const state = {
    loads: 0,
    services: [{ id: 's1', name: 'Aangifte omzetbelasting', provider_name: 'Belastingdienst' }],
    providers: [{ id: 'p1', name: 'Belastingdienst' }],
  }
  const reads: PageReads = {
    rows: <T>(query: { text: string }) => {
      if (query.text.includes('join service_providers')) {
        state.loads++
        return Promise.resolve(state.services as T[])
      }
      return Promise.resolve(state.providers as T[])
    },
  }
  return { state, reads }
}

describe('CatalogueNamesCache', () => {
  it('When names are asked twice within a minute, then the catalogue is read once', async () => {
    const { state, reads } = fakeReads()
    const cache = new CatalogueNamesCache(reads)
    const first = await cache.get(undefined, 1_000)
    expect(first.services.get('s1')).toEqual({ name: 'Aangifte omzetbelasting', providerName: 'Belastingdienst' })
    expect(first.providers.get('p1')).toBe('Belastingdienst')
    expect(first.sorted).toEqual({ providers: [{ id: 'p1', name: 'Belastingdienst' }], services: [{ id: 's1', name: 'Aangifte omzetbelasting' }] })
    await cache.get(undefined, 30_000)
    expect(state.loads).toBe(1)
    await cache.get(undefined, 62_000)
    expect(state.loads).toBe(2)
  })

  it('When a service was added after the names were read, then asking for it reads them again', async () => {
    const { state, reads } = fakeReads()
    const cache = new CatalogueNamesCache(reads)
    await cache.get(undefined, 1_000)
    state.services.push({ id: 's2', name: 'Subsidie aanvragen', provider_name: 'RVO' })
    const knowsS2 = (names: { services: Map<string, unknown> }) => names.services.has('s2')
    // Within a second of a read the names are not read again, whatever is missing.
    expect((await cache.get(knowsS2, 1_500)).services.has('s2')).toBe(false)
    expect((await cache.get(knowsS2, 3_000)).services.get('s2')?.name).toBe('Subsidie aanvragen')
    expect(state.loads).toBe(2)
  })

  it('When reading the catalogue fails, then the next call tries again', async () => {
    const { state, reads } = fakeReads()
    let fail = true
    const cache = new CatalogueNamesCache({ rows: (q) => (fail ? Promise.reject(new Error('down')) : reads.rows(q)) })
    await expect(cache.get(undefined, 1_000)).rejects.toThrow('down')
    fail = false
    expect((await cache.get(undefined, 1_100)).services.has('s1')).toBe(true)
    expect(state.loads).toBe(1)
  })
})
