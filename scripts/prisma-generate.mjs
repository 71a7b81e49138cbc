// Runs `prisma generate` without the network. The Prisma CLI wants a native schema-engine
// binary and downloads it when missing; `generate` never runs it, so any existing file will
// do (see ../shared/spec/stack.md). Migrations use the WebAssembly engine instead (src/db/migrations.ts).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = `${root}node_modules/prisma/build/index.js`
// `npm ci --omit=dev` (the Docker runtime stage) runs the compiled client in dist/; the CLI may still be
// installed there, as a peer dependency of @prisma/client, but there is no schema to generate from.
if (!existsSync(cli) || (process.env.npm_config_omit ?? '').split(/[\s,]+/).includes('dev')) {
  console.log('production install (--omit=dev); skipping prisma generate')
  process.exit(0)
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
}
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', `${root}prisma/schema.prisma`], {
  stdio: 'inherit',
  env,
  cwd: root,
})
process.exit(result.status ?? 1)
