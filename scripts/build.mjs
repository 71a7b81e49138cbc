// npm run build: compiles src/ (with the generated Prisma client in src/generated) to dist/ and copies
// the files tsc does not emit (the i18n catalogues). views/, public/ and prisma/ stay in the project
// root: dist/ has the same depth as src/, so the code finds them from either.
import { spawnSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
rmSync(`${root}dist`, { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript7/bin/tsc`, '-p', `${root}tsconfig.build.json`], {
  stdio: 'inherit',
  cwd: root,
})
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
cpSync(`${root}src/i18n/locales`, `${root}dist/i18n/locales`, { recursive: true })
console.log('built dist/ (start with: node dist/server.js)')
