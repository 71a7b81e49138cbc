// npm run jobs:expiry -- [--today YYYY-MM-DD]
// Runs the daily expiry scan once (the same as the app's daily schedule): marks ended means and
// mandates expired and queues the notices and digests. `--today` simulates a day (tests, admins).
// Database: DATABASE_URL when set; else the embedded one — the running app's server when the app is
// up (its postmaster.pid), else the command starts it, scans and stops it again. Queued mail is
// delivered by the app's mail worker (at once when the app runs, else when it next starts).
import path from 'node:path'
import { ConfigError, loadConfig } from '../src/config.ts'
import { runningEmbeddedUrl, startEmbeddedPostgres } from '../src/db/embedded.ts'
import { applyMigrations, projectRoot } from '../src/db/migrations.ts'
import { createPrismaClient } from '../src/db/prisma.ts'
import { ExpiryService } from '../src/features/expiry/expiryService.ts'
import { parseIsoDate } from '../src/domain/dates.ts'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

async function main() {
  const args = process.argv.slice(2)
  let today: Date | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const value = arg.startsWith('--today=') ? arg.slice(8) : arg === '--today' ? args[++i] : undefined
    if (arg.startsWith('--today')) {
      const parsed = value ? parseIsoDate(value) : null
      if (!parsed) fail(`--today needs a date as YYYY-MM-DD, got ${value ?? 'nothing'}`)
      today = parsed
    } else {
      fail(`Unknown option ${arg}. Usage: npm run jobs:expiry -- [--today YYYY-MM-DD]`)
    }
  }
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
  const dir = path.resolve(projectRoot, config.embeddedPg.dir)
  let url = config.databaseUrl ?? runningEmbeddedUrl(dir, 'beheermodule')
  let stop = async () => {}
  let source = config.databaseUrl ? 'DATABASE_URL' : 'running embedded database'
  if (!url) {
    const server = await startEmbeddedPostgres({ dir, port: config.embeddedPg.port, database: 'beheermodule' })
    url = server.url
    stop = server.stop
    source = 'embedded database (started for this run)'
  }
  try {
    await applyMigrations(url)
    const db = createPrismaClient(url, 2)
    try {
      const result = await new ExpiryService(db).scan({ today })
      console.log(JSON.stringify({ today: (today ?? new Date()).toISOString().slice(0, 10), database: source, ...result }))
    } finally {
      await db.$disconnect()
    }
  } finally {
    await stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
