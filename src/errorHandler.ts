import type { ErrorRequestHandler } from 'express'
import type { Logger } from 'pino'
import { AppError } from './errors.ts'
import { redactUrl } from './web/redact.ts'
import { sendProblem } from './web/problem.ts'
import { isApiPath, isScimPath } from './paths.ts'
import { sendScimError } from './web/scimError.ts'
import { databaseUnavailableReason } from './db/unavailable.ts'

type Kind = 'notFound' | 'forbidden' | 'csrf' | 'badRequest' | 'tooMany' | 'server' | 'unavailable'

function classify(error: unknown): { status: number; kind: Kind } {
  const e = error as { status?: number; statusCode?: number; code?: string; type?: string }
  if (e?.code === 'EBADCSRFTOKEN' || (e as Error)?.message === 'invalid csrf token') return { status: 403, kind: 'csrf' }
  // Safety net: a malformed id that reached the database (invalid uuid text) is an unknown object.
  if (['P2023', '22P02', '22021'].includes(String(e?.code)) || /invalid input syntax for type uuid/i.test(String((error as Error)?.message))) {
    return { status: 404, kind: 'notFound' }
  }
  const status = error instanceof AppError ? error.status : (e?.status ?? e?.statusCode ?? 500)
  if (status === 404) return { status, kind: 'notFound' }
  if (status === 403) return { status, kind: 'forbidden' }
  if (status === 429) return { status, kind: 'tooMany' }
  if (status >= 400 && status < 500) return { status, kind: 'badRequest' }
  return { status: 500, kind: 'server' }
}

/** What was wrong with a request we could not read, as a catalogue key (common:errors.badRequestReason.*). */
function badRequestReason(error: unknown): string {
  const e = error as { type?: string; message?: string; name?: string }
  if (e?.name === 'URIError' || /decode param/i.test(String(e?.message))) return 'url'
  if (e?.type === 'entity.parse.failed' || e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return 'body'
  if (e?.type === 'parameters.too.many') return 'tooManyFields'
  if (e?.type === 'entity.too.large') return 'tooLarge'
  return 'other'
}

/** One handler for every error: a Dutch page, never a stack trace outside development. */
export function errorHandler(logger: Logger, production: boolean): ErrorRequestHandler {
  return (error, req, res, _next) => {
    // The database away (a restart): 503, one log line, no stack; the pools reconnect by themselves.
    const unavailable = databaseUnavailableReason(error)
    const { status, kind } = unavailable ? { status: 503, kind: 'unavailable' as const } : classify(error)
    if (unavailable) logger.warn({ requestId: req.id, url: redactUrl(req.originalUrl), reason: unavailable }, 'database unavailable')
    else if (status >= 500) logger.error({ err: error, requestId: req.id, url: redactUrl(req.originalUrl) }, 'request failed')
    if (res.headersSent) return
    // The API, SCIM and the token endpoint answer with RFC 9457 problem documents, never a page.
    // SCIM answers with its own error document (RFC 7644 §3.12).
    if (isScimPath(req.path)) return sendScimError(res, req, error)
    if (isApiPath(req.path)) return sendProblem(res, req, error)
    const t = req.t
    res.status(status)
    if (unavailable) res.set('Retry-After', '30')
    if (!t) return res.type('text/plain').send(String(status))
    res.render('pages/error', {
      title: t(`common:errors.${kind}Title`),
      kind,
      message: kind === 'badRequest' ? t(`common:errors.badRequestReason.${badRequestReason(error)}`) : t(`common:errors.${kind}Text`),
      stack: !production && !unavailable && status >= 500 ? String((error as Error)?.stack ?? error) : null,
      requestId: req.id,
    })
  }
}
