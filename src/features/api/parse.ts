// Parsing API input with the zod schemas of schemas.ts: a malformed query or body is a 400 problem
// (unknown fields included), with each field's message from the catalogues.
import type { Request } from 'express'
import type { ZodType, z } from 'zod'
import { Problem, apiLocale, zodProblemItems } from '../../web/problem.ts'
import { translator } from '../../i18n/index.ts'

export function parseInput<S extends ZodType>(schema: S, value: unknown, req: Request): z.infer<S> {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  throw new Problem(400, 'common:errors.badRequestText', {}, zodProblemItems(result.error, translator(apiLocale(req))))
}

/** A JSON body was required: 415 for another media type. */
export function jsonBody(req: Request): unknown {
  if (!req.is(['application/json', 'application/*+json'])) throw new Problem(415, 'api:errors.mediaType')
  return req.body as unknown
}

/** Path ids: a malformed one is simply not found (rule 7, as on the pages). */
export function idOf(req: Request): string {
  const id = String(req.params.id ?? '')
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Problem(404, 'common:errors.notFoundText')
  return id
}
