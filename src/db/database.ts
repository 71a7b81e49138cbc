// Which PostgreSQL to use: DATABASE_URL when set, else the embedded server under the project.
import path from 'node:path'
import type { Config } from '../config.ts'
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts'
import { projectRoot } from './migrations.ts'

export async function openDatabase(config: Config, log?: (line: string) => void): Promise<EmbeddedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} }
  return startEmbeddedPostgres({
    dir: path.resolve(projectRoot, config.embeddedPg.dir),
    port: config.embeddedPg.port,
    database: 'beheermodule',
    log,
  })
}
