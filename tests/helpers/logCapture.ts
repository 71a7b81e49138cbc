// A pino logger that writes into memory, so a test can read every line the app logged (#20: no
// secret in a log). createTestApp uses one for every test app and checks it when the app closes.
import pino, { type Logger } from 'pino'

export type LogCapture = { logger: Logger; text: () => string }

export function captureLog(level: pino.LevelWithSilent = 'info'): LogCapture {
  const chunks: string[] = []
  const logger = pino({ level }, { write: (chunk: string) => void chunks.push(chunk) })
  return { logger, text: () => chunks.join('') }
}

/** What must never be in a log line, whatever the test did: cookies, session ids, token paths, the demo password. */
export const GENERIC_SECRETS: { name: string; pattern: RegExp }[] = [
  { name: 'a Set-Cookie header', pattern: /set-cookie/i },
  { name: 'a Cookie header', pattern: /"cookie"\s*:/i },
  { name: 'the session cookie', pattern: /bm\.sid=/ },
  { name: 'an Authorization header', pattern: /"authorization"\s*:/i },
  { name: 'a CSRF token field', pattern: /"_csrf"\s*:\s*"(?!\[redacted\])/ },
  { name: 'a password field', pattern: /"(password|newPassword)"\s*:\s*"(?!\[redacted\])/ },
  { name: 'a token in a link path', pattern: /\/(ondertekenen|verlengen|wachtwoord-herstellen|e-mailadres)\/(?!\[token\])[A-Za-z0-9_-]{8,}/ },
  { name: 'the demo password', pattern: /Demo-wachtwoord-2026/ },
]

export function secretsIn(text: string): string[] {
  return GENERIC_SECRETS.filter(({ pattern }) => pattern.test(text)).map(({ name, pattern }) => `${name}: …${(pattern.exec(text)?.[0] ?? '').slice(0, 80)}…`)
}
