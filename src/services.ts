// Composition root: data access → services; routes receive these. Tests build the same with
// their own database.
import pg from 'pg'
import pino, { type Logger } from 'pino'
import type { Config } from './config.ts'
import { poolConfigFromUrl } from './db/poolConfig.ts'
import { createPrismaClient } from './db/prisma.ts'
import type { PrismaClient } from './generated/prisma/client.ts'
import { AuthService } from './features/auth/authService.ts'
import { OverviewService } from './features/overview/overviewService.ts'
import { AuditLogService } from './features/audit/auditLogService.ts'
import { RateLimits } from './features/security/rateLimits.ts'
import { SecurityService } from './features/security/securityService.ts'

export function createServices(config: Config, databaseUrl: string, options: { logger?: Logger; db?: PrismaClient } = {}) {
  const logger = options.logger ?? pino({ level: config.logLevel })
  const db = options.db ?? createPrismaClient(databaseUrl)
  const pool = new pg.Pool(poolConfigFromUrl(databaseUrl, { max: 5 }))
  pool.on('error', (error) => logger.error({ err: error }, 'idle database connection failed'))
  const securityService = new SecurityService(db, config.baseUrl)
  return {
    config,
    logger,
    db,
    pool,
    authService: new AuthService(db, (userId, code) => securityService.useRecoveryCode(userId, code)),
    securityService,
    rateLimits: new RateLimits(pool),
    auditLogService: new AuditLogService(db),
    overviewService: new OverviewService(db),
    async close() {
      await pool.end()
      await db.$disconnect()
    },
  }
}

export type Services = ReturnType<typeof createServices>
