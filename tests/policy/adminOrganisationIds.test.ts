import { describe, expect, it } from 'vitest'
import { adminOrganisationIds, adminOrganisationsById } from '../../src/policy/access.ts'
import type { Principal } from '../../src/shared/principal.ts'

const principal = (ids: string[]) =>
  ({
    id: 'u1',
    adminOrganisations: ids.map((id) => ({ id, name: `Org ${id}`, kvkNumber: '12345678', level: 'EH3' })),
  }) as unknown as Principal

describe('adminOrganisationIds', () => {
  it('When asked twice for one principal, then it is the same frozen array (the page reads send it as made once)', () => {
    const p = principal(['a', 'b'])
    const ids = adminOrganisationIds(p)
    expect(ids).toEqual(['a', 'b'])
    expect(adminOrganisationIds(p)).toBe(ids)
    expect(Object.isFrozen(ids)).toBe(true)
    expect(() => ids.push('c')).toThrow(TypeError)
  })

  it('When the principal is another (a new version read after a change), then its own organisations count', () => {
    expect(adminOrganisationIds(principal(['a']))).toEqual(['a'])
    expect(adminOrganisationIds(principal(['a', 'c']))).toEqual(['a', 'c'])
    expect(adminOrganisationIds(null)).toEqual([])
  })

  it('When the organisations are looked up by id, then one map per principal holds each with its name and level', () => {
    const p = principal(['a', 'b'])
    const byId = adminOrganisationsById(p)
    expect(byId.get('b')).toEqual({ id: 'b', name: 'Org b', kvkNumber: '12345678', level: 'EH3' })
    expect(byId.get('x')).toBeUndefined()
    expect(adminOrganisationsById(p)).toBe(byId)
    expect(adminOrganisationsById(principal(['a'])).has('b')).toBe(false)
  })
})
