// Demo data and the service catalogue, seeded idempotently.
//
// The data lives in prisma/seed/services.json (the dienstencatalogus) and prisma/seed/demo.json
// (organisations, users, means, mandates, applications, link requests), read and validated by
// demoData.ts; demoRows.ts turns the demo into rows. Dates in demo.json are relative to the seeding
// day ('-400d', '+45d', '+1y', '0d') so the demo always looks current.
//
// - seedServiceCatalogue: upserts providers (by OIN) and services (by ServiceUUID); safe on every start.
// - seedDemo: the catalogue, then the demo data unless the first demo organisation already
//   exists, all in one transaction. No audit events: seeding is not a change made by someone.
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { Db as Client, Tx } from '../../db/tx.ts'
import { hashPassword } from '../../shared/passwords.ts'
import { loadDemo, loadServiceCatalogue, utcMidnight, type Demo } from './demoData.ts'
import { insertDemo } from './demoRows.ts'

export { DEMO_ACCOUNTS, DEMO_PASSWORD, demoSeedRefusal, loadServiceCatalogue, utcMidnight, type DemoAccount } from './demoData.ts'

type Db = Client | Tx

// ---------------------------------------------------------------------------------------------
// Service catalogue

/** Upserts the catalogue: providers by OIN, services by ServiceUUID. Writes only what differs. */
export async function seedServiceCatalogue(db: Db): Promise<void> {
  const catalogue = loadServiceCatalogue()
  const existingProviders = new Map(
    (await db.serviceProvider.findMany({ where: { oin: { in: catalogue.providers.map((p) => p.oin) } } })).map((p) => [p.oin, p]),
  )
  const uuids = catalogue.providers.flatMap((p) => p.services.map((s) => s.serviceUuid))
  const existingServices = new Map((await db.service.findMany({ where: { id: { in: uuids } } })).map((s) => [s.id, s]))

  for (const provider of catalogue.providers) {
    let providerRow = existingProviders.get(provider.oin)
    if (!providerRow) {
      providerRow = await db.serviceProvider.create({ data: { oin: provider.oin, name: provider.name } })
    } else if (providerRow.name !== provider.name) {
      providerRow = await db.serviceProvider.update({ where: { id: providerRow.id }, data: { name: provider.name } })
    }
    for (const service of provider.services) {
      const data = {
        serviceId: service.serviceId,
        name: service.name,
        description: service.description,
        requiredLevel: service.requiredLevel,
        refusesBranchRestriction: service.refusesBranchRestriction,
        providerId: providerRow.id,
      }
      const row = existingServices.get(service.serviceUuid)
      if (!row) {
        await db.service.create({ data: { id: service.serviceUuid, ...data } })
      } else if (
        row.serviceId !== data.serviceId ||
        row.name !== data.name ||
        row.description !== data.description ||
        row.requiredLevel !== data.requiredLevel ||
        row.refusesBranchRestriction !== data.refusesBranchRestriction ||
        row.providerId !== data.providerId
      ) {
        await db.service.update({ where: { id: service.serviceUuid }, data })
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Demo data

/** Serialises concurrent seeders (two app instances starting at once). */
const SEED_LOCK_KEY = 7_271_930_001

export async function seedDemo(db: PrismaClient, options: { today?: Date } = {}): Promise<{ seeded: boolean }> {
  const today = utcMidnight(options.today ?? new Date())
  const demo = loadDemo()
  loadServiceCatalogue()
  const markerKvk = demo.organisations[0]!.kvkNumber

  // argon2 is slow: hash (once per distinct password) only when the demo still has to be seeded.
  const present = await db.organisation.findUnique({ where: { kvkNumber: markerKvk }, select: { id: true } })
  const hashes = present ? undefined : await hashDemoPasswords(demo)

  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(${SEED_LOCK_KEY})`)
      await seedServiceCatalogue(tx)
      const marker = await tx.organisation.findUnique({ where: { kvkNumber: markerKvk }, select: { id: true } })
      if (marker) return { seeded: false }
      await insertDemo(tx, demo, today, hashes ?? (await hashDemoPasswords(demo)))
      return { seeded: true }
    },
    { maxWait: 30_000, timeout: 120_000 },
  )
}

async function hashDemoPasswords(demo: Demo): Promise<Map<string, string>> {
  const hashes = new Map<string, string>()
  for (const user of demo.users) {
    if (user.password && !hashes.has(user.password)) hashes.set(user.password, await hashPassword(user.password))
  }
  return hashes
}
