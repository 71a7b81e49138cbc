// The SCIM discovery documents (RFC 7643 §5–7, RFC 7644 §4): what this server supports, its one
// resource type (User) and the two schemas it reads and writes.
import { paths } from '../../paths.ts'
import { MAX_COUNT, SCHEMA } from './schemas.ts'

type Attribute = {
  name: string
  type: 'string' | 'boolean' | 'complex' | 'dateTime' | 'integer'
  multiValued: boolean
  required: boolean
  caseExact: boolean
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
  returned: 'always' | 'default'
  uniqueness: 'none' | 'server'
  description: string
  subAttributes?: Attribute[]
}

function attribute(name: string, description: string, extra: Partial<Attribute> = {}): Attribute {
  return {
    name,
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'immutable',
    returned: 'default',
    uniqueness: 'none',
    description,
    ...extra,
  }
}

const valued = (kind: string) => [
  attribute('value', `The ${kind}.`),
  attribute('type', `"work" (e-mail) or "mobile" (phone).`, { mutability: 'readWrite' }),
  attribute('primary', 'Whether this is the primary value.', { type: 'boolean', mutability: 'readWrite' }),
]

const USER_ATTRIBUTES: Attribute[] = [
  attribute('userName', "The person's e-mail address (the portal's login); unique.", { required: true, uniqueness: 'server', returned: 'always' }),
  attribute('externalId', "The provisioning system's id for the person in this organisation; unique per organisation.", {
    caseExact: true,
    mutability: 'readWrite',
  }),
  attribute('name', 'The name; it belongs to the person (and the means), set once.', {
    type: 'complex',
    required: true,
    subAttributes: [
      attribute('givenName', 'First name.', { required: true }),
      attribute('familyName', 'Last name, without tussenvoegsel.', { required: true }),
    ],
  }),
  attribute('displayName', 'The full name.', { mutability: 'readOnly' }),
  attribute('emails', 'The work address; equals userName.', { type: 'complex', multiValued: true, required: true, subAttributes: valued('address') }),
  attribute('phoneNumbers', 'The mobile number (required for a new person).', {
    type: 'complex',
    multiValued: true,
    required: true,
    subAttributes: valued('number'),
  }),
  attribute('active', 'false (or DELETE) offboards the person from the organisation: mandates revoked, link ended.', {
    type: 'boolean',
    mutability: 'readWrite',
  }),
]

const EXTENSION_ATTRIBUTES: Attribute[] = [
  attribute('dateOfBirth', 'YYYY-MM-DD or DD-MM-YYYY; required for a new person.', { required: true }),
  attribute('lastNamePrefix', 'Tussenvoegsel ("van der").'),
  attribute('termYears', 'Term of the requested means: 1, 3 (default) or 5 years.', { type: 'integer', mutability: 'writeOnly' }),
  attribute('level', "Level of the person's means (the API client's level on creation).", { mutability: 'readOnly' }),
  attribute('meansStatus', 'requested, active, suspended, revoked or expired.', { mutability: 'readOnly' }),
  attribute('meansValidUntil', 'End date of the means.', { mutability: 'readOnly' }),
]

export function serviceProviderConfig() {
  return {
    schemas: [SCHEMA.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth 2.0 bearer token',
        description: `Client credentials of an API client (Beheer → API-koppelingen) at ${paths.api.token}; scopes users:read and users:write.`,
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
      {
        type: 'oauthbearertoken',
        name: 'SCIM token',
        description:
          'A long-lived token of an API client (Beheer → API-koppelingen → SCIM-token aanmaken), sent as "Authorization: Bearer <token>" (Okta HTTP Header, Entra Secret Token); only valid here, until the client ends or is revoked.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: false,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: paths.scim.serviceProviderConfig },
  }
}

export function userResourceType() {
  return {
    schemas: [SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A person of the API client’s organisation',
    schema: SCHEMA.user,
    schemaExtensions: [{ schema: SCHEMA.extension, required: false }],
    meta: { resourceType: 'ResourceType', location: `${paths.scim.resourceTypes}/User` },
  }
}

/** One Schema resource (RFC 7643 §7), served at /Schemas/<id>. */
function schemaDocument(id: string, name: string, description: string, attributes: unknown) {
  return { schemas: [SCHEMA.schema], id, name, description, attributes, meta: { resourceType: 'Schema', location: `${paths.scim.schemas}/${id}` } }
}

export function schemaDocuments() {
  return [
    schemaDocument(SCHEMA.user, 'User', 'User account', USER_ATTRIBUTES),
    schemaDocument(SCHEMA.extension, 'eHerkenning', 'What an eHerkenning means needs beyond the core schema', EXTENSION_ATTRIBUTES),
  ]
}

export function listOf(resources: unknown[]) {
  return { schemas: [SCHEMA.listResponse], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources }
}
