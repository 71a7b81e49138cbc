// Docker runtime stage, after `npm ci --omit=dev`: removes the packages npm still installs because a
// production package names them as *optional* peers while the project has them as dev dependencies
// (package-lock.json flags them `devOptional`): the Prisma CLI (a peer of @prisma/client; about
// 240 MB with Studio and its tools), TypeScript. The compiled portal in dist/ uses none of them.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'))
let removed = 0
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!entry.devOptional || !path.startsWith('node_modules/')) continue
  rmSync(`${root}${path}`, { recursive: true, force: true })
  removed++
}
// and their commands in node_modules/.bin, which now point nowhere
const bin = `${root}node_modules/.bin`
for (const name of existsSync(bin) ? readdirSync(bin) : []) {
  if (!existsSync(`${bin}/${name}`)) rmSync(`${bin}/${name}`, { force: true })
}
console.log(`removed ${removed} dev-only packages that npm installs as optional peers`)
