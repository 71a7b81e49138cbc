// ASVS V13/V5 hygiene (#20): an oversized cookie or header is refused cleanly by Node's HTTP parser
// (431 Request Header Fields Too Large, limit --max-http-header-size, 16 KB by default) before
// Express runs: no stack, no session lookup, nothing logged by the app.
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let port: number
let server: ReturnType<TestApp['app']['listen']>
beforeAll(async () => {
  t = await createTestApp()
  server = t.app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.close()
  await t.close()
})

function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('end', () => resolve(answer))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
    socket.write(request)
  })
}

describe('oversized headers (#20)', () => {
  it('When a request carries a 20 KB cookie, then Node answers 431 and closes, and the app logs nothing for it', async () => {
    const before = t.logText().length
    const answer = await raw(`GET /inloggen HTTP/1.1\r\nHost: localhost\r\nCookie: bm.sid=${'a'.repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large/)
    expect(answer).not.toMatch(/at .*\.ts|Error:/)
    expect(t.logText().length).toBe(before)
  })

  it('When a request carries a cookie of 8 KB with a garbage session id, then the page is served as to anyone without a session', async () => {
    const answer = await raw(`GET /inloggen HTTP/1.1\r\nHost: localhost\r\nCookie: bm.sid=${'a'.repeat(8 * 1024)}\r\nConnection: close\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/)
  })
})
