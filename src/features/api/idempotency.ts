// Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): the first answer for a key is
// kept 24 hours and replayed for the same request; the same key with another body is refused (422).
import type { Request, Response } from 'express'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { Prisma } from '../../generated/prisma/client.ts'
import { sha256 } from '../../shared/apiTokens.ts'
import { Problem } from '../../web/problem.ts'
import { apiCaller } from '../../web/apiAuth.ts'

export type Answer = { status: number; body: unknown; headers?: Record<string, string> }

const KEY = /^[\x21-\x7e]{1,255}$/
const KEEP_MS = 24 * 60 * 60 * 1000

export async function idempotent(db: PrismaClient, req: Request, res: Response, run: () => Promise<Answer>): Promise<void> {
  const raw = req.get('idempotency-key')
  const key = raw?.replace(/^"(.*)"$/, '$1')
  if (raw !== undefined && (!key || !KEY.test(key))) throw new Problem(400, 'api:errors.idempotencyKey')
  if (!key) return send(res, await run())
  const clientId = apiCaller(req).client.id
  const requestHash = sha256(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
  const seen = await db.apiIdempotencyKey.findUnique({ where: { clientId_key: { clientId, key } } })
  if (seen && seen.createdAt.getTime() > Date.now() - KEEP_MS) {
    if (seen.requestHash !== requestHash) throw new Problem(422, 'api:errors.idempotencyReused')
    res.set('Idempotent-Replayed', 'true')
    return send(res, { status: seen.status, body: seen.body })
  }
  if (seen) await db.apiIdempotencyKey.delete({ where: { clientId_key: { clientId, key } } })
  // Only answers are kept: a refusal (thrown) changed nothing, so the same request may be tried again.
  const answer = await run()
  try {
    await db.apiIdempotencyKey.create({ data: { clientId, key, requestHash, status: answer.status, body: answer.body as Prisma.InputJsonValue } })
  } catch (error) {
    // The same key twice at once: the other request holds it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new Problem(409, 'api:errors.idempotencyReused')
    throw error
  }
  send(res, answer)
}

function send(res: Response, answer: Answer) {
  res
    .status(answer.status)
    .set(answer.headers ?? {})
    .json(answer.body)
}
