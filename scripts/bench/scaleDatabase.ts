// The database of `npm run bench:scale`: an embedded PostgreSQL in .data/bench-scale (port
// BENCH_PG_PORT, default EMBEDDED_PG_PORT + 3) or BENCH_DATABASE_URL, tuned once for a
// ten-million-row database (ALTER SYSTEM, then a restart), with auto_explain loaded into every
// session (off until the plan pass turns it on). Seeded once per SEED_VERSION; `--reseed` starts over.
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../src/db/embedded.ts'
import { applyMigrations, projectRoot } from '../../src/db/migrations.ts'
import { poolConfigFromUrl } from '../../src/db/poolConfig.ts'

export const DATA_DIR = process.env.BENCH_DATA_DIR ?? path.join(projectRoot, '.data/bench-scale')
const DATABASE = 'bench_scale'

const SETTINGS: Record<string, string> = {
  shared_buffers: '2GB',
  effective_cache_size: '8GB',
  max_wal_size: '2GB', // the data dir stays near the database's size (8 GB of WAL doubled it to 15 GB)
  checkpoint_timeout: '20min',
  random_page_cost: '1.1',
  session_preload_libraries: 'auto_explain',
  shared_preload_libraries: 'pg_stat_statements', // the statements that cost the most under load, per admin
  'pg_stat_statements.track_planning': 'on',
  'auto_explain.log_min_duration': process.env.BENCH_EXPLAIN_MS ?? '-1',
  'auto_explain.log_nested_statements': 'on',
  'auto_explain.log_analyze': 'on',
  'auto_explain.log_buffers': 'on',
  'auto_explain.log_timing': 'on',
}

export type ScaleDatabase = { url: string; stop: () => Promise<void>; log: string[] }

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfigFromUrl(url))
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Applies SETTINGS with ALTER SYSTEM; true when one needs a restart (shared_buffers, preload). */
async function tune(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    await client.query(`load 'auto_explain'`)
    let restart = false
    for (const [name, value] of Object.entries(SETTINGS)) {
      const { rows } = await client.query<{ setting: string | null }>(`select current_setting($1, true) as setting`, [name])
      const current = rows[0]?.setting
      if (current === value || (name === 'shared_buffers' && current === '2GB')) continue
      await client.query(`alter system set ${name} = '${value}'`)
      if (name === 'shared_buffers' || name.endsWith('preload_libraries')) restart = true
    }
    await client.query('select pg_reload_conf()')
    return restart
  })
}

/** Starts (and tunes) the bench database; the server's log lines are kept in `log` (the plan pass reads them). */
export async function startScaleDatabase(port: number): Promise<ScaleDatabase> {
  const log: string[] = []
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {}, log }
  const start = () =>
    startEmbeddedPostgres({
      dir: DATA_DIR,
      port,
      database: DATABASE,
      log: (line) => {
        log.push(line)
        appendFileSync(`${DATA_DIR}.log`, line + '\n')
      },
    })
  let server = await start()
  if (await tune(server.url)) {
    await server.stop()
    server = await start()
  }
  return { url: server.url, stop: server.stop, log }
}

/** Drops and creates the bench database (--reseed, or a seed that never finished). */
export async function recreateDatabase(url: string): Promise<void> {
  const admin = new URL(url)
  admin.pathname = '/postgres'
  await withClient(admin.toString(), async (client) => {
    await client.query(`drop database if exists "${DATABASE}" with (force)`)
    await client.query(`create database "${DATABASE}"`)
  })
}

export async function migrate(url: string): Promise<void> {
  await applyMigrations(url)
}

type VacuumDue = { relname: string; dead: string; inserted: string }

/**
 * Vacuums (with ANALYZE) the tables autovacuum would vacuum now: more dead rows, or rows inserted since
 * the last vacuum, than its threshold for the table (the table's own scale factor, migration
 * *_autovacuum_large_tables, or the server's). Each run changes tens of thousands of mandates (the bulk
 * operations and their putting back, the daily scan), so autovacuum falls due every few runs; done here
 * it is not done by autovacuum in the middle of the measured load. Returns a line per vacuumed table.
 */
export async function settleAutovacuum(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<VacuumDue>(`
      with t as (
        select s.relname, s.n_dead_tup, s.n_ins_since_vacuum, greatest(c.reltuples, 0) as reltuples,
               coalesce((select o.option_value::float8 from pg_options_to_table(c.reloptions) o where o.option_name = 'autovacuum_vacuum_scale_factor'),
                        current_setting('autovacuum_vacuum_scale_factor')::float8) as dead_share,
               coalesce((select o.option_value::float8 from pg_options_to_table(c.reloptions) o where o.option_name = 'autovacuum_vacuum_insert_scale_factor'),
                        current_setting('autovacuum_vacuum_insert_scale_factor')::float8) as insert_share
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      )
      select relname, n_dead_tup::text as dead, n_ins_since_vacuum::text as inserted from t
      where n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8 + dead_share * reltuples
         or n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8 + insert_share * reltuples
      order by relname`)
    const lines: string[] = []
    for (const table of rows) {
      const started = Date.now()
      await client.query(`vacuum (analyze) "${table.relname}"`)
      lines.push(
        `vacuum (analyze) ${table.relname}: ${table.dead} dead, ${table.inserted} inserted since the last vacuum; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      )
    }
    return lines
  })
}

/** Turns auto_explain's logging of every statement (with ANALYZE) on or off, for all sessions. */
export async function explainAll(url: string, on: boolean): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(`alter system set auto_explain.log_min_duration = ${on ? 0 : -1}`)
    await client.query('select pg_reload_conf()')
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
}

/** Starts counting statements afresh (pg_stat_statements). */
export async function resetStatementStats(url: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('create extension if not exists pg_stat_statements')
    await client.query('select pg_stat_statements_reset()')
  })
}

/** The statements that took the most database time (execution and planning) since the reset, as lines. */
export async function topStatements(url: string, n = 8): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ calls: string; mean: string; plan: string; total: string; query: string }>(
      `select calls, round((total_exec_time / calls)::numeric, 2) as mean, round((total_plan_time / calls)::numeric, 2) as plan,
              round(((total_exec_time + total_plan_time) / 1000)::numeric, 1) as total, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
       from pg_stat_statements where calls > 0 and query not ilike '%pg_stat_statements%'
       order by total_exec_time + total_plan_time desc limit $1`,
      [n],
    )
    return rows.map((r) => `${r.total.padStart(6)} s ${r.calls.padStart(7)} calls ${r.mean.padStart(8)} ms (+${r.plan} ms planning)  ${r.query}`)
  })
}

export async function databaseSize(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ size: string }>(`select pg_size_pretty(pg_database_size(current_database())) as size`)
    return rows[0]!.size
  })
}
