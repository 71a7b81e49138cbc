// Prisma migrations without the network: Prisma's own schema engine compiled to WebAssembly
// (@prisma/schema-engine-wasm), driven through the pg driver adapter. `applyMigrations`
// records what it applied in `_prisma_migrations`, exactly as `prisma migrate deploy` does.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils'
import pg from 'pg'
import { poolConfigFromUrl } from './poolConfig.ts'

const require = createRequire(import.meta.url)
export const projectRoot = path.resolve(import.meta.dirname, '../..')
export const schemaPath = path.join(projectRoot, 'prisma/schema.prisma')
export const migrationsDir = path.join(projectRoot, 'prisma/migrations')

type Bg = Record<string, unknown> & {
  __wbg_set_wasm: (exports: Record<string, unknown>) => void
  SchemaEngine: {
    new: (options: { datamodels: [string, string][] }, log: (line: string) => void, adapter: object) => Promise<Engine>
  }
}
type Engine = {
  diff: (params: unknown) => Promise<{ exitCode: number; stdout: string | null }>
  applyMigrations: (params: unknown) => Promise<{ appliedMigrationNames: string[] }>
  free: () => void
}

type Wasm = {
  compile: (bytes: Uint8Array) => Promise<object>
  instantiate: (module: object, imports: Record<string, object>) => Promise<{ exports: Record<string, unknown> }>
}

let bgModule: Promise<Bg> | undefined
const engineTimers = new Set<NodeJS.Timeout>()
let enginesRunning = 0
export let lastPanic = ''

/** Node 20 cannot import the .wasm the package's entry imports, so instantiate it by hand. */
async function loadBindings(): Promise<Bg> {
  const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message: (message: string) => void } }
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message: string) => {
      lastPanic = message
    },
  }
  bgModule ??= (async () => {
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Bg
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm')
    const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly
    const module = await wasm.compile(readFileSync(wasmPath))
    const imports: Record<string, unknown> = { ...bg }
    // The engine starts 10 s timers it never clears; they would keep the process alive after the
    // work is done. Remember them so withEngine can unref them once no engine is running.
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (callback: () => void, ms: number) => {
        const timer = setTimeout(callback, ms >>> 0)
        engineTimers.add(timer)
        return timer
      }
    }
    const instance = await wasm.instantiate(module, { './schema_engine_bg.js': imports })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports.__wbindgen_start as () => void)()
    return bg
  })()
  return bgModule
}

/**
 * The stock adapter drops its shadow database while its pool still holds a connection, and the
 * pool's unhandled 'error' event then kills the process. This one closes the pool first.
 */
class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig, { onPoolError: () => {}, onConnectionError: () => {} })
  }

  /** Adapters from connect(): the engine never disposes them, so withEngine does (else their pool keeps a connection open). */
  readonly opened: { dispose: () => Promise<void> }[] = []

  override async connect() {
    const adapter = await super.connect()
    patchAdapter(adapter)
    this.opened.push(adapter)
    return adapter
  }

  async disposeAll() {
    for (const adapter of this.opened.splice(0)) await adapter.dispose().catch(() => {})
  }

  override async connectToShadowDb() {
    const database = `shadow_${crypto.randomUUID().replace(/-/g, '')}`
    const admin = new pg.Client({ ...this.poolConfig, database: this.poolConfig.database })
    await admin.connect()
    await admin.query(`create database "${database}"`)
    const pool = new pg.Pool({ ...this.poolConfig, database, max: 2 })
    pool.on('error', () => {})
    const adapter = await new PrismaPg(pool).connect()
    patchAdapter(adapter)
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      await dispose()
      await pool.end()
      await admin.query(`drop database if exists "${database}" with (force)`)
      await admin.end()
    }
    return adapter
  }
}

const PG_CHAR_OID = 18
const PG_TEXT_OID = 25
const charColumns = new WeakMap<object, number[]>()
let adapterPatched = false

type Proto = Record<string, unknown>
function findProto(object: object, method: string): Proto | null {
  let proto = Object.getPrototypeOf(object) as Proto | null
  while (proto && !Object.hasOwn(proto, method)) proto = Object.getPrototypeOf(proto) as Proto | null
  return proto
}

/**
 * Two gaps between this adapter version and the schema engine, closed for migrations:
 * - the engine reads pg_catalog columns of PostgreSQL's one-byte "char" type, which the adapter
 *   cannot map: report them as the engine's Character type;
 * - the stock executeScript splits scripts on every ';', which breaks function bodies: run the
 *   whole script through PostgreSQL's simple query protocol instead.
 */
function patchAdapter(adapter: object) {
  if (adapterPatched) return
  const ioProto = findProto(adapter, 'performIO')
  const rawProto = findProto(adapter, 'queryRaw')
  const scriptProto = findProto(adapter, 'executeScript')
  if (!ioProto || !rawProto || !scriptProto) throw new Error('Unexpected @prisma/adapter-pg layout: cannot run migrations')
  const performIO = ioProto.performIO as (this: unknown, ...args: unknown[]) => Promise<{ fields: { dataTypeID: number }[]; rows: object }>
  ioProto.performIO = async function (this: unknown, ...args: unknown[]) {
    const result = await performIO.apply(this, args)
    const indices: number[] = []
    result.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID
        indices.push(index)
      }
    })
    if (indices.length) charColumns.set(result.rows, indices)
    return result
  }
  const queryRaw = rawProto.queryRaw as (this: unknown, ...args: unknown[]) => Promise<{ columnTypes: number[]; rows: object }>
  rawProto.queryRaw = async function (this: unknown, ...args: unknown[]) {
    const result = await queryRaw.apply(this, args)
    for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character
    return result
  }
  scriptProto.executeScript = async function (this: { client: pg.Pool; onError: (e: unknown) => never }, script: string) {
    try {
      await this.client.query(script)
    } catch (error) {
      this.onError(error)
    }
  }
  adapterPatched = true
}

async function withEngine<T>(databaseUrl: string, run: (engine: Engine) => Promise<T>, log: (line: string) => void): Promise<T> {
  const bg = await loadBindings()
  const schema = readFileSync(schemaPath, 'utf8')
  const factory = new MigrationAdapterFactory(poolConfigFromUrl(databaseUrl))
  const adapter = bindMigrationAwareSqlAdapterFactory(factory)
  enginesRunning++
  try {
    const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, log, adapter)
    try {
      return await run(engine)
    } finally {
      engine.free()
    }
  } finally {
    await factory.disposeAll()
    if (--enginesRunning === 0) {
      for (const timer of engineTimers) timer.unref()
      engineTimers.clear()
    }
  }
}

export function listMigrations() {
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : []
  const lockPath = path.join(migrationsDir, 'migration_lock.toml')
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql')
      return {
        path: name,
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: readFileSync(file, 'utf8') } },
      }
    }),
  }
}

const filters = { externalTables: [], externalEnums: [] }
const quiet = () => {}

/** Applies every committed migration not yet applied; returns their names. */
export async function applyMigrations(databaseUrl: string, log: (line: string) => void = quiet): Promise<string[]> {
  return withEngine(
    databaseUrl,
    async (engine) => {
      const result = await engine.applyMigrations({ migrationsList: listMigrations(), filters })
      return result.appliedMigrationNames
    },
    log,
  )
}

/**
 * Indexes only the migrations' SQL can state (Prisma's schema has no INCLUDE): the diff below would
 * drop them, so their DROP INDEX is left out of it.
 */
export const SQL_ONLY_INDEXES = [
  'organisation_links_members_by_name_idx',
  'organisation_links_by_name_idx',
  'former_links_members_by_name_idx',
  'mandates_list_by_status_idx',
  'mandates_list_idx',
  'mandates_by_scope_idx',
  'mandates_by_status_idx',
  'link_requests_list_idx',
  'link_requests_pending_expiry_idx',
  'applications_list_idx',
  'audit_events_recent_idx',
]

/** SQL that takes the committed migrations to `schema.prisma` (empty when they match). Needs a shadow database. */
export async function diffMigrationsToSchema(databaseUrl: string, log: (line: string) => void = quiet): Promise<string> {
  return withEngine(
    databaseUrl,
    async (engine) => {
      const result = await engine.diff({
        from: { tag: 'migrations', ...listMigrations() },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }] },
        script: true,
        exitCode: null,
        filters,
      })
      const sqlOnly = new Set(SQL_ONLY_INDEXES.map((name) => `DROP INDEX "${name}";`))
      return (result.stdout ?? '')
        .split('\n')
        .filter((line) => !sqlOnly.has(line.trim()))
        .join('\n')
    },
    log,
  )
}

/** True when a diff script holds no statement (only comments and blank lines). */
export function isEmptyDiff(sql: string): boolean {
  return (
    sql
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('--')).length === 0
  )
}
