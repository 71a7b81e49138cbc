// Is this error the database being away (restarting, unreachable, connection lost)? Then a request
// answers 503 "Tijdelijk niet beschikbaar" and the log gets one line, not a stack (src/errorHandler.ts);
// the pools reconnect by themselves once the server is back.
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08006',
  'P1001', // Prisma: can't reach the database server
  'P1002',
  'P1017', // Prisma: the server closed the connection
  'P2024', // Prisma: timed out fetching a connection
])
const MESSAGES =
  /Connection terminated|connection (?:is )?closed|terminating connection due to administrator command|the database system is (?:starting up|shutting down|in recovery mode)|Can't reach database server|Client has encountered a connection error|timeout exceeded when trying to connect/i

/** The reason (a code or a short message) when `error`, or an error it wraps, is the database being away. */
export function databaseUnavailableReason(error: unknown): string | null {
  const seen = new Set<unknown>()
  let current = error as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown } | undefined
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    for (const code of [current.code, current.originalCode]) if (typeof code === 'string' && CODES.has(code)) return code
    const message = typeof current.message === 'string' ? current.message : ''
    const match = MESSAGES.exec(message)
    if (match) return match[0]
    current = current.cause as typeof current
  }
  return null
}

type LogSink = { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void }

/** For a pool's or a client's 'error' event: one warning line when the database went away, else the error. */
export function logConnectionError(logger: LogSink, message: string): (error: unknown) => void {
  return (error) => {
    const reason = databaseUnavailableReason(error)
    if (reason) logger.warn({ reason }, `${message} (database unavailable)`)
    else logger.error({ err: error }, message)
  }
}
