// The SCIM filters provisioning clients send to find a person before they create one (RFC 7644
// §3.4.2.2): one `eq` on userName, externalId, id or the (work) e-mail address. Anything else is
// 400 invalidFilter, never a silently unfiltered list.
import { ScimError } from '../../web/scimError.ts'

export type UserFilter = { email: string } | { externalId: string } | { id: string }

const CORE_PREFIX = 'urn:ietf:params:scim:schemas:core:2.0:user:'
const EXPRESSION = /^\s*([A-Za-z][\w.:]*(?:\[\s*type\s+eq\s+"[A-Za-z]+"\s*\](?:\.value)?)?)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i

function invalid(): ScimError {
  return new ScimError(400, 'invalidFilter', 'api:errors.filter')
}

export function parseFilter(filter: string | undefined): UserFilter | null {
  if (filter === undefined || filter.trim() === '') return null
  const match = EXPRESSION.exec(filter)
  if (!match) throw invalid()
  let value: string
  try {
    value = JSON.parse(match[2]!) as string
  } catch {
    throw invalid()
  }
  let attribute = match[1]!.toLowerCase().replace(/\s+/g, ' ')
  if (attribute.startsWith(CORE_PREFIX)) attribute = attribute.slice(CORE_PREFIX.length)
  switch (attribute) {
    case 'username':
    case 'emails.value':
    case 'emails[type eq "work"].value':
      return { email: value }
    case 'externalid':
      return { externalId: value }
    case 'id':
      return { id: value }
    default:
      throw invalid()
  }
}
