// SCIM 2.0 end to end, in the request shapes Entra ID and Okta document: each provisions a person
// (who then shows on the Gebruikers page with an active means at the client's level), updates, and
// deprovisions (mandates in the organisation revoked, link ended, account and means kept), and every
// change is audited with the client as actor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import request from 'supertest'
import { createTestApp, type Agent, type TestApp } from '../../helpers/app.ts'
import { paths, pathFor } from '../../../src/paths.ts'
import { EXTENSION, PATCH_OP, json, oktaUserBody, portal, scim, scimAnswer, scimClient } from './scimHelpers.ts'

let t: TestApp
let token: string
let organisationId: string
let sanne: Agent
let checks: ReturnType<typeof portal>

beforeAll(async () => {
  t = await createTestApp()
  const made = await scimClient(t)
  token = made.token
  organisationId = made.organisation.id
  sanne = await t.loginAs('sanne')
  checks = portal(t, sanne, { organisationId, clientName: made.client.name, apiToken: token })
})
afterAll(async () => {
  await t.close()
})

const userPath = (id: string) => pathFor(paths.scim.user, { id })
const search = (filter: string) => `${paths.scim.users}?filter=${encodeURIComponent(filter)}`

describe('Entra ID', () => {
  const email = 'femke.entra@bakkerij-devries.example'
  const entraUser = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', EXTENSION],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: email,
    active: true,
    emails: [{ primary: true, type: 'work', value: email }],
    phoneNumbers: [{ type: 'mobile', value: '06 1234 5678' }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Femke Jansen', familyName: 'Jansen', givenName: 'Femke' },
    roles: [],
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '701984', department: 'Bakkerij' },
    [EXTENSION]: { dateOfBirth: '1990-04-12' },
  }

  it('When Entra ID provisions, updates and disables a user, then the person appears, keeps the data and is offboarded', async () => {
    const client = scim(t, token)
    // Entra looks for the user first: nobody yet.
    const none = json(scimAnswer(await client.get(search(`userName eq "${email}"`)), 200))
    expect(none).toMatchObject({ totalResults: 0, Resources: [] })

    const created = scimAnswer(await client.post(paths.scim.users, entraUser), 201)
    const user = json<{ id: string; userName: string; active: boolean; externalId: string; [EXTENSION]: { level: string; meansStatus: string } }>(created)
    expect(created.headers.location).toBe(`${t.config.baseUrl}${userPath(user.id)}`)
    expect(user).toMatchObject({ userName: email, active: true, externalId: entraUser.externalId })
    expect(user[EXTENSION]).toMatchObject({ level: 'EH2+', meansStatus: 'active' })
    expect(await checks.gebruikersPage('Femke')).toContain(email)

    // Found again by each filter Entra uses.
    for (const filter of [`userName eq "${email.toUpperCase()}"`, `externalId eq "${entraUser.externalId}"`, `emails[type eq "work"].value eq "${email}"`]) {
      const found = json(scimAnswer(await client.get(search(filter)), 200))
      expect(found, filter).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] })
    }
    scimAnswer(await client.get(userPath(user.id)), 200)

    // Entra's update shapes: capitalised op, a filtered path, the same values; then a new externalId.
    const same = await client.patch(userPath(user.id), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
        { op: 'Replace', path: 'name.familyName', value: 'Jansen' },
        { op: 'Add', path: 'externalId', value: 'entra-2' },
      ],
    })
    expect(json(scimAnswer(same, 200))).toMatchObject({ externalId: 'entra-2', active: true })
    const rename = await client.patch(userPath(user.id), { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'name.familyName', value: 'Bakker' }] })
    scimAnswer(rename, 400, 'mutability')
    expect((await t.database.db.user.findUniqueOrThrow({ where: { id: user.id } })).lastName).toBe('Jansen')

    const mandateId = await checks.grantOne(user.id)
    // Entra disables with the string "False".
    const disabled = await client.patch(userPath(user.id), { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })
    expect(json(scimAnswer(disabled, 200))).toMatchObject({ id: user.id, active: false })
    await checks.expectOffboarded(user.id, mandateId)
    expect(await checks.gebruikersPage('Femke')).not.toContain(email)
    scimAnswer(await client.get(userPath(user.id)), 404)
    expect(json(scimAnswer(await client.get(search(`userName eq "${email}"`)), 200))).toMatchObject({ totalResults: 0 })
  })

  it('When Entra ID deletes a user, then the person is offboarded the same way (204)', async () => {
    const client = scim(t, token)
    const email2 = 'gijs.entra@bakkerij-devries.example'
    const body = {
      ...entraUser,
      externalId: 'entra-gijs',
      userName: email2,
      emails: [{ primary: true, type: 'work', value: email2 }],
      name: { givenName: 'Gijs', familyName: 'de Wit' },
    }
    const user = json<{ id: string }>(scimAnswer(await client.post(paths.scim.users, body), 201))
    const mandateId = await checks.grantOne(user.id)
    scimAnswer(await client.delete(userPath(user.id)), 204)
    await checks.expectOffboarded(user.id, mandateId)
    scimAnswer(await client.delete(userPath(user.id)), 404)
  })
})

describe('Okta', () => {
  const email = 'okke.okta@bakkerij-devries.example'
  const oktaUser = oktaUserBody(email, { givenName: 'Okke', familyName: 'Visser' }, '00ujl29u0le5T6Aj10h7')

  it('When Okta tests the connection, provisions, replaces and deactivates a user, then the portal shows each step', async () => {
    const client = scim(t, token)
    const probe = json(scimAnswer(await client.get(`${paths.scim.users}?startIndex=1&count=2`), 200))
    expect(probe).toMatchObject({ startIndex: 1, schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] })
    expect((probe.Resources as unknown[]).length).toBeLessThanOrEqual(2)
    expect(json(scimAnswer(await client.get(`${search(`userName eq "${email}"`)}&startIndex=1&count=100`), 200))).toMatchObject({ totalResults: 0 })

    const user = json<{ id: string }>(scimAnswer(await client.post(paths.scim.users, oktaUser), 201))
    expect(await checks.gebruikersPage('Okke')).toContain(email)
    const means = await t.database.db.means.findFirstOrThrow({ where: { userId: user.id } })
    expect(means.level).toBe('EH2_PLUS')
    expect(means.validUntil.getUTCFullYear() - means.validFrom.getUTCFullYear()).toBe(5)

    // Okta's PUT sends the whole user again.
    const put = await client.put(userPath(user.id), { ...oktaUser, id: user.id })
    expect(json(scimAnswer(put, 200))).toMatchObject({ id: user.id, active: true, externalId: oktaUser.externalId })

    const mandateId = await checks.grantOne(user.id)
    // Okta deactivates with a value object and no path.
    const off = await client.patch(userPath(user.id), { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })
    expect(json(scimAnswer(off, 200))).toMatchObject({ active: false })
    await checks.expectOffboarded(user.id, mandateId)
    expect(await checks.gebruikersPage('Okke')).not.toContain(email)
  })
})

describe('discovery, paging and refusals', () => {
  it('When the discovery documents are read, then they describe Users, PATCH and filtering', async () => {
    const client = scim(t, token)
    const config = json(scimAnswer(await client.get(paths.scim.serviceProviderConfig), 200))
    expect(config).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false } })
    const types = json<{ Resources: { id: string }[] }>(scimAnswer(await client.get(paths.scim.resourceTypes), 200))
    expect(types.Resources.map((r) => r.id)).toEqual(['User'])
    scimAnswer(await client.get(pathFor(paths.scim.resourceType, { name: 'User' })), 200)
    scimAnswer(await client.get(pathFor(paths.scim.resourceType, { name: 'Group' })), 404)
    const schemas = json<{ Resources: { id: string }[] }>(scimAnswer(await client.get(paths.scim.schemas), 200))
    expect(schemas.Resources.map((r) => r.id)).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', EXTENSION])
    scimAnswer(await client.get(pathFor(paths.scim.schema, { name: EXTENSION })), 200)
  })

  it('When the list is paged with startIndex and count, then the pages hold the organisation’s people once each', async () => {
    const client = scim(t, token)
    const all = json<{ totalResults: number; Resources: { id: string }[] }>(scimAnswer(await client.get(`${paths.scim.users}?count=200`), 200))
    const linked = await t.database.db.organisationLink.count({ where: { organisationId } })
    expect(all.totalResults).toBe(linked)
    const seen: string[] = []
    for (let start = 1; start <= all.totalResults; start += 3) {
      const page = json<{ startIndex: number; itemsPerPage: number; Resources: { id: string }[] }>(
        scimAnswer(await client.get(`${paths.scim.users}?startIndex=${start}&count=3`), 200),
      )
      expect(page.startIndex).toBe(start)
      seen.push(...page.Resources.map((r) => r.id))
    }
    expect(seen).toEqual(all.Resources.map((r) => r.id))
    expect(json(scimAnswer(await client.get(`${paths.scim.users}?count=0`), 200))).toMatchObject({ itemsPerPage: 0, totalResults: linked })
  })

  it('When the token, scope, filter, body or id is wrong, then a SCIM error with the right status and nothing changes', async () => {
    const users = await t.database.db.user.count()
    expect(json(scimAnswer(await request(t.app).get(paths.scim.users), 401))).toMatchObject({ status: '401' })
    scimAnswer(await scim(t, 'bmat_nope').get(paths.scim.users), 401)
    const readOnly = await scimClient(t, { scopes: ['users:read'], name: 'Alleen lezen' })
    const reader = scim(t, readOnly.token)
    scimAnswer(await reader.get(paths.scim.users), 200)
    scimAnswer(await reader.post(paths.scim.users, { userName: 'x@example.com' }), 403)
    const noUsers = await scimClient(t, { scopes: ['mandates:read'], name: 'Geen gebruikers' })
    scimAnswer(await scim(t, noUsers.token).get(paths.scim.users), 403)

    const client = scim(t, token)
    scimAnswer(await client.get(search('displayName co "Jan"')), 400, 'invalidFilter')
    scimAnswer(await client.get(search('userName eq jan')), 400, 'invalidFilter')
    scimAnswer(await client.get(`${paths.scim.users}?startIndex=abc`), 400)
    scimAnswer(await client.get(userPath('00000000-0000-0000-0000-000000000000')), 404)
    scimAnswer(await client.get(userPath('not-a-uuid')), 404)
    // Someone of another organisation is not found either (rule 7).
    const other = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'pieter.bakker@demo.example' } })
    scimAnswer(await client.get(userPath(other.id)), 404)
    scimAnswer(await client.delete(userPath(other.id)), 404)

    const base = {
      userName: 'nieuw@bakkerij-devries.example',
      name: { givenName: 'Nina', familyName: 'Nieuw' },
      phoneNumbers: [{ type: 'mobile', value: '0612345678' }],
      [EXTENSION]: { dateOfBirth: '1985-03-14' },
    }
    // An address already in use (here: someone already linked) is a uniqueness conflict.
    const jan = { ...base, userName: 'jan.smit@demo.example' }
    scimAnswer(await client.post(paths.scim.users, jan), 409, 'uniqueness')
    scimAnswer(await client.post(paths.scim.users, { ...base, [EXTENSION]: {} }), 400, 'invalidValue')
    const tooYoung = json(scimAnswer(await client.post(paths.scim.users, { ...base, [EXTENSION]: { dateOfBirth: '2020-01-01' } }), 400, 'invalidValue'))
    expect(tooYoung.detail).toMatch(/^dateOfBirth: /)
    scimAnswer(await client.post(paths.scim.users, { ...base, phoneNumbers: [] }), 400, 'invalidValue')
    scimAnswer(await client.post(paths.scim.users, { ...base, active: 'nee' }), 400)
    scimAnswer(await client.post(paths.scim.users, { ...base, name: 'Nina' }), 400, 'invalidSyntax')
    scimAnswer(await client.post(paths.scim.users, { ...base, emails: [{ type: 'work', value: 'ander@bakkerij-devries.example' }] }), 400, 'invalidValue')
    scimAnswer(await client.post(paths.scim.users, { ...base, active: false }), 400, 'invalidValue')
    const english = await client.post(paths.scim.users, { ...base, phoneNumbers: [] }).set('Accept-Language', 'en')
    expect(json(english).detail).toMatch(/mobile/i)
    const form = await request(t.app).post(paths.scim.users).set('Authorization', `Bearer ${token}`).type('form').send({ userName: 'x' })
    scimAnswer(form, 415)
    expect(await t.database.db.user.count()).toBe(users)

    const nina = json<{ id: string }>(scimAnswer(await client.post(paths.scim.users, { ...base, externalId: 'hr-1' }), 201))
    scimAnswer(await client.post(paths.scim.users, { ...base, userName: 'tweede@bakkerij-devries.example', externalId: 'hr-1' }), 409, 'uniqueness')
    const badPatch = (Operations: unknown[], schemas = [PATCH_OP]) => client.patch(userPath(nina.id), { schemas, Operations })
    scimAnswer(await badPatch([{ op: 'Remove' }]), 400, 'noTarget')
    scimAnswer(await badPatch([{ op: 'move', path: 'active', value: true }]), 400)
    scimAnswer(await badPatch([{ op: 'replace', path: 'active', value: true }], []), 400)
    scimAnswer(await badPatch([{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ander@bakkerij-devries.example' }]), 400, 'mutability')
    scimAnswer(await badPatch([{ op: 'replace', path: 'active', value: 'misschien' }]), 400)
    scimAnswer(await badPatch([{ op: 'replace', path: '!!', value: 1 }]), 400, 'invalidPath')
    // Attributes this server does not keep are ignored, not refused.
    const ignored = await badPatch([
      { op: 'add', path: 'title', value: 'Bakker' },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Brood' },
    ])
    scimAnswer(ignored, 200)
    expect(await t.database.db.organisationLink.count({ where: { userId: nina.id, organisationId } })).toBe(1)
  })

  it('When the client offboards the admin who created it, then it is refused (the client acts with his rights)', async () => {
    const sanneUser = await t.database.db.user.findFirstOrThrow({ where: { emailKey: 'sanne.devries@demo.example' } })
    scimAnswer(await scim(t, token).delete(userPath(sanneUser.id)), 400, 'invalidValue')
    expect(await t.database.db.organisationLink.count({ where: { userId: sanneUser.id, organisationId } })).toBe(1)
  })
})
