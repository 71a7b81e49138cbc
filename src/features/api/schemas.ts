// The JSON API's request and response shapes: the handlers parse with these, and the OpenAPI
// document (openapi.ts) is generated from the very same objects, so the two cannot drift.
// Messages are catalogue keys (the pages' own where the field is the same).
import { z } from 'zod'
import { LEVEL_VALUES } from '../../domain/levels.ts'
import { MANDATE_STATUSES } from '../../domain/statuses.ts'
import { API_SCOPES } from '../../shared/apiTokens.ts'
import { PAGE_SIZE_VALUES } from '../../shared/pageSizes.ts'

const uuid = (message: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, message)
/** An optional text that must match `pattern`; `message` the catalogue key when it does not. */
const optionalMatch = (pattern: RegExp, message: string) => z.string().regex(pattern, message).optional()
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const Level = z.enum(LEVEL_VALUES, 'mandates:errors.levelFilter').meta({ id: 'Level' })
const MandateStatus = z.enum(MANDATE_STATUSES, 'mandates:errors.statusFilter').meta({ id: 'MandateStatus' })

export const TokenRequest = z
  .object({
    grant_type: z.literal('client_credentials', 'api:errors.grantType'),
    client_id: z.string().max(100).optional(),
    client_secret: z.string().max(200).optional(),
    scope: z.string().max(200).optional(),
  })
  .meta({ id: 'TokenRequest' })

export const TokenResponse = z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() })
  .meta({ id: 'TokenResponse' })

export const OAuthError = z.object({ error: z.string(), error_description: z.string() }).meta({ id: 'OAuthError' })

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .meta({ id: 'Problem' })

// -------------------------------------------------------------------------------------------
// Mandates

/** The Machtigingen page's filters, in English; `cursor` is the `next` of the previous page. */
export const MandateListQuery = z
  .object({
    organisationId: uuid('mandates:errors.organisation').optional(),
    user: z.string().max(200, 'mandates:errors.userQuery').optional(),
    scope: optionalMatch(/^(all|provider:[0-9a-f-]{36}|service:[0-9a-f-]{36})$/i, 'mandates:errors.scopeFilter'),
    level: Level.optional(),
    status: MandateStatus.optional(),
    inactive: z.enum(['true', 'false'], 'mandates:errors.filter').optional(),
    sort: z.enum(['end', 'end-desc'], 'mandates:errors.sort').optional(),
    limit: z.enum(PAGE_SIZE_VALUES, 'mandates:errors.pageSize').optional(),
    cursor: optionalMatch(/^\d{4}-\d{2}-\d{2}_[0-9a-f-]{36}$/i, 'api:errors.cursor'),
  })
  .strict()

export const Mandate = z
  .object({
    id: z.string(),
    userId: z.string(),
    userName: z.string(),
    userEmail: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    scope: z.enum(['all', 'provider', 'service']),
    serviceName: z.string().nullable(),
    providerName: z.string().nullable(),
    level: Level,
    branchName: z.string().nullable(),
    validFrom: isoDate,
    validUntil: isoDate,
    status: MandateStatus,
  })
  .meta({ id: 'Mandate' })

export const MandateList = z.object({ data: z.array(Mandate), next: z.string().nullable() }).meta({ id: 'MandateList' })

const ScopeItem = z.discriminatedUnion(
  'scope',
  [
    z.object({ scope: z.literal('all') }).strict(),
    z.object({ scope: z.literal('provider'), providerId: uuid('mandates:errors.unknownService') }).strict(),
    z.object({ scope: z.literal('service'), serviceId: uuid('mandates:errors.unknownService') }).strict(),
  ],
  'mandates:errors.unknownService',
)

export const GrantRequest = z
  .object({
    organisationId: uuid('mandates:errors.organisationRequired'),
    userId: uuid('mandates:errors.userRequired'),
    level: z.enum(LEVEL_VALUES, 'mandates:errors.levelRequired'),
    termYears: z.union([z.literal(1), z.literal(3), z.literal(5)], 'mandates:errors.term'),
    branchId: uuid('mandates:errors.branch').nullable().optional(),
    items: z.array(ScopeItem).min(1, 'mandates:errors.noServices').max(100, 'mandates:errors.noServices'),
  })
  .strict()
  .meta({ id: 'GrantRequest' })

export const GrantResult = z
  .object({ data: z.array(z.object({ id: z.string(), status: MandateStatus, validFrom: isoDate, validUntil: isoDate })) })
  .meta({ id: 'GrantResult' })

export const RenewRequest = z
  .object({ termYears: z.union([z.literal(1), z.literal(3), z.literal(5)], 'mandates:errors.term') })
  .strict()
  .meta({ id: 'RenewRequest' })

export const RenewResult = z
  .object({
    id: z.string(),
    validUntil: isoDate.nullable(),
    refusal: z.enum(['revoked', 'suspended', 'adminLevel', 'meansLevel', 'tooLong', 'exists']).nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'RenewResult' })

export const RevokeResult = z.object({ id: z.string(), status: z.literal('revoked') }).meta({ id: 'RevokeResult' })

/** At most this many operations in one batch (a larger one is refused with 413). */
export const MAX_BATCH = 1000

export const BatchRequest = z
  .object({
    atomic: z.boolean('api:errors.batchAtomic').optional().meta({
      description:
        'true (default): all or nothing, a failing operation fails the batch with 422. false: what can be done is done, each result says what happened.',
    }),
    operations: z
      .array(
        z.discriminatedUnion(
          'op',
          [GrantRequest.extend({ op: z.literal('grant') }).strict(), z.object({ op: z.literal('revoke'), id: uuid('common:errors.notFoundText') }).strict()],
          'api:errors.batchOp',
        ),
        'api:errors.batchSize',
      )
      .min(1, 'api:errors.batchSize')
      .max(MAX_BATCH, 'api:errors.batchSize'),
  })
  .strict()
  .meta({ id: 'BatchRequest' })

export const BatchResult = z
  .object({
    atomic: z.boolean(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        op: z.enum(['grant', 'revoke']),
        outcome: z.enum(['granted', 'revoked', 'failed']),
        mandates: z.array(z.object({ id: z.string(), status: MandateStatus, validUntil: isoDate })),
        error: z.object({ status: z.number().int(), detail: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'BatchResult' })

// -------------------------------------------------------------------------------------------
// Users

export const UserListQuery = z
  .object({
    organisationId: uuid('users:errors.organisation').optional(),
    level: Level.optional(),
    q: z.string().max(200).optional(),
    cursor: z.string().max(500).optional(),
  })
  .strict()

/** The person of a user, as both the list and the detail give it. */
const personFields = {
  id: z.string(),
  firstName: z.string(),
  lastNamePrefix: z.string().nullable(),
  lastName: z.string(),
  email: z.string(),
}

export const User = z
  .object({
    ...personFields,
    level: Level.nullable(),
    meansStatus: z.string().nullable(),
    meansValidUntil: isoDate.nullable(),
    mandates: z.number().int(),
    organisations: z.array(z.string()),
  })
  .meta({ id: 'User' })

export const UserList = z.object({ data: z.array(User), next: z.string().nullable() }).meta({ id: 'UserList' })

export const UserDetail = z
  .object({
    ...personFields,
    organisations: z.array(z.object({ id: z.string(), name: z.string() })),
    means: z.array(z.object({ id: z.string(), level: Level, status: z.string(), validUntil: isoDate })),
  })
  .meta({ id: 'UserDetail' })

/** POST /users: one row of "Gebruikers toevoegen" (the same checks), in the client's organisation. */
export const AddUserRequest = z
  .object({
    organisationId: uuid('users:import.errors.organisationRequired').optional(),
    firstName: z.string('users:import.errors.firstNameRequired').max(100, 'users:import.errors.firstNameRequired'),
    lastNamePrefix: z.string().max(20).nullable().optional(),
    lastName: z.string('users:import.errors.lastNameRequired').max(100, 'users:import.errors.lastNameRequired'),
    dateOfBirth: isoDate.meta({ description: 'YYYY-MM-DD' }),
    email: z.string('users:import.errors.emailRequired').max(254, 'users:import.errors.emailInvalid'),
    mobile: z.string('users:import.errors.mobileRequired').max(20, 'users:import.errors.mobileInvalid'),
    level: Level.optional().meta({ description: "The means' level; default the API client's level" }),
    termYears: z.union([z.literal(1), z.literal(3), z.literal(5)], 'users:import.errors.termInvalid'),
    externalId: z.string().min(1).max(255).nullable().optional(),
  })
  .strict()
  .meta({ id: 'AddUserRequest' })

export const AddUserResult = z
  .object({ id: z.string(), organisationId: z.string(), meansStatus: z.enum(['active', 'requested']) })
  .meta({ id: 'AddUserResult' })

export const OffboardResult = z
  .object({ id: z.string(), organisationId: z.string(), revokedMandates: z.number().int(), endedAssignments: z.number().int() })
  .meta({ id: 'OffboardResult' })

// -------------------------------------------------------------------------------------------
// Audit events

/** The Logboek filters in English; `cursor` is the `next` of the previous page (newest first). */
export const AuditListQuery = z
  .object({
    organisationId: uuid('audit:errors.organisation').optional(),
    user: z.string().max(254, 'audit:errors.user').optional(),
    action: optionalMatch(/^[a-z_.]{1,60}$/, 'audit:errors.action'),
    from: isoDate.optional(),
    until: isoDate.optional().meta({ description: 'inclusive' }),
    cursor: optionalMatch(/^\d{1,18}$/, 'audit:errors.cursor'),
  })
  .strict()

export const AuditEvent = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    organisationName: z.string().nullable(),
    kvkNumber: z.string().nullable(),
    subjectType: z.string(),
    subjectId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ipAddress: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' })

export const AuditEventList = z.object({ data: z.array(AuditEvent), next: z.string().nullable() }).meta({ id: 'AuditEventList' })

// -------------------------------------------------------------------------------------------
// Who may act (rule 21)

export const AuthorisationCheckQuery = z
  .object({
    userId: uuid('mandates:errors.userRequired'),
    serviceId: uuid('mandates:errors.unknownService'),
    organisationId: uuid('mandates:errors.organisation').optional().meta({ description: "Default: the API client's organisation" }),
  })
  .strict()

const PathKind = z.enum(['service', 'provider', 'all'])

export const AuthorisationResult = z
  .object({
    allowed: z.boolean(),
    level: Level.nullable(),
    path: z
      .union([
        z.object({ via: z.literal('mandate'), scope: PathKind, mandateId: z.string() }),
        z.object({
          via: z.literal('chain'),
          scope: PathKind,
          chainMandateId: z.string(),
          assignmentId: z.string(),
          intermediary: z.object({ id: z.string(), name: z.string(), kvkNumber: z.string() }),
        }),
      ])
      .nullable(),
    reason: z.enum(['none', 'unknownService', 'serviceLevel', 'meansTooLow', 'suspended', 'notYetValid', 'expired', 'pending', 'revoked']).nullable(),
  })
  .meta({ id: 'AuthorisationResult' })

export const Scopes = z.enum(API_SCOPES)

// -------------------------------------------------------------------------------------------
// Means (of a user; scopes users:read / users:write) and link requests (verzoeken, rule 8)

const Term = z.union([z.literal(1), z.literal(3), z.literal(5)], 'mandates:errors.term')

export const MeansList = z
  .object({ data: z.array(z.object({ id: z.string(), level: Level, status: z.string(), validFrom: isoDate, validUntil: isoDate })) })
  .meta({ id: 'MeansList' })

/** "Nieuw Middel Aanvragen" for a linked person without a working means. */
export const MeansRequest = z
  .object({
    organisationId: uuid('users:import.errors.organisationRequired').optional(),
    level: Level,
    termYears: Term,
  })
  .strict()
  .meta({ id: 'MeansRequest' })

/** "Middel upgraden": the person's active means to a higher level. */
export const MeansUpgradeRequest = z
  .object({ organisationId: uuid('users:import.errors.organisationRequired').optional(), level: Level })
  .strict()
  .meta({ id: 'MeansUpgradeRequest' })

export const MeansApplicationResult = z
  .object({ userId: z.string(), level: Level, outcome: z.string().meta({ description: "The application's status after signing" }) })
  .meta({ id: 'MeansApplicationResult' })

export const LinkRequest = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    email: z.string(),
    name: z.string().nullable().meta({ description: 'Only once the person has accepted' }),
    status: z.enum(['pending', 'accepted', 'rejected', 'lapsed', 'cancelled']),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'LinkRequest' })

export const LinkRequestList = z.object({ data: z.array(LinkRequest) }).meta({ id: 'LinkRequestList' })

export const NewLinkRequest = z
  .object({
    organisationId: uuid('requests:errors.organisation').optional(),
    email: z.string('requests:errors.email').max(254, 'requests:errors.email'),
  })
  .strict()
  .meta({ id: 'NewLinkRequest' })
