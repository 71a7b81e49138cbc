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
 * A client that sets its session to UTC as part of connecting, so the SET has finished before the
 * pool hands the client out (a query sent from the pool's `connect` event would still be running
 * when the first query of the pool's user came, which pg deprecates). pg-pool connects with a callback.
 */
class UtcClient extends pg.Client {
  override connect(): Promise<pg.Client>
  override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void
  override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
    const ready = super.connect().then(async (client) => {
      try {
        await this.query(UTC_SESSION)
      } catch (error) {
        await this.end().catch(() => undefined) // a client that failed to connect is not ended by the pool
        throw error
      }
      return client
    })
    if (!callback) return ready
    ready.then(
      (client) => (callback as (err: null, c: pg.Client) => void)(null, client),
      (error: Error) => (callback as (err: Error) => void)(error),
    )
  }
}

/**
 * A pool whose every session is on UTC, whatever the server's `timezone` (initdb takes the host's:
 * Europe/Amsterdam on a Dutch server). Prisma's pg adapter (7.x) reads a timestamptz as if the
 * session were on UTC and writes a Date as UTC wall-clock time without an offset (prisma/orm#26786,
 * #28629), so on such a server every timestamp it wrote or read was off by one or two hours. Our own
 * SQL's `current_date` is then the UTC date as well, as on the servers the tests run on. A SET when
 * the session opens, not the startup `options`, which PgBouncer does not pass on.
 */
export function utcPool(config: pg.PoolConfig): pg.Pool {
  return new pg.Pool({ ...config, Client: UtcClient })
}
