// npm run db:migration -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the committed migrations to prisma/schema.prisma. Hand-written rules (checks,
// triggers) go in their own migration, edited after creation.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { diffMigrationsToSchema, isEmptyDiff, migrationsDir } from '../src/db/migrations.ts'

const name = (process.argv[2] ?? '').trim()
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run db:migration -- <name>   (lower-case letters, digits and _)')
  process.exit(2)
}
const db = await openDatabase(loadConfig())
try {
  const sql = await diffMigrationsToSchema(db.url)
  if (isEmptyDiff(sql)) {
    console.log('The migrations already match prisma/schema.prisma: nothing to create.')
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
    const dir = path.join(migrationsDir, `${stamp}_${name}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'migration.sql'), sql)
    console.log(`Created ${path.relative(process.cwd(), dir)}/migration.sql`)
  }
} finally {
  await db.stop()
}
