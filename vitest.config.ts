// Unit and integration tests: every file gets its own database cloned from a migrated template
// (tests/setup/globalSetup.ts, tests/helpers/db.ts), so files run in parallel.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', '**/node_modules/**'],
    globalSetup: ['tests/setup/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
})
