// Property-based fuzz test over every operation of the OpenAPI document (fast-check): generated bad
// path ids, query strings, bodies (wrong types, unknown fields, non-JSON, oversized batches) and
// headers (Idempotency-Key, If-Match), with a token holding every scope. Fails on any 5xx and on any
// answer the document does not describe for that operation (status, media type, body schema).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import request from 'supertest'
import { z } from 'zod'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, makeClient, tokenFor } from './apiHelpers.ts'
import { OPERATIONS } from '../../../src/features/api/openapi.ts'
import { paths } from '../../../src/paths.ts'

let t: TestApp
let otherMandateId: string
let ownMandateId: string

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeClient(t)
  otherMandateId = (await t.database.db.mandate.findFirstOrThrow({ where: { organisationId: { not: made.organisation.id } } })).id
  ownMandateId = (await t.database.db.mandate.findFirstOrThrow({ where: { organisationId: made.organisation.id } })).id
})
afterAll(async () => {
  await t.close()
})

const RUNS = Number(process.env.FUZZ_RUNS ?? 25)
const printable = (max: number) =>
  fc.string({ unit: fc.constantFrom(...' !#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~'), maxLength: max })
// A path id is never empty (nor '.' or '..'): '/users/' is another operation (the list), not bad input to this one.
const segment = () => printable(40).filter((s) => s !== '' && s !== '.' && s !== '..')
const id = () => fc.oneof(fc.uuid(), segment(), fc.constant('00000000-0000-0000-0000-000000000000'), fc.constant(otherMandateId), fc.constant(ownMandateId))
const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''), fc.uuid())

/** Property names of an operation's zod object (query or body), so generated input hits real fields. */
function fieldsOf(schema: z.ZodType | undefined): string[] {
  const json = schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> }) : {}
  return Object.keys(json.properties ?? {})
}

function inputOf(fields: string[]) {
  const key = fields.length ? fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 })
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }))
  return fc.dictionary(key, value, { maxKeys: 6 })
}

/** Bodies: objects over the real fields, any JSON value, batches with bad or too many operations, or not JSON at all. */
function bodyOf(fields: string[]) {
  const batch = fc.record({
    atomic: fc.oneof(fc.boolean(), scalar),
    operations: fc.oneof(
      fc.array(
        fc.record({ op: fc.constantFrom('grant', 'revoke', 'x'), id: id(), items: fc.array(inputOf(['scope', 'serviceId'])) }, { requiredKeys: ['op'] }),
        { maxLength: 5 },
      ),
      fc.constant(Array.from({ length: 1001 }, () => ({ op: 'revoke', id: '00000000-0000-0000-0000-000000000000' }))),
    ),
  })
  return fc.oneof(
    inputOf(fields).map((b) => ({ kind: 'json' as const, body: b })),
    fc.jsonValue().map((b) => ({ kind: 'json' as const, body: b })),
    batch.map((b) => ({ kind: 'json' as const, body: b })),
    printable(60).map((b) => ({ kind: 'text' as const, body: b })),
  )
}

describe('fuzz over the OpenAPI document', () => {
  for (const op of OPERATIONS) {
    it(`When ${op.method.toUpperCase()} ${op.path} gets generated bad input, then no 5xx and every answer is one the document describes`, async () => {
      // A fresh client per operation, so the rate limit of one does not hide the answers of another.
      const made = await makeClient(t, undefined, `fuzz ${op.id}`)
      const token = await tokenFor(t, made.client.id, made.secret)
      const queryFields = fieldsOf(op.query)
      const bodyFields = fieldsOf(op.body)
      await fc.assert(
        fc.asyncProperty(
          id(),
          inputOf(queryFields),
          bodyOf(bodyFields),
          fc.option(printable(300)),
          fc.option(printable(60)),
          async (pathId, query, body, idempotencyKey, ifMatch) => {
            const url = op.path.replace(/:(\w+)/g, () => encodeURIComponent(pathId))
            let call = op.method === 'get' ? request(t.app).get(url) : request(t.app).post(url)
            if (op.path !== paths.api.token) call = call.set('Authorization', `Bearer ${token}`)
            call = call.query(query as Record<string, string>)
            if (idempotencyKey !== null) call = call.set('Idempotency-Key', idempotencyKey)
            if (ifMatch !== null) call = call.set('If-Match', ifMatch)
            if (op.method === 'post') {
              if (op.path === paths.api.token) call = call.type('form').send(body.body as object)
              else if (body.kind === 'text') call = call.type('text/plain').send(String(body.body))
              else call = call.type('application/json').send(JSON.stringify(body.body))
            }
            const response = await call
            expect(response.status, `${op.method} ${url}: ${response.text.slice(0, 300)}`).toBeLessThan(500)
            checked(response, op.method, op.path)
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      )
    })
  }
})
