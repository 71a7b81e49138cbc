// The configuration of `npm run bench:scale` (the bench script and its app process): production
// settings (view cache on), cookies over plain HTTP on localhost, no demo data.
import { loadConfig, type Config } from '../../src/config.ts'

export function benchConfig(): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    SEED_DEMO: 'false',
    SESSION_SECRET: 'bench-session-secret-bench-session-secret',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    BASE_URL: 'http://127.0.0.1:3000',
    COOKIE_SECURE: 'false',
  })
}
