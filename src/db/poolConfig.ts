import pg from 'pg'

/**
 * Turns a postgres:// URL into explicit pg settings. The Prisma adapter makes shadow databases by
 * overriding `database`, which a `connectionString` would silently win over.
 */
export function poolConfigFromUrl(url: string, extra: pg.PoolConfig = {}): pg.PoolConfig {
  const parsed = new URL(url)
  return {
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    ssl: parsed.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
    ...extra,
  }
}

/** What every session of the app's pools runs first (utcPool). */
export const UTC_SESSION = "set time zone 'UTC'"

/**
 * A pool whose every session is on UTC, whatever the server's `timezone` (initdb takes the host's:
 * Europe/Amsterdam on a Dutch server). Prisma's pg adapter (7.x) reads a timestamptz as if the
 * session were on UTC and writes a Date as UTC wall-clock time without an offset (prisma/orm#26786,
 * #28629), so on such a server every timestamp it wrote or read was off by one or two hours. Our own
 * SQL's `current_date` is then the UTC date as well, as on the servers the tests run on. A SET on
 * connect, not the startup `options`, which PgBouncer does not pass on; pg runs it before any query
 * of the pool's user, on the same connection.
 */
export function utcPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config)
  pool.on('connect', (client) => {
    // A failure means the connection is gone: the query that follows fails with the reason.
    client.query(UTC_SESSION).catch(() => undefined)
  })
  return pool
}
