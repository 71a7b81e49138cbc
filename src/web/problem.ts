// RFC 9457 problem details for the API, SCIM and the token endpoint: the same messages as the pages
// (the catalogues), in Dutch or English by Accept-Language. The one error handler calls
// `sendProblem` for every error on an API path (src/errorHandler.ts).
import type { Request, Response } from 'express'
import { ZodError } from 'zod'
import { AppError, RuleViolation } from '../errors.ts'
import { translator, type Locale } from '../i18n/index.ts'

export type ProblemItem = { pointer: string; detail: string }

/** An API refusal with its own status and message key; `errors` name the fields (JSON pointers). */
export class Problem extends AppError {
  override name = 'Problem'
  constructor(
    status: number,
    readonly detailKey: string,
    readonly params: Record<string, unknown> = {},
    readonly errors: ProblemItem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detailKey, status)
  }
}

/** nl unless the caller prefers English. */
export function apiLocale(req: Request): Locale {
  const preferred = req.acceptsLanguages('nl', 'en')
  return preferred === 'en' ? 'en' : 'nl'
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
}

function translate(t: ReturnType<typeof translator>, message: string, params: Record<string, unknown> = {}): string {
  return /^[a-zA-Z]+:[\w.]+$/.test(message) ? t(message, params) : t('common:errors.badRequestText')
}

/** A zod error as problem items: each field's message from the catalogue, with its JSON pointer. */
export function zodProblemItems(error: ZodError, t: ReturnType<typeof translator>): ProblemItem[] {
  return error.issues.slice(0, 50).map((issue) => ({
    pointer: `/${issue.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    detail: translate(t, issue.message),
  }))
}

export type ProblemBody = { type: string; title: string; status: number; detail: string; instance?: string; errors?: ProblemItem[] }

/** Any error as a problem document (status, body, extra headers). */
export function problemFor(error: unknown, req: Request): { status: number; body: ProblemBody; headers: Record<string, string> } {
  const t = translator(apiLocale(req))
  const e = error as { status?: number; statusCode?: number; type?: string }
  let status = error instanceof AppError ? error.status : (e?.status ?? e?.statusCode ?? 500)
  if (status < 400 || status > 599) status = 500
  let detail = t(status === 404 ? 'common:errors.notFoundText' : status >= 500 ? 'common:errors.serverText' : 'common:errors.badRequestText')
  let errors: ProblemItem[] | undefined
  let headers: Record<string, string> = {}
  if (error instanceof Problem) {
    detail = translate(t, error.detailKey, error.params)
    errors = error.errors.length ? error.errors : undefined
    headers = error.headers
  } else if (error instanceof RuleViolation) {
    detail = t(error.messageKey, error.params)
    if (error.field) errors = [{ pointer: `/${error.field}`, detail }]
  } else if (error instanceof ZodError) {
    status = 400
    errors = zodProblemItems(error, t)
  } else if (status === 429) detail = t('common:errors.tooManyText')
  const body: ProblemBody = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, instance: req.originalUrl.split('?')[0] }
  if (errors) body.errors = errors
  return { status, body, headers }
}

export function sendProblem(res: Response, req: Request, error: unknown): void {
  const { status, body, headers } = problemFor(error, req)
  res.status(status).set(headers).set('Cache-Control', 'no-store').type('application/problem+json').send(JSON.stringify(body))
}
