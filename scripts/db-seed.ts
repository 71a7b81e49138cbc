// npm run db:seed: the service catalogue, and the demo data unless it is there already (idempotent).
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { applyMigrations } from '../src/db/migrations.ts'
import { createPrismaClient } from '../src/db/prisma.ts'
import { seedDemo, seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'

const database = await openDatabase(loadConfig())
const db = createPrismaClient(database.url)
try {
  await applyMigrations(database.url)
  await seedServiceCatalogue(db)
  const result = await seedDemo(db)
  console.log(result.seeded ? 'Seeded the demo data.' : 'The demo data is there already; nothing changed.')
} finally {
  await db.$disconnect()
  await database.stop()
}
