// SCIM PATCH (RFC 7644 §3.5.2) applied to the current resource, in the shapes Entra ID and Okta send:
// `op` in any case ("Replace", "Add"), booleans as strings ("False"), operations without `path` whose
// `value` is an object of attributes (also "name.givenName" keys), paths with a value filter
// (`emails[type eq "work"].value`) and attributes of an extension by their URN. The result is stored
// as a PUT would store it (scimService.replace), so both go through the same checks.
import { ScimError } from '../../web/scimError.ts'
import { SCHEMA } from './schemas.ts'

type Json = Record<string, unknown>
type Op = 'add' | 'replace' | 'remove'

const CORE_PREFIX = `${SCHEMA.user}:`.toLowerCase()
const EXTENSION_PREFIX = `${SCHEMA.extension}:`.toLowerCase()
/** Attribute names as this server spells them, by lower case (paths are case-insensitive). */
const NAMES: Record<string, string> = {
  username: 'userName',
  externalid: 'externalId',
  active: 'active',
  displayname: 'displayName',
  name: 'name',
  givenname: 'givenName',
  familyname: 'familyName',
  formatted: 'formatted',
  emails: 'emails',
  phonenumbers: 'phoneNumbers',
  value: 'value',
  type: 'type',
  primary: 'primary',
  dateofbirth: 'dateOfBirth',
  lastnameprefix: 'lastNamePrefix',
  termyears: 'termYears',
}
const PATH = /^([A-Za-z][\w-]*)(?:\[\s*type\s+eq\s+"([^"]*)"\s*\])?(?:\.([A-Za-z][\w-]*))?$/i

function badPath(): ScimError {
  return new ScimError(400, 'invalidPath', 'api:errors.patch')
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A single value sent as `[{"value": x}]` (some clients do) becomes x. */
function single(value: unknown): unknown {
  if (Array.isArray(value) && value.length === 1 && isObject(value[0]) && 'value' in value[0]) return value[0].value
  return value
}

type Target = { container: Json; attribute: string; type?: string; sub?: string }

/** Where a path points: the resource itself or the extension object, then attribute[type].sub. */
function target(resource: Json, rawPath: string): Target | null {
  let path = rawPath.trim()
  let container = resource
  const lower = path.toLowerCase()
  if (lower.startsWith(EXTENSION_PREFIX)) {
    path = path.slice(EXTENSION_PREFIX.length)
    container = (isObject(resource[SCHEMA.extension]) ? resource[SCHEMA.extension] : (resource[SCHEMA.extension] = {})) as Json
  } else if (lower.startsWith(CORE_PREFIX)) path = path.slice(CORE_PREFIX.length)
  else if (lower.startsWith('urn:')) return null // another extension (enterprise, …): not kept here
  const match = PATH.exec(path)
  if (!match) throw badPath()
  const attribute = NAMES[match[1]!.toLowerCase()]
  if (!attribute) return null // an attribute this server does not keep: ignored
  const sub = match[3] ? NAMES[match[3].toLowerCase()] : undefined
  if (match[3] && !sub) return null
  return { container, attribute, type: match[2]?.toLowerCase(), sub }
}

const typeOf = (e: Json) => (typeof e.type === 'string' ? e.type.toLowerCase() : '')

function applyMulti(t: Target, op: Op, value: unknown): void {
  const list = (Array.isArray(t.container[t.attribute]) ? t.container[t.attribute] : []) as Json[]
  const matches = (e: Json) => typeOf(e) === t.type
  if (t.type === undefined) {
    if (op === 'remove') return void delete t.container[t.attribute]
    const items = (Array.isArray(value) ? value : [value]).filter(isObject)
    if (op === 'replace') return void (t.container[t.attribute] = items)
    const merged = list.filter((e) => !items.some((i) => typeOf(i) === typeOf(e)))
    return void (t.container[t.attribute] = [...merged, ...items])
  }
  const index = list.findIndex(matches)
  if (op === 'remove') {
    if (index < 0) return
    if (t.sub && t.sub !== 'value') delete list[index]![t.sub]
    else list.splice(index, 1)
  } else {
    const element = index >= 0 ? list[index]! : { type: t.type }
    if (t.sub) element[t.sub] = single(value)
    else if (isObject(value)) Object.assign(element, value)
    else throw new ScimError(400, 'invalidValue', 'api:errors.patch')
    if (index < 0) list.push(element)
  }
  t.container[t.attribute] = list
}

function applyPath(resource: Json, op: Op, path: string, value: unknown): void {
  const t = target(resource, path)
  if (!t) return
  if (t.attribute === 'emails' || t.attribute === 'phoneNumbers') return applyMulti(t, op, value)
  if (t.type !== undefined) throw badPath()
  if (t.sub) {
    const parent = (isObject(t.container[t.attribute]) ? t.container[t.attribute] : (t.container[t.attribute] = {})) as Json
    if (op === 'remove') delete parent[t.sub]
    else parent[t.sub] = single(value)
    return
  }
  if (op === 'remove') {
    if (t.attribute === 'externalId') t.container.externalId = null
    else delete t.container[t.attribute]
    return
  }
  if (isObject(value) && isObject(t.container[t.attribute])) Object.assign(t.container[t.attribute] as Json, value)
  else t.container[t.attribute] = single(value)
}

/** Applies the operations in order to a copy of `current`; unknown attributes are ignored. */
export function applyPatch(current: Json, operations: { op: string; path?: string | undefined; value?: unknown }[]): Json {
  const resource = structuredClone(current)
  for (const operation of operations) {
    const op = operation.op.toLowerCase() as Op
    if (operation.path !== undefined && operation.path.trim() !== '') {
      applyPath(resource, op, operation.path, operation.value)
      continue
    }
    // No path: "remove" needs a target; "add"/"replace" take an object of attributes.
    if (op === 'remove') throw new ScimError(400, 'noTarget', 'api:errors.patch')
    if (!isObject(operation.value)) throw new ScimError(400, 'invalidValue', 'api:errors.patch')
    for (const [key, value] of Object.entries(operation.value)) {
      if (key.toLowerCase() === SCHEMA.extension.toLowerCase() && isObject(value)) {
        for (const [name, v] of Object.entries(value)) applyPath(resource, op, `${SCHEMA.extension}:${name}`, v)
      } else if (
        key === 'schemas' ||
        (key.toLowerCase().startsWith('urn:') && !key.toLowerCase().startsWith(EXTENSION_PREFIX) && !key.toLowerCase().startsWith(CORE_PREFIX))
      ) {
        continue
      } else applyPath(resource, op, key, value)
    }
  }
  return resource
}
