// PATCH and filter parsing on their own: the operation shapes of RFC 7644 and those Entra ID and Okta send.
import { describe, expect, it } from 'vitest'
import { applyPatch } from '../../../src/features/scim/patch.ts'
import { parseFilter } from '../../../src/features/scim/filter.ts'
import { ScimUserInput } from '../../../src/features/scim/schemas.ts'
import { ScimError } from '../../../src/web/scimError.ts'
import { EXTENSION } from './scimHelpers.ts'

const current = {
  id: 'x',
  userName: 'a@example.com',
  name: { givenName: 'Anna', familyName: 'Jansen' },
  emails: [{ value: 'a@example.com', type: 'work', primary: true }],
  phoneNumbers: [{ value: '+31612345678', type: 'mobile' }],
  active: true,
  [EXTENSION]: { dateOfBirth: '1985-03-14', lastNamePrefix: null },
}

function scimTypeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof ScimError) return error.scimType
    throw error
  }
  return 'no error'
}

describe('applyPatch', () => {
  it('When op is capitalised and active comes as the string "False", then active becomes false', () => {
    const patched = applyPatch(current, [{ op: 'Replace', path: 'active', value: 'False' }])
    expect(ScimUserInput.parse(patched).active).toBe(false)
  })

  it('When an operation has no path, then its value object sets the attributes (also dotted and extension ones)', () => {
    const patched = applyPatch(current, [
      { op: 'replace', value: { active: false, externalId: 'okta-1', 'name.givenName': 'Annie', [EXTENSION]: { lastNamePrefix: 'van' } } },
    ])
    expect(patched).toMatchObject({
      active: false,
      externalId: 'okta-1',
      name: { givenName: 'Annie', familyName: 'Jansen' },
      [EXTENSION]: { lastNamePrefix: 'van' },
    })
  })

  it('When a path has a value filter, then only the matching element changes, or one is added', () => {
    const patched = applyPatch(current, [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'b@example.com' },
      { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+31201234567' },
    ])
    expect(patched.emails).toEqual([{ value: 'b@example.com', type: 'work', primary: true }])
    expect(patched.phoneNumbers).toEqual([
      { value: '+31612345678', type: 'mobile' },
      { value: '+31201234567', type: 'work' },
    ])
    expect(applyPatch(current, [{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }]).phoneNumbers).toEqual([])
  })

  it('When paths carry a schema URN, then the core prefix is dropped, the extension is addressed and others are ignored', () => {
    const patched = applyPatch(current, [
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:externalId', value: 'e-1' },
      { op: 'replace', path: `${EXTENSION}:dateOfBirth`, value: '1985-03-15' },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'x' },
      { op: 'add', path: 'title', value: 'x' },
    ])
    expect(patched).toMatchObject({ externalId: 'e-1', [EXTENSION]: { dateOfBirth: '1985-03-15' } })
    expect(patched).not.toHaveProperty('title')
    expect(patched).not.toHaveProperty(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'])
  })

  it('When externalId is removed, then it becomes null; the original resource is never changed', () => {
    const withId = { ...current, externalId: 'e-1' }
    expect(applyPatch(withId, [{ op: 'remove', path: 'externalId' }]).externalId).toBeNull()
    expect(withId.externalId).toBe('e-1')
  })

  it('When an operation cannot be applied, then the SCIM error type says why', () => {
    expect(scimTypeOf(() => applyPatch(current, [{ op: 'remove' }]))).toBe('noTarget')
    expect(scimTypeOf(() => applyPatch(current, [{ op: 'replace', value: 'x' }]))).toBe('invalidValue')
    expect(scimTypeOf(() => applyPatch(current, [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }]))).toBe('invalidPath')
    expect(scimTypeOf(() => applyPatch(current, [{ op: 'replace', path: 'name[type eq "x"].givenName', value: 'x' }]))).toBe('invalidPath')
  })
})

describe('parseFilter', () => {
  it('When a supported filter is given, then it names the attribute and the value (JSON string escapes too)', () => {
    expect(parseFilter('userName eq "a@example.com"')).toEqual({ email: 'a@example.com' })
    expect(parseFilter('USERNAME EQ "a@example.com"')).toEqual({ email: 'a@example.com' })
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a@example.com"')).toEqual({ email: 'a@example.com' })
    expect(parseFilter('emails[type eq "work"].value eq "a@example.com"')).toEqual({ email: 'a@example.com' })
    expect(parseFilter('externalId eq "x \\"y\\""')).toEqual({ externalId: 'x "y"' })
    expect(parseFilter('id eq "1"')).toEqual({ id: '1' })
    expect(parseFilter(undefined)).toBeNull()
    expect(parseFilter('  ')).toBeNull()
  })

  it('When a filter is not supported, then it is invalidFilter (never an unfiltered list)', () => {
    for (const filter of [
      'userName co "a"',
      'userName eq "a" and active eq true',
      'displayName eq "x"',
      'userName eq a',
      'userName eq "a',
      'emails[type eq "home"].value eq "a"',
    ]) {
      expect(
        scimTypeOf(() => parseFilter(filter)),
        filter,
      ).toBe('invalidFilter')
    }
  })
})
