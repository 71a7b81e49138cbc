// The "Organisatie" field's matching (src/web/organisationChoice.ts): what a typed name, part of one
// or KvK number means among the admin's organisations.
import { describe, expect, it } from 'vitest'
import { chooseOrganisation, NAMED_MATCHES, organisationChoiceMessage, organisationChoiceText, organisationFilter } from '../../src/web/organisationChoice.ts'

const org = (n: number, name: string) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name, kvkNumber: String(70000000 + n) })
const bakkerij = org(1, 'Bakkerij De Vries B.V.')
const holding = org(2, 'De Vries Holding B.V.')
const bakkerijNoord = org(3, 'Bakkerij De Vries B.V. Noord')
const clients = Array.from({ length: 12 }, (_, i) => org(10 + i, `Klant ${String(i + 1).padStart(2, '0')} B.V.`))
const all = [bakkerij, bakkerijNoord, holding, ...clients]

describe('chooseOrganisation', () => {
  it('When the field is empty or blank, then it means every organisation', () => {
    for (const raw of [undefined, '', '   ', ['a', 'b'], 42]) expect(chooseOrganisation(all, raw)).toEqual({ kind: 'all' })
  })

  it('When it holds an id (a select, a link, a hidden field), then that id, lower case, for the caller to check', () => {
    expect(chooseOrganisation(all, bakkerij.id.toUpperCase())).toEqual({ kind: 'one', id: bakkerij.id })
  })

  it('When it holds a KvK number, with or without spaces, or the text the field shows for a chosen organisation, then that organisation', () => {
    expect(chooseOrganisation(all, holding.kvkNumber)).toEqual({ kind: 'one', id: holding.id })
    expect(chooseOrganisation(all, ' 7000 0002 ')).toEqual({ kind: 'one', id: holding.id })
    expect(chooseOrganisation(all, organisationChoiceText(bakkerij))).toEqual({ kind: 'one', id: bakkerij.id })
    expect(organisationChoiceText(bakkerij)).toBe('Bakkerij De Vries B.V. (KvK 70000001)')
  })

  it("When it holds a KvK number that is none of the admin's, then nothing fits", () => {
    expect(chooseOrganisation(all, '12345678')).toEqual({ kind: 'unknown', text: '12345678' })
  })

  it('When a name is typed whole, in any case and spacing, then that organisation, also when it is part of a longer name', () => {
    expect(chooseOrganisation(all, 'bakkerij  de vries b.v.')).toEqual({ kind: 'one', id: bakkerij.id })
  })

  it('When part of one name is typed, then that organisation; part of several, then the first five by name and how many', () => {
    expect(chooseOrganisation(all, 'holding')).toEqual({ kind: 'one', id: holding.id })
    const several = chooseOrganisation(all, 'de vries')
    expect(several).toEqual({ kind: 'several', text: 'de vries', matches: [bakkerij, bakkerijNoord, holding], total: 3 })
    const many = chooseOrganisation(all, 'Klant')
    expect(many.kind).toBe('several')
    if (many.kind !== 'several') return
    expect(many.total).toBe(12)
    expect(many.matches).toEqual(clients.slice(0, NAMED_MATCHES))
  })

  it('When the start of a KvK number is typed, then the organisations whose number starts so', () => {
    expect(chooseOrganisation(all, '7000001')).toMatchObject({ kind: 'several', total: 10 })
    expect(chooseOrganisation(all, '70000021')).toEqual({ kind: 'one', id: clients[11]!.id })
  })

  it('When a long text fits nothing, then the choice repeats only its first 60 characters', () => {
    const long = 'x'.repeat(500)
    expect(chooseOrganisation(all, long)).toEqual({ kind: 'unknown', text: `${'x'.repeat(60)}…` })
  })

  it('When nothing fits, then the message names the text; when several fit, it names them with their KvK numbers', () => {
    const t = (key: string, options?: Record<string, unknown>) => `${key} ${JSON.stringify(options)}`
    expect(organisationChoiceMessage(chooseOrganisation(all, 'Nergens'), t)).toBe('common:organisationChoice.unknown {"text":"Nergens"}')
    expect(organisationChoiceMessage(chooseOrganisation(all, 'de vries'), t)).toContain(
      '"names":"Bakkerij De Vries B.V. (KvK 70000001); Bakkerij De Vries B.V. Noord (KvK 70000003); De Vries Holding B.V. (KvK 70000002)"',
    )
    expect(organisationChoiceMessage(chooseOrganisation(all, holding.kvkNumber), t)).toBeNull()
    expect(organisationChoiceMessage({ kind: 'all' }, t)).toBeNull()
  })
})

describe('organisationFilter (the GET filters of Machtigingen, Gebruikers, Logboek and Wie mag wat)', () => {
  const t = (key: string, options?: Record<string, unknown>) => `${key} ${JSON.stringify(options)}`

  it('When the field is empty, then no organisation and no message; when it fits one, that id', () => {
    expect(organisationFilter(all, undefined, t)).toEqual({ id: undefined, message: null })
    expect(organisationFilter(all, '  ', t)).toEqual({ id: undefined, message: null })
    expect(organisationFilter(all, holding.kvkNumber, t)).toEqual({ id: holding.id, message: null })
    expect(organisationFilter(all, organisationChoiceText(bakkerij), t)).toEqual({ id: bakkerij.id, message: null })
  })

  it('When the text fits none or several, then no organisation and the message of the field', () => {
    expect(organisationFilter(all, 'Nergens', t)).toEqual({ id: undefined, message: 'common:organisationChoice.unknown {"text":"Nergens"}' })
    const several = organisationFilter(all, 'Klant', t)
    expect(several.id).toBeUndefined()
    expect(several.message).toContain('"count":12')
  })
})
