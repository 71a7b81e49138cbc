// npm test: runs the unit/integration tests (vitest.config.ts) and, when tests/e2e holds any
// *.test.ts, the end-to-end tests (vitest.e2e.config.ts), each with the default reporter on the
// console and the JSON reporter to test-results/. Ends with one line, `N passed, N failed`, and
// exits non-zero when a test failed or vitest itself failed. Extra arguments go to the unit run
// (e.g. `npm test -- tests/config.test.ts`), and then the e2e run is skipped.
// With CI_PG_SERVER_URL (a real PostgreSQL server, .ci/postgres-server.sh) the database and HTTP tests
// (SERVER_TESTS) run once more against it, and with CI_PGBOUNCER_URL once more through PgBouncer (the
// tests' databases are reached through it; creating them goes to the server). The last line sums all.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs')
const resultsDir = path.join(root, 'test-results')
const extraArgs = process.argv.slice(2)

function hasE2eTests(dir = path.join(root, 'tests/e2e')) {
  if (!existsSync(dir)) return false
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? hasE2eTests(path.join(dir, entry.name)) : entry.name.endsWith('.test.ts'),
  )
}

/** The database and HTTP tests the real-server runs repeat (a subset, to keep CI short): the schema
 * and its constraints, the mail and job flows end to end, two instances, login and the list pages. */
const SERVER_TESTS = [
  'tests/db',
  'tests/integration',
  'tests/ops/twoInstances.test.ts',
  'tests/features/mail',
  'tests/features/expiry',
  'tests/features/auth',
  'tests/features/mandates/routes.test.ts',
]
const POOLER_TESTS = [
  'tests/db',
  'tests/integration',
  'tests/ops/twoInstances.test.ts',
  'tests/features/mail/delivery.test.ts',
  'tests/features/expiry/expiryService.test.ts',
]

const runs = [{ name: 'unit', config: 'vitest.config.ts', args: extraArgs, env: {} }]
if (extraArgs.length === 0 && hasE2eTests()) runs.push({ name: 'e2e', config: 'vitest.e2e.config.ts', args: [], env: {} })
const serverUrl = process.env.CI_PG_SERVER_URL
if (extraArgs.length === 0 && serverUrl) {
  runs.push({ name: 'pg-server', config: 'vitest.config.ts', args: SERVER_TESTS, env: { TEST_DATABASE_URL: serverUrl } })
  const poolerUrl = process.env.CI_PGBOUNCER_URL
  if (poolerUrl)
    runs.push({ name: 'pgbouncer', config: 'vitest.config.ts', args: POOLER_TESTS, env: { TEST_DATABASE_URL: serverUrl, TEST_POOLER_URL: poolerUrl } })
}

mkdirSync(resultsDir, { recursive: true })
let passed = 0
let failed = 0
let ok = true
for (const run of runs) {
  if (runs.length > 1)
    console.log(`\n== vitest run: ${run.name}${run.env.TEST_DATABASE_URL ? ` (${run.env.TEST_POOLER_URL ? 'PgBouncer' : 'PostgreSQL server'})` : ''}`)
  const started = Date.now()
  const outputFile = path.join(resultsDir, `vitest-${run.name}.json`)
  rmSync(outputFile, { force: true })
  const result = spawnSync(
    process.execPath,
    [vitest, 'run', '--config', run.config, '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`, ...run.args],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...run.env } },
  )
  if (result.status !== 0) {
    ok = false
    console.error(`vitest (${run.name}) exited with ${result.status ?? result.signal}`)
  }
  if (!existsSync(outputFile)) {
    ok = false
    console.error(`vitest (${run.name}) wrote no results to ${path.relative(root, outputFile)}`)
    continue
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  if (runs.length > 1)
    console.log(`== ${run.name}: ${report.numPassedTests ?? 0} passed, ${report.numFailedTests ?? 0} failed in ${Math.round((Date.now() - started) / 1000)} s`)
  if (report.numFailedTestSuites) ok = false
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(ok && failed === 0 ? 0 : 1)
