// What a log line may say about a request: its path without the secret in it. Every link that
// carries a single-use token (signing, renewal, password reset, e-mail change, and activation
// links when they exist) is logged with the token replaced by `[token]`; so is any other path
// segment that looks like a token (32+ URL-safe characters that are not a UUID), and the value of
// any query parameter whose name suggests a secret.
import { paths } from '../paths.ts'

/** Path prefixes whose next segment is a token. Add a new token-bearing route here. */
export const TOKEN_PATH_PREFIXES: readonly string[] = [
  paths.sign,
  paths.renewal,
  paths.security.resetPassword,
  `${paths.mine}/e-mailadres`,
  '/activeren',
  '/activatie',
]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const TOKEN_LIKE = /^[A-Za-z0-9_~.%-]{32,}$/
const SECRET_PARAM = /token|code|password|wachtwoord|secret|csrf|key|sid|session/i

export function redactUrl(url: string | undefined): string {
  if (!url) return ''
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  const query = q === -1 ? '' : url.slice(q + 1)
  const segments = path.split('/')
  const out = segments.map((segment, i) => {
    if (i === 0 || segment === '') return segment
    const before = segments.slice(0, i).join('/')
    if (TOKEN_PATH_PREFIXES.some((prefix) => before === prefix || before.endsWith(prefix))) return '[token]'
    if (TOKEN_LIKE.test(segment) && !UUID.test(segment)) return '[token]'
    return segment
  })
  let result = out.join('/')
  if (query) {
    const parts = query.split('&').map((pair) => {
      const eq = pair.indexOf('=')
      const name = eq === -1 ? pair : pair.slice(0, eq)
      let decoded = name
      try {
        decoded = decodeURIComponent(name)
      } catch {
        // keep the raw name
      }
      return eq !== -1 && SECRET_PARAM.test(decoded) ? `${name}=[redacted]` : pair
    })
    result += `?${parts.join('&')}`
  }
  return result
}

/** pino `redact` paths: belt and braces for anything that logs headers or form fields. */
export const LOG_REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'body.password',
  'body.newPassword',
  'body.code',
  'body._csrf',
  '*.password',
  '*.code',
  '*.totp',
  '*._csrf',
  '*.token',
]
