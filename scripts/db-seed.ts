// npm run db:seed: the service catalogue, and the demo data unless it is there already (idempotent).
// The demo accounts share a published password: with NODE_ENV=production the script refuses to run
// unless `--force-demo` is given (npm run db:seed -- --force-demo).
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { applyMigrations } from '../src/db/migrations.ts'
import { createPrismaClient } from '../src/db/prisma.ts'
import { demoSeedRefusal, seedDemo, seedServiceCatalogue } from '../src/features/demo/seedDemo.ts'

const config = loadConfig()
const refusal = demoSeedRefusal(config, process.argv.slice(2))
if (refusal) {
  console.error(refusal)
  process.exit(2)
}
const database = await openDatabase(config)
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
