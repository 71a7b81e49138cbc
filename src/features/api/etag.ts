// ETag / If-Match (RFC 9110 §8.8.3, §13.1.1) on what changes (a user, a mandate, a link request):
// the tag is a digest of the resource's JSON as GET returns it. A change sent with If-Match is
// refused with 412 (nothing changed) unless the tag is the current one; without If-Match it goes
// ahead. The check runs just before the service's own transaction, which still applies every rule.
import type { Request, Response } from 'express'
import { sha256 } from '../../shared/apiTokens.ts'
import { Problem } from '../../web/problem.ts'

export function etagOf(representation: unknown): string {
  return `"${sha256(JSON.stringify(representation)).slice(0, 32)}"`
}

/** GET: the body with its ETag. */
export function sendTagged(res: Response, representation: unknown): void {
  res.set('ETag', etagOf(representation)).json(representation)
}

/** 412 when If-Match is sent and names none of the current representation's tags (`*` matches any). */
export async function assertIfMatch(req: Request, current: () => Promise<unknown>): Promise<void> {
  const header = req.get('if-match')
  if (header === undefined) return
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''))
  if (tags.includes('*')) return
  const tag = etagOf(await current())
  if (!tags.includes(tag)) throw new Problem(412, 'api:errors.ifMatch')
}
