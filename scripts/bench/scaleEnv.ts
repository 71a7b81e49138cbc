// The settings of the app under `npm run bench:scale` (the bench script and its app process):
// production (view cache on), cookies over plain HTTP on localhost, no demo data. No imports, so the
// app process can apply them to either src/ or dist/.
export const SCALE_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  SEED_DEMO: 'false',
  SESSION_SECRET: 'bench-session-secret-bench-session-secret',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  BASE_URL: 'http://127.0.0.1:3000',
  COOKIE_SECURE: 'false',
}
