// The only reader of process.env. Parsed with zod at start-up: a missing or invalid setting
// stops the start with one clear line naming it.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

/** The project's `.env` (src/.. or dist/..). */
export const ENV_FILE = path.resolve(import.meta.dirname, '..', '.env')

/**
 * Reads `file` (default: `.env` in the project root) into process.env when it exists; a variable
 * already set in the environment wins. Called once by the server before loadConfig.
 */
export function loadEnvFile(file: string = ENV_FILE): boolean {
  if (!existsSync(file)) return false
  process.loadEnvFile(file)
  return true
}

const boolish = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes')

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  BASE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Mijn Reconi <noreply@beheermodule.example>'),
  BRAND_NAME: z.string().min(1).max(60).default('Mijn Reconi'),
  SUPPLIER_NAME: z.string().min(1).max(120).default('Reconi B.V.'),
  SUPPLIER_ADDRESS: z.string().min(1).max(200).default('Voorbeeldstraat 1, 1234 AB Utrecht'),
  SUPPLIER_EMAIL: z.email().default('support@beheermodule.example'),
  SUPPLIER_PHONE: z.string().min(1).max(40).default('030 123 45 67'),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  COOKIE_SECURE: boolish.optional(),
  SEED_DEMO: boolish.default(true),
  RETENTION_MAIL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_LINK_REQUEST_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(10).max(1_000_000).default(600),
  KVK_API_URL: z.url().optional(),
  KVK_API_KEY: z.string().min(1).optional(),
  KVK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  KVK_OFFICERS_PATH: z.string().startsWith('/').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = {
  env: 'development' | 'production' | 'test'
  production: boolean
  port: number
  host: string
  baseUrl: string
  databaseUrl: string | undefined
  embeddedPg: { dir: string; port: number }
  sessionSecret: string
  smtpUrl: string | undefined
  mailFrom: string
  brandName: string
  /** The supplier named on the privacy and accessibility statements and the contact page. */
  supplier: { name: string; address: string; email: string; phone: string }
  trustProxyHops: number
  cookieSecure: boolean
  seedDemo: boolean
  logLevel: string
  /** Days before sent mail is pseudonymised and decided/lapsed verzoeken are deleted (src/features/retention). */
  retention: { mailDays: number; linkRequestDays: number }
  /** The Handelsregister: KvK's APIs when apiUrl and apiKey are set, else prisma/seed/kvk.json. */
  kvk: { apiUrl: string | undefined; apiKey: string | undefined; timeoutMs: number; officersPath: string | undefined }
  /** Requests per API client per minute (the API and SCIM; RateLimit-* headers). */
  api: { requestsPerMinute: number }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const DEV_SESSION_SECRET = 'development-only-session-secret-not-for-production'

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const result = schema.safeParse(cleaned)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const name = String(issue.path[0] ?? 'configuration')
    throw new ConfigError(`Invalid setting ${name}: ${issue.message}`)
  }
  const c = result.data
  const production = c.NODE_ENV === 'production'
  if (production && !c.SESSION_SECRET) throw new ConfigError('Missing setting SESSION_SECRET: required in production')
  if (production && !c.SMTP_URL) throw new ConfigError('Missing setting SMTP_URL: required in production (mail cannot be delivered without it)')
  if (production && !c.BASE_URL) throw new ConfigError('Missing setting BASE_URL: required in production (links in e-mails)')
  return {
    env: c.NODE_ENV,
    production,
    port: c.PORT,
    // Nothing open by default: outside production only this machine reaches the portal (and its
    // development mailbox); production (a container, behind a proxy) listens on every interface.
    host: c.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    baseUrl: (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    databaseUrl: c.DATABASE_URL,
    embeddedPg: { dir: c.EMBEDDED_PG_DIR, port: c.EMBEDDED_PG_PORT },
    sessionSecret: c.SESSION_SECRET ?? DEV_SESSION_SECRET,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    brandName: c.BRAND_NAME,
    supplier: { name: c.SUPPLIER_NAME, address: c.SUPPLIER_ADDRESS, email: c.SUPPLIER_EMAIL, phone: c.SUPPLIER_PHONE },
    trustProxyHops: c.TRUST_PROXY_HOPS,
    cookieSecure: c.COOKIE_SECURE ?? production,
    seedDemo: c.SEED_DEMO,
    logLevel: c.LOG_LEVEL,
    retention: { mailDays: c.RETENTION_MAIL_DAYS, linkRequestDays: c.RETENTION_LINK_REQUEST_DAYS },
    kvk: { apiUrl: c.KVK_API_URL, apiKey: c.KVK_API_KEY, timeoutMs: c.KVK_TIMEOUT_MS, officersPath: c.KVK_OFFICERS_PATH },
    api: { requestsPerMinute: c.API_REQUESTS_PER_MINUTE },
  }
}
