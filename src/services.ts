// Composition root: data access → services; routes receive these. Tests build the same with
// their own database.
import pino, { type Logger } from 'pino'
import type { Config } from './config.ts'
import { poolConfigFromUrl, utcPool } from './db/poolConfig.ts'
import { createPrismaClient } from './db/prisma.ts'
import { logConnectionError } from './db/unavailable.ts'
import { PgPageReads } from './db/pageReads.ts'
import { PgCursorReads } from './db/cursorReads.ts'
import { INDEX_WALK } from './shared/indexWalk.ts'
import type { PrismaClient } from './generated/prisma/client.ts'
import { AuthService } from './features/auth/authService.ts'
import { OverviewService } from './features/overview/overviewService.ts'
import { UsersService } from './features/users/usersService.ts'
import { MeansService } from './features/users/meansService.ts'
import { MandateBulkService } from './features/mandates/bulkService.ts'
import { OffboardService } from './features/users/offboardService.ts'
import { MeansRequestService } from './features/users/meansRequests.ts'
import { ImportService } from './features/users/importService.ts'
import { RequestsService } from './features/requests/requestsService.ts'
import { SelfService } from './features/self/selfService.ts'
import { ApplicationsService } from './features/applications/applicationsService.ts'
import { BackofficeService } from './features/backoffice/backofficeService.ts'
import { MailDelivery } from './features/mail/delivery.ts'
import { MailService } from './features/mail/mailService.ts'
import { MailWorker } from './features/mail/worker.ts'
import { ExpiryService } from './features/expiry/expiryService.ts'
import { DailyExpiry } from './features/expiry/dailyRun.ts'
import { RenewalService } from './features/renewal/renewalService.ts'
import { MandateListService } from './features/mandates/listService.ts'
import { MandateExportService } from './features/mandates/exportService.ts'
import { MandateWizardService } from './features/mandates/wizardService.ts'
import { MandateLifecycleService } from './features/mandates/lifecycleService.ts'
import { AuditLogService } from './features/audit/auditLogService.ts'
import { RateLimits } from './features/security/rateLimits.ts'
import { SecurityService } from './features/security/securityService.ts'
import { RetentionService } from './features/retention/retentionService.ts'
import { ChainService } from './features/chains/chainService.ts'
import { ChainStatusService } from './features/chains/chainStatusService.ts'
import { AssignmentService } from './features/chains/assignmentService.ts'
import { WhoService } from './features/chains/whoService.ts'
import { createKvkRegister } from './shared/kvk/index.ts'
import type { KvkRegister } from './shared/kvk/register.ts'
import { ActivationService } from './features/activation/activationService.ts'
import { AccountService } from './features/activation/accountService.ts'
import { RegistrationService } from './features/registration/registrationService.ts'
import { RegistrationSigning } from './features/registration/registrationSigning.ts'
import { CustomersService } from './features/backoffice/customersService.ts'
import { ApiClientsService } from './features/apiClients/apiClientsService.ts'
import { ApiTokens } from './shared/apiTokens.ts'

export function createServices(config: Config, databaseUrl: string, options: { logger?: Logger; db?: PrismaClient; kvkRegister?: KvkRegister } = {}) {
  const logger = options.logger ?? pino({ level: config.logLevel })
  const db = options.db ?? createPrismaClient(databaseUrl)
  // The read queries every page runs (who is logged in, the Machtigingen list): see src/db/pageReads.ts.
  const pageReads = PgPageReads.connect(databaseUrl).on('error', logConnectionError(logger, 'idle database connection failed'))
  // The user searches (Gebruikers, the wizard's user step), planned for their pattern: the same reads, on a pool of their own.
  const searchReads = PgPageReads.connect(databaseUrl, 4, 'custom').on('error', logConnectionError(logger, 'idle database connection failed'))
  // The CSV export's reads, each holding a connection while it streams: see src/db/cursorReads.ts.
  const cursorReads = PgCursorReads.connect(databaseUrl).on('error', logConnectionError(logger, 'idle database connection failed'))
  const pool = utcPool(poolConfigFromUrl(databaseUrl, { max: 5 }))
  pool.on('error', logConnectionError(logger, 'idle database connection failed'))
  const mailDelivery = new MailDelivery(db, config, logger)
  const expiryService = new ExpiryService(db)
  const retentionService = new RetentionService(db, config.retention)
  // Not started here: src/server.ts starts it (tests start their own when they need it).
  const mailWorker = new MailWorker(databaseUrl, db, mailDelivery, logger, new DailyExpiry(db, expiryService), { retention: retentionService })
  const securityService = new SecurityService(db)
  const rateLimits = new RateLimits(pool, { apiPerMinute: config.api.requestsPerMinute })
  const kvkRegister = options.kvkRegister ?? createKvkRegister(config, logger)
  const authService = new AuthService(db, (userId, code) => securityService.useRecoveryCode(userId, code), pageReads)
  return {
    config,
    logger,
    db,
    pool,
    authService,
    securityService,
    rateLimits,
    kvkRegister,
    activationService: new ActivationService(db),
    accountService: new AccountService(db),
    registrationService: new RegistrationService(db, kvkRegister),
    registrationSigning: new RegistrationSigning(db, config, kvkRegister),
    customersService: new CustomersService(db, kvkRegister),
    auditLogService: new AuditLogService(db, pageReads),
    overviewService: new OverviewService(db, pageReads),
    usersService: new UsersService(db, config, pageReads, INDEX_WALK, searchReads),
    meansService: new MeansService(db),
    offboardService: new OffboardService(db),
    meansRequestService: new MeansRequestService(db, config),
    importService: new ImportService(db, rateLimits),
    requestsService: new RequestsService(db, rateLimits, pageReads),
    selfService: new SelfService(db, pageReads),
    applicationsService: new ApplicationsService(db, config, pageReads),
    backofficeService: new BackofficeService(db, config),
    mailDelivery,
    mailWorker,
    mailService: new MailService(db, () => mailWorker.wake()),
    expiryService,
    retentionService,
    renewalService: new RenewalService(db),
    mandateListService: new MandateListService(db, pageReads),
    mandateExportService: new MandateExportService(cursorReads),
    mandateWizardService: new MandateWizardService(db, pageReads, searchReads),
    mandateLifecycleService: new MandateLifecycleService(db),
    mandateBulkService: new MandateBulkService(db),
    chainService: new ChainService(db, pageReads),
    chainStatusService: new ChainStatusService(db),
    assignmentService: new AssignmentService(db, pageReads),
    whoService: new WhoService(db),
    apiClientsService: new ApiClientsService(db, pageReads),
    apiTokens: new ApiTokens(db, (userId, now) => authService.loadPrincipal(userId, now)),
    async close() {
      await mailWorker.stop()
      mailDelivery.close()
      await pool.end()
      await db.$disconnect()
      await pageReads.end()
      await searchReads.end()
      await cursorReads.end()
    },
  }
}

export type Services = ReturnType<typeof createServices>
