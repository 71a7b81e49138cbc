// Overzicht's counters (organisation_counters, kept by statement-level triggers, migration
// *_organisation_counters) equal the counts Overzicht used to make per request, after every kind of
// change: granting, single and bulk revoke/suspend/renew (the services the pages use), afmelden,
// means suspended and lifted, the expiry scan, raw inserts, updates and deletes, and a new link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, isoDate, todayUtc } from '../../src/domain/dates.ts'
import { runExpiryScan } from '../../src/features/expiry/expiryService.ts'
import { OverviewService } from '../../src/features/overview/overviewService.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'
import { actorFor, demo, mandateOf } from '../features/mandates/helpers.ts'

let t: TestApp
let d: Awaited<ReturnType<typeof demo>>
const db = () => t.database.db

beforeAll(async () => {
  t = await createTestApp()
  d = await demo(db())
})
afterAll(async () => {
  await t.close()
})

/** The counts as Overzicht made them per request (the definition the counters keep). */
async function recount(): Promise<Record<string, number>> {
  const rows = await db().$queryRaw<{ o: string; c: string; n: bigint }[]>`
    select organisation_id as o, 'users' as c, count(*) as n from organisation_links group by 1
    union all
    select l.organisation_id, 'means:' || m.level::text, count(distinct m.id) from organisation_links l
      join means m on m.user_id = l.user_id and m.status = 'active' group by 1, 2
    union all
    select organisation_id, 'mandates:' || level::text, count(*) from mandates where kind = 'use' and status = 'active' group by 1, 2`
  return Object.fromEntries(rows.map((r) => [`${r.o} ${r.c}`, Number(r.n)]))
}

async function counters(): Promise<Record<string, number>> {
  const rows = await db().organisationCounter.findMany()
  return Object.fromEntries(rows.filter((r) => r.n !== 0n).map((r) => [`${r.organisationId} ${r.counter}`, Number(r.n)]))
}

async function expectCountersRight(): Promise<void> {
  expect(await counters()).toEqual(await recount())
}

describe('organisation counters', () => {
  it('When the database is migrated with data in it, then the counters equal the counts', async () => {
    await expectCountersRight()
    expect(Object.keys(await counters()).length).toBeGreaterThan(0)
  })

  it('When mandates are revoked, suspended and renewed one by one and in bulk, then the counters follow', async () => {
    const actor = await actorFor(db(), d.sanne)
    const one = await mandateOf(db(), d.fatma, d.bakkerij, 'Mijn Belastingdienst Zakelijk')
    await t.services.mandateLifecycleService.suspend(actor, one.id)
    await expectCountersRight()
    await t.services.mandateLifecycleService.lift(actor, one.id)
    await expectCountersRight()
    const live = await db().mandate.findMany({ where: { organisationId: d.bakkerij, kind: 'use', status: 'active' }, take: 4 })
    const selection = { ids: live.map((m) => m.id) }
    await t.services.mandateLifecycleService.renew(actor, selection, 1)
    await expectCountersRight()
    for (const action of ['suspend', 'revoke'] as const) {
      const preview = (await t.services.mandateBulkService.preview(actor.principal!, action, selection))!
      const result = await t.services.mandateBulkService.run(actor, action, selection, preview.digest)
      expect(result.status).toBe('done')
      await expectCountersRight()
    }
  })

  it('When a person is afgemeld, a means is suspended and lifted, and a link is added, then the counters follow', async () => {
    const actor = await actorFor(db(), d.sanne)
    const preview = await t.services.offboardService.preview(actor.principal!, d.bakkerij, [d.jan])
    await t.services.offboardService.offboard(actor, d.bakkerij, [d.jan], preview.digest)
    await expectCountersRight()
    const means = await db().means.findFirstOrThrow({ where: { userId: d.fatma, status: 'active' } })
    await t.services.meansService.suspend(actor, means.id)
    await expectCountersRight()
    await t.services.meansService.lift(actor, means.id)
    await expectCountersRight()
    await db().organisationLink.create({ data: { userId: d.fatma, organisationId: d.bakker } })
    await expectCountersRight()
  })

  it('When rows are changed, deleted and inserted with raw SQL, and the expiry scan ends mandates and means, then the counters follow', async () => {
    await db()
      .$executeRaw`update mandates set status = 'revoked', revoked_at = now() where kind = 'use' and status = 'active' and organisation_id = ${d.bakker}::uuid`
    await expectCountersRight()
    const m = await db().mandate.findFirstOrThrow({ where: { kind: 'use', status: 'revoked' } })
    await db().$executeRaw`delete from mandates where id = ${m.id}::uuid`
    await db().$executeRaw`update means set status = 'suspended' where user_id = ${d.fatma}::uuid and status = 'active'`
    await expectCountersRight()
    await db().$executeRaw`update means set status = 'active' where user_id = ${d.fatma}::uuid and status = 'suspended'`
    await db().$executeRaw`insert into means (id, user_id, level, status, valid_from, valid_until, updated_at)
      values (gen_random_uuid(), ${d.fatma}::uuid, 'EH2', 'active', current_date, current_date + 100, now())`
    await expectCountersRight()
    await db().$transaction((tx) => runExpiryScan(tx, isoDate(addDays(todayUtc(), 400))), { timeout: 60_000 })
    await expectCountersRight()
  })

  it('When Overzicht is shown, then it shows the counters, and no organisation here has more than 1,000 expiring mandates', async () => {
    const actor = await actorFor(db(), d.sanne)
    const overview = await new OverviewService(db()).forAdmin(actor.principal!).then((page) => page.organisations)
    const all = await recount()
    for (const org of overview) {
      expect(org.users).toBe(all[`${org.id} users`] ?? 0)
      expect(org.mandatesByLevel.EH3).toBe(all[`${org.id} mandates:EH3`] ?? 0)
      expect(org.meansByLevel.EH4).toBe(all[`${org.id} means:EH4`] ?? 0)
      expect(org.expiringMore).toBe(false)
    }
  })
})
