// SCIM errors (RFC 7644 §3.12): `{"schemas": [Error], "status": "400", "scimType": "…", "detail": "…"}`
// as application/scim+json, with the same messages as the pages and the JSON API (the catalogues,
// nl/en by Accept-Language). The one error handler calls `sendScimError` for every error under /scim/v2.
import type { Request, Response } from 'express'
import { AppError, RuleViolation } from '../errors.ts'
import { Problem, problemFor } from './problem.ts'

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'
export const SCIM_MEDIA_TYPE = 'application/scim+json'

/** RFC 7644 Table 9, the ones this server uses. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue'

/** A SCIM refusal: a status, its scimType and a catalogue message. */
export class ScimError extends Problem {
  override name = 'ScimError'
  constructor(
    status: number,
    readonly scimType: ScimType | undefined,
    detailKey: string,
    params: Record<string, unknown> = {},
    /** The attribute the message is about (`/name/givenName`), put before the message. */
    readonly attribute?: string,
  ) {
    super(status, detailKey, params)
  }
}

export type ScimErrorBody = { schemas: [typeof SCIM_ERROR_SCHEMA]; status: string; scimType?: ScimType; detail: string }

export function scimErrorFor(error: unknown, req: Request): { status: number; body: ScimErrorBody; headers: Record<string, string> } {
  const problem = problemFor(error, req)
  let status = problem.status
  let scimType = error instanceof ScimError ? error.scimType : undefined
  // SCIM has no 422: a rule that refuses the change is an invalid value (400), as a malformed body is.
  if (status === 422 || (error instanceof AppError && error.status === 422) || error instanceof RuleViolation) {
    status = 400
    scimType ??= 'invalidValue'
  }
  if (status === 400 && !scimType) scimType = 'invalidSyntax'
  const message = error instanceof ScimError && error.attribute ? `${error.attribute}: ${problem.body.detail}` : problem.body.detail
  const detail = problem.body.errors?.length ? `${message} (${problem.body.errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ')})` : message
  const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(status), detail }
  if (scimType) body.scimType = scimType
  return { status, body, headers: problem.headers }
}

export function sendScimError(res: Response, req: Request, error: unknown): void {
  const { status, body, headers } = scimErrorFor(error, req)
  res.status(status).set(headers).set('Cache-Control', 'no-store').type(SCIM_MEDIA_TYPE).send(JSON.stringify(body))
}
