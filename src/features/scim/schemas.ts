// SCIM 2.0 request shapes (RFC 7643/7644), parsed leniently the way provisioning clients send them:
// attributes this server does not keep (title, locale, groups, password, the enterprise extension, …)
// are ignored, booleans may come as strings ("True", "False": Entra ID), and `op` in any case.
import { z } from 'zod'

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  /** What eHerkenning needs beyond the core schema: date of birth, tussenvoegsel, term; level and means status read-only. */
  extension: 'urn:ietf:params:scim:schemas:extension:eherkenning:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const

/** true/false, or the strings "true"/"false" in any case (Entra ID sends "False"). */
export const BoolLike = z
  .union([z.boolean(), z.string().regex(/^(true|false)$/i, 'api:errors.scimBoolean')])
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'))

const text = (max: number) => z.string().max(max, 'api:errors.scimTooLong')

const MultiValue = z.looseObject({ value: text(254).optional(), type: z.string().max(40).optional(), primary: BoolLike.optional() })

export const Extension = z.looseObject({
  dateOfBirth: text(20).optional(),
  lastNamePrefix: text(20).nullable().optional(),
  termYears: z.union([z.number(), z.string().max(2)]).optional(),
})

/** A User as POST and PUT send it (and as a PATCH leaves it before it is stored). */
export const ScimUserInput = z.looseObject({
  schemas: z.array(z.string()).optional(),
  userName: text(254).min(1, 'api:errors.scimUserName'),
  externalId: text(255).nullable().optional(),
  name: z
    .looseObject({ givenName: text(100).nullable().optional(), familyName: text(100).nullable().optional() })
    .nullable()
    .optional(),
  emails: z.array(MultiValue).max(10).nullable().optional(),
  phoneNumbers: z.array(MultiValue).max(10).nullable().optional(),
  active: BoolLike.optional(),
  [SCHEMA.extension]: Extension.nullable().optional(),
})
export type ScimUserInput = z.infer<typeof ScimUserInput>

export const PatchOperation = z.looseObject({
  op: z.string().regex(/^(add|replace|remove)$/i, 'api:errors.patch'),
  path: z.string().max(300).optional(),
  value: z.unknown().optional(),
})

export const PatchRequest = z.looseObject({
  schemas: z.array(z.string()).refine((s) => s.includes(SCHEMA.patchOp), 'api:errors.patch'),
  Operations: z.array(PatchOperation).min(1, 'api:errors.patch').max(100, 'api:errors.patch'),
})

/** `?filter=…&startIndex=…&count=…` (RFC 7644 §3.4.2); attributes/excludedAttributes are accepted and ignored. */
export const ListQuery = z.looseObject({
  filter: z.string().max(500, 'api:errors.filter').optional(),
  startIndex: z
    .string()
    .regex(/^-?\d{1,9}$/, 'api:errors.scimPaging')
    .optional(),
  count: z
    .string()
    .regex(/^-?\d{1,9}$/, 'api:errors.scimPaging')
    .optional(),
})

export const MAX_COUNT = 200
export const DEFAULT_TERM_YEARS = 3
