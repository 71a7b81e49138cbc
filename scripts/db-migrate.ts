// npm run db:migrate: applies the committed migrations to DATABASE_URL or the embedded database.
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { applyMigrations } from '../src/db/migrations.ts'

const db = await openDatabase(loadConfig())
try {
  const applied = await applyMigrations(db.url)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.')
} finally {
  await db.stop()
}
