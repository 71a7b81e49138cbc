// The one form-error pattern: an error summary at the top linking to each field, the message at
// the field, the typed values kept, and "Fout:" before the page title (see views/partials).
import type { TFunction } from 'i18next'
import type { ZodError, ZodType, z } from 'zod'
import { RuleViolation } from '../errors.ts'

export type FormErrors = {
  summary: { text: string; href: string }[]
  fields: Record<string, string>
}

export function noErrors(): FormErrors {
  return { summary: [], fields: {} }
}

/** Field messages in zod schemas are catalogue keys ("auth:login.errors.email"); the first per field wins. */
export function formErrorsFrom(error: ZodError, t: TFunction, fieldOrder: string[] = []): FormErrors {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    if (fields[field]) continue
    fields[field] = translateMessage(issue.message, t)
  }
  return fromFieldMessages(fields, fieldOrder)
}

export function fromFieldMessages(fields: Record<string, string>, fieldOrder: string[] = []): FormErrors {
  const names = Object.keys(fields).sort((a, b) => rank(a, fieldOrder) - rank(b, fieldOrder))
  return { fields, summary: names.map((name) => ({ text: fields[name]!, href: `#${fieldId(name)}` })) }
}

export function fieldId(name: string): string {
  return `field-${name.replace(/[^\w-]/g, '-')}`
}

function rank(name: string, order: string[]): number {
  const index = order.indexOf(name)
  return index === -1 ? order.length : index
}

function translateMessage(message: string, t: TFunction): string {
  // A catalogue key ("apiClients:errors.name": a namespace may have capitals) is translated; zod's own
  // messages (for input no schema message covers) are replaced by a generic Dutch one.
  if (/^[a-zA-Z]+:[\w.]+$/.test(message)) return t(message)
  return t('common:errors.badRequestText')
}

export type ParseResult<S extends ZodType> = { ok: true; data: z.infer<S> } | { ok: false; errors: FormErrors; values: Record<string, unknown> }

/** Parses a form body; on failure gives the errors and the values to show again. */
export function parseForm<S extends ZodType>(schema: S, body: unknown, t: TFunction, fieldOrder: string[] = []): ParseResult<S> {
  const result = schema.safeParse(body ?? {})
  if (result.success) return { ok: true, data: result.data }
  return { ok: false, errors: formErrorsFrom(result.error, t, fieldOrder), values: keepValues(body) }
}

/** One field of a posted form as text: a string as it was posted, anything else (missing, repeated, nested) ''. */
export function formText(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' ? value : ''
}

/** Only plain strings (and arrays of them) go back into the form; never the CSRF token. */
export function keepValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {}
  const values: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf') continue
    if (typeof value === 'string') values[key] = value.slice(0, 2000)
    else if (Array.isArray(value)) values[key] = value.filter((v) => typeof v === 'string').slice(0, 500)
  }
  return values
}

/** A service's RuleViolation as form errors: the message at its field (or the summary alone). */
export function ruleErrors(
  violation: { messageKey: string; field?: string; params: Record<string, unknown> },
  t: TFunction,
  fieldOrder: string[] = [],
): FormErrors {
  const text = t(violation.messageKey, violation.params)
  if (violation.field) return fromFieldMessages({ [violation.field]: text }, fieldOrder)
  return { fields: {}, summary: [{ text, href: '#main' }] }
}

/** The refusal a handler shows on its page; anything else is not a refusal and goes on up. */
export function refusalOf(error: unknown): RuleViolation {
  if (error instanceof RuleViolation) return error
  throw error
}
