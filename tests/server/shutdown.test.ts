// The real server process (src/server.ts on its own embedded PostgreSQL in a temp folder): a stop
// signal makes it stop accepting, finish what is in flight, stop the worker, the pools and the
// database, and say so in exactly two lines, with exit code 0.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const projectRoot = path.resolve(import.meta.dirname, '../..')
/** Ports other local instances use (see tests/setup/globalSetup.ts); never take one of these. */
const RESERVED_PORTS = { from: 54329, to: 54341 }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function pickPort(): Promise<number> {
  for (;;) {
    const port = await freePort()
    if (port < RESERVED_PORTS.from || port > RESERVED_PORTS.to) return port
  }
}

type Running = {
  child: ChildProcess
  port: number
  stdout: () => string
  stderr: () => string
  /** Resolves when stdout has a line containing `text`. */
  waitFor: (text: string, timeoutMs?: number) => Promise<void>
  exited: Promise<number | null>
}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

async function startServer(): Promise<Running> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beheermodule-shutdown-'))
  // As root, PostgreSQL runs as the `postgres` user, which must reach the data folder inside.
  chmodSync(dir, 0o755)
  const port = await pickPort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: '',
      EMBEDDED_PG_DIR: path.join(dir, 'data'),
      EMBEDDED_PG_PORT: String(await pickPort()),
      SEED_DEMO: 'false',
      SMTP_URL: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const waiters: Array<{ text: string; resolve: () => void }> = []
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const waiter of waiters.filter((w) => stdout.includes(w.text))) waiter.resolve()
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  const waitFor = (text: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (stdout.includes(text)) return resolve()
      const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs)
      waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) })
      void exited.then(() => reject(new Error(`the server exited before "${text}":\n${stdout}\n${stderr}`)))
    })
  await waitFor('is ready at')
  return { child, port, stdout: () => stdout, stderr: () => stderr, waitFor, exited }
}

function messages(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { msg: string }).msg)
    .filter((msg) => !msg.startsWith('expiry scan')) // the start's catch-up of a missed daily scan (features/expiry/dailyRun.ts)
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

// Each test starts a server on a new embedded PostgreSQL (initdb, migrations): slow on a busy machine.
describe('server shutdown', { timeout: 90_000 }, () => {
  it('When the server gets SIGTERM, then it says "stopping (SIGTERM)" and "stopped", prints no error and exits 0', async () => {
    // Arrange
    const server = await startServer()
    const linesBefore = messages(server.stdout())

    // Act
    server.child.kill('SIGTERM')
    const code = await server.exited

    // Assert
    expect(code).toBe(0)
    expect(server.stderr()).toBe('')
    expect(linesBefore).toEqual(['applied migrations', 'mail worker started', `Beheermodule is ready at http://localhost:${server.port}`])
    expect(messages(server.stdout()), server.stdout()).toEqual([...linesBefore, 'stopping (SIGTERM)', 'stopped'])
    expect(server.stdout()).not.toMatch(/"level":(40|50|60)|\n\s+at /)
  })

  it('When a request is in flight at SIGTERM, then it still gets its answer, new connections are refused, and the exit is 0', async () => {
    // Arrange: a form post (HTTP/1.1, so keep-alive) whose body is only half sent: still in flight.
    const server = await startServer()
    const body = 'email=a%40b.example&password=x'
    const socket = net.connect(server.port, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    let response = ''
    let respondedAt = 0
    socket.on('data', (chunk: Buffer) => {
      respondedAt ||= Date.now()
      response += chunk.toString()
    })
    const answered = new Promise<void>((resolve) => socket.once('end', () => resolve())) // the server closes it
    socket.write(
      `POST /inloggen HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    )
    await new Promise((resolve) => setTimeout(resolve, 300))

    // Act
    server.child.kill('SIGTERM')
    await server.waitFor('stopping (SIGTERM)')
    const refused = await connectionRefused(server.port)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const stillRunning = server.child.exitCode === null
    // (write, not end: a client that half-closes its side is taken as gone and its request aborted)
    socket.write(body.slice(10))
    await answered
    const closedAfterMs = Date.now() - respondedAt
    const code = await server.exited

    // Assert
    expect(refused).toBe(true)
    expect(stillRunning).toBe(true)
    expect(response).toMatch(/^HTTP\/1\.1 \d{3} /)
    expect(code).toBe(0)
    expect(server.stderr()).toBe('')
    expect(closedAfterMs, 'closed once answered, not after the 5 s keep-alive timeout').toBeLessThan(2_000)
    expect(messages(server.stdout()).slice(-3)).toEqual(['stopping (SIGTERM)', 'request completed', 'stopped'])
  })
})
