// Starts the portal: settings, database (embedded unless DATABASE_URL is set), migrations,
// demo data on first start, then HTTP. The only place that listens.
import net from 'node:net'
import pino from 'pino'
import { createApp } from './app.ts'
import { drainer } from './httpDrain.ts'
import { ConfigError, loadConfig, loadEnvFile } from './config.ts'
import { openDatabase } from './db/database.ts'
import { DatabaseInUseError, releaseSignalHandlers } from './db/embedded.ts'
import { applyMigrations } from './db/migrations.ts'
import { createServices } from './services.ts'
import { seedDemo, seedServiceCatalogue } from './features/demo/seedDemo.ts'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** How long a stop waits for requests in flight before it closes their connections. */
const DRAIN_TIMEOUT_MS = 10_000
/** How long a whole stop may take (drain, mail worker's running job, pools, embedded PostgreSQL). */
const STOP_DEADLINE_MS = 45_000

function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'))
    probe.once('listening', () => probe.close(() => resolve(false)))
    probe.listen(port, host)
  })
}

async function main() {
  const started = Date.now()
  let config
  try {
    loadEnvFile()
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
  const logger = pino({ level: config.logLevel })
  if (await portInUse(config.port, config.host)) {
    fail(`Port ${config.port} is in use: is the portal already running? Stop it, or start this one with PORT=<another port>.`)
  }
  let database
  try {
    database = await openDatabase(config, (line) => logger.debug({ postgres: line }))
  } catch (error) {
    if (error instanceof DatabaseInUseError) fail(error.message)
    throw error
  }
  const applied = await applyMigrations(database.url)
  if (applied.length) logger.info({ migrations: applied }, 'applied migrations')
  const services = createServices(config, database.url, { logger })
  await seedServiceCatalogue(services.db)
  if (config.seedDemo && !config.production) {
    const result = await seedDemo(services.db)
    if (result.seeded) logger.info('seeded the demo data (see README for the demo accounts)')
  }
  await services.mailWorker.start({ catchUp: true })
  logger.info({ transport: services.mailDelivery.transport }, 'mail worker started')
  const app = createApp(services)
  const server = app.listen(config.port, config.host, () => {
    logger.info(
      { url: config.baseUrl, database: config.databaseUrl ? 'DATABASE_URL' : 'embedded', startMs: Date.now() - started },
      `Beheermodule is ready at ${config.baseUrl}`,
    )
  })
  // Stop: no new connections, let requests in flight finish (at most DRAIN_TIMEOUT_MS), stop the
  // mail worker and pg-boss, close the pools, then stop the embedded PostgreSQL. One line each way.
  releaseSignalHandlers()
  const drain = drainer(server)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    // From the `stopping` line on, no new connections (httpDrain.ts).
    // A stop that hangs (a pool waiting for a connection that is never released) must not keep the
    // process alive for ever: after STOP_DEADLINE_MS it says which step it was in and exits with 1.
    let step = 'draining HTTP'
    setTimeout(() => {
      logger.error({ step }, 'stop timed out')
      process.exit(1)
    }, STOP_DEADLINE_MS)
    await drain.stop(DRAIN_TIMEOUT_MS, () => logger.info({ signal }, `stopping (${signal})`))
    step = 'closing the services'
    await services.close().catch((error) => logger.warn({ err: error }, 'closing the services failed'))
    step = 'stopping the database'
    await database.stop().catch((error) => logger.warn({ err: error }, 'stopping the database failed'))
    logger.info('stopped')
    process.exit(0)
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
