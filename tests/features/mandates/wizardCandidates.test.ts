// The wizard's user step ("Nieuwe Machtigingen Aanvragen" → Gebruiker): the page's users with whether
// each is linked to the organisation and whether a link request there is still open, read as the app
// reads them (straight through pg: the page reads, and for a search the search reads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PgPageReads } from '../../../src/db/pageReads.ts'
import { MandateWizardService } from '../../../src/features/mandates/wizardService.ts'
import type { Principal } from '../../../src/shared/principal.ts'
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts'
import { actorFor, demo } from './helpers.ts'

let t: TestDatabase
let d: Awaited<ReturnType<typeof demo>>
let sanne: Principal
let pageReads: PgPageReads
let searchReads: PgPageReads
let wizard: MandateWizardService
const now = new Date()
const day = 24 * 60 * 60 * 1000

beforeAll(async () => {
  t = await createTestDatabase({ demo: true, poolSize: 4 })
  d = await demo(t.db)
  sanne = (await actorFor(t.db, d.sanne)).principal!
  pageReads = PgPageReads.connect(t.url, 1)
  searchReads = PgPageReads.connect(t.url, 1, 'custom')
  wizard = new MandateWizardService(t.db, pageReads, searchReads)
})

afterAll(async () => {
  await pageReads?.end()
  await searchReads?.end()
  await t?.drop()
})

/** What the step should say of each user, from Prisma. */
async function expected(userIds: string[], organisationId: string) {
  const users = await t.db.user.findMany({
    where: { id: { in: userIds } },
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      email: true,
      links: { where: { organisationId }, select: { id: true } },
      linkRequests: { where: { organisationId, status: 'pending', expiresAt: { gt: now } }, select: { id: true } },
    },
  })
  return users.map((u) => ({ id: u.id, email: u.email, linked: u.links.length > 0, linkRequested: u.linkRequests.length > 0 }))
}

describe("the wizard's user step", () => {
  it('When users of her other organisation are shown, then each says whether it is linked here and whether its link request here is still open', async () => {
    // Persons of the holding, not linked to the bakery: one with an open link request to the bakery,
    // one whose request has lapsed by its date, one whose request was rejected.
    const extra = await Promise.all(
      ['Open', 'Verlopen', 'Afgewezen'].map((lastName, i) =>
        t.db.user.create({
          data: {
            firstName: 'Kandidaat',
            lastName: `Koppelmans ${lastName}`,
            email: `kandidaat.${i}@example.test`,
            dateOfBirth: new Date('1990-01-01'),
            links: { create: { organisationId: d.holding } },
          },
        }),
      ),
    )
    const request = (userId: string, status: 'pending' | 'rejected', expiresAt: Date) =>
      t.db.linkRequest.create({
        data: {
          userId,
          organisationId: d.bakkerij,
          requestedById: d.sanne,
          status,
          createdAt: new Date(now.getTime() - 10 * day),
          expiresAt,
          decidedAt: status === 'pending' ? null : new Date(now.getTime() - day),
        },
      })
    await request(extra[0]!.id, 'pending', new Date(now.getTime() + 7 * day))
    await request(extra[1]!.id, 'pending', new Date(now.getTime() - day))
    await request(extra[2]!.id, 'rejected', new Date(now.getTime() + 7 * day))

    const shown = await wizard.candidateUsers(sanne, d.bakkerij, true, '', 0, now)
    expect(shown.users.length).toBeGreaterThan(3)
    expect(shown.users.map(({ id, email, linked, linkRequested }) => ({ id, email, linked, linkRequested }))).toEqual(
      await expected(
        shown.users.map((u) => u.id),
        d.bakkerij,
      ),
    )
    const flags = (id: string) => shown.users.find((u) => u.id === id)
    expect(flags(extra[0]!.id)).toMatchObject({ linked: false, linkRequested: true, name: 'Kandidaat Koppelmans Open' })
    expect(flags(extra[1]!.id)).toMatchObject({ linked: false, linkRequested: false })
    expect(flags(extra[2]!.id)).toMatchObject({ linked: false, linkRequested: false })
    expect(shown.users.some((u) => u.linked)).toBe(true)

    const searched = await wizard.candidateUsers(sanne, d.bakkerij, true, 'koppelmans', 0, now)
    expect(searched.users.map((u) => [u.id, u.linkRequested])).toEqual([
      [extra[2]!.id, false],
      [extra[0]!.id, true],
      [extra[1]!.id, false],
    ])
    // Only the bakery's own members when unlinked users are not asked for.
    const own = await wizard.candidateUsers(sanne, d.bakkerij, false, '', 0, now)
    expect(own.users.every((u) => u.linked)).toBe(true)
  })
})
