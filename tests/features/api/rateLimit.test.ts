// The per-client limit of the API (API_REQUESTS_PER_MINUTE, counted in PostgreSQL): RateLimit-*
// headers on every answer, 429 with Retry-After over it, and each client counted on its own.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paths } from '../../../src/paths.ts'
import { loadConfig } from '../../../src/config.ts'
import { createTestApp, type TestApp } from '../../helpers/app.ts'
import { checked, makeClient, tokenFor } from './apiHelpers.ts'

const LIMIT = 12
let t: TestApp

beforeAll(async () => {
  t = await createTestApp({ env: { API_REQUESTS_PER_MINUTE: String(LIMIT) } })
})

afterAll(async () => {
  await t?.close()
})

async function list(token: string) {
  return checked(
    await request(t.app)
      .get(paths.api.mandates)
      .query({ limit: '25' })
      .set({ authorization: `Bearer ${token}` }),
    'get',
    paths.api.mandates,
  )
}

describe('API rate limit per client', () => {
  it('When the setting is absent or out of range, then 600 is the default and a wrong value is refused at start-up', () => {
    expect(loadConfig({}).api.requestsPerMinute).toBe(600)
    expect(() => loadConfig({ API_REQUESTS_PER_MINUTE: '0' })).toThrow(/API_REQUESTS_PER_MINUTE/)
  })

  it('When a client sends more requests in a minute than API_REQUESTS_PER_MINUTE, then the rest get 429 with Retry-After, and another client is not affected', async () => {
    const first = await makeClient(t, ['mandates:read'], 'Eerste koppeling')
    const token = await tokenFor(t, first.client.id, first.secret)
    for (let i = 0; i < LIMIT; i++) {
      const answer = await list(token)
      expect(answer.status).toBe(200)
      expect(answer.headers['ratelimit-limit']).toBe(String(LIMIT))
      expect(answer.headers['ratelimit-remaining']).toBe(String(LIMIT - 1 - i))
    }
    const over = await list(token)
    expect(over.status).toBe(429)
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    expect(over.headers['content-type']).toContain('application/problem+json')
    const second = await makeClient(t, ['mandates:read'], 'Tweede koppeling')
    expect((await list(await tokenFor(t, second.client.id, second.secret))).status).toBe(200)
  })
})
