import type pg from 'pg'

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
