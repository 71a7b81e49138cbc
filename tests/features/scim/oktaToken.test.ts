// Okta with the client's long-lived SCIM token (Okta's "HTTP Header" authentication, which sends
// `Authorization: Bearer <token>` on every request; an OIN integration's "Header" mode sends the bare
// token): sanne issues the token on API-koppelingen, then Okta tests the connector, provisions a person,
// pushes a profile update (PUT with the whole resource), and deactivates the person with PATCH
// `{"op":"replace","value":{"active":false}}`. Each step shows in the portal; the trail names the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Agent, type TestApp } from '../../helpers/app.ts'
import { paths, pathFor } from '../../../src/paths.ts'
import { PATCH_OP, json, oktaUserBody, portal, scim, scimAnswer, scimClient, scimTokenFromPage } from './scimHelpers.ts'

let t: TestApp
let sanne: Agent
let staticToken: string
let checks: ReturnType<typeof portal>

beforeAll(async () => {
  t = await createTestApp()
  const made = await scimClient(t, { name: 'Okta' })
  sanne = await t.loginAs('sanne')
  staticToken = (await scimTokenFromPage(sanne, made.client.id)).token
  checks = portal(t, sanne, { organisationId: made.organisation.id, clientName: made.client.name, apiToken: made.token })
})
afterAll(async () => {
  await t.close()
})

const userPath = (id: string) => pathFor(paths.scim.user, { id })
const search = (filter: string) => `${paths.scim.users}?filter=${encodeURIComponent(filter)}`

describe('Okta with the SCIM token', () => {
  for (const mode of ['HTTP Header (Bearer)', 'Header (bare token)'] as const) {
    it(`When Okta (${mode}) tests the connector, provisions, updates and deactivates a user, then the portal shows each step`, async () => {
      const bare = mode.startsWith('Header')
      const slug = bare ? 'bare' : 'bearer'
      const email = `okta.${slug}@bakkerij-devries.example`
      const client = scim(t, staticToken, bare ? staticToken : `Bearer ${staticToken}`)
      const body = oktaUserBody(email, { givenName: bare ? 'Bram' : 'Britt', familyName: 'Okta' }, `00u-${slug}`)

      // "Test Connector Configuration": a small page of users, then the lookup before a create.
      expect(json(scimAnswer(await client.get(`${paths.scim.users}?startIndex=1&count=2`), 200))).toMatchObject({ startIndex: 1 })
      expect(json(scimAnswer(await client.get(`${search(`userName eq "${email}"`)}&startIndex=1&count=100`), 200))).toMatchObject({
        totalResults: 0,
      })

      const user = json<{ id: string }>(scimAnswer(await client.post(paths.scim.users, body), 201))
      expect(await checks.gebruikersPage(body.name.givenName)).toContain(email)
      expect((await t.database.db.means.findFirstOrThrow({ where: { userId: user.id } })).level).toBe('EH2_PLUS')

      // A profile push: Okta GETs the user and PUTs the whole resource back, here with a new externalId.
      const current = json<Record<string, unknown>>(scimAnswer(await client.get(userPath(user.id)), 200))
      const put = await client.put(userPath(user.id), { ...body, ...current, externalId: `00u-${slug}-2`, title: 'Bakker' })
      expect(json(scimAnswer(put, 200))).toMatchObject({ id: user.id, active: true, externalId: `00u-${slug}-2` })
      const link = await t.database.db.organisationLink.findFirstOrThrow({ where: { userId: user.id } })
      expect(link.externalId).toBe(`00u-${slug}-2`)

      const mandateId = await checks.grantOne(user.id)
      const off = await client.patch(userPath(user.id), { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })
      expect(json(scimAnswer(off, 200))).toMatchObject({ id: user.id, active: false })
      await checks.expectOffboarded(user.id, mandateId)
      expect(await checks.gebruikersPage(body.name.givenName)).not.toContain(email)
      scimAnswer(await client.get(userPath(user.id)), 404)
    })
  }
})
