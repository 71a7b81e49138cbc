// Real app processes for the operations tests: `node --import tsx src/server.ts` on its own port, on
// a database the test gives it (DATABASE_URL), and a browser-like session that can send each request
// to another instance (one cookie jar, like a browser behind a load balancer).
//   const a = await startInstance({ databaseUrl, smtpUrl })
//   const s = new Session(); await s.get(a, '/inloggen'); await s.post(b, '/inloggen', { ... })
//   await a.stop('SIGTERM')   // → exit code
import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'

const projectRoot = path.resolve(import.meta.dirname, '../../..')
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

export async function pickPort(): Promise<number> {
  for (;;) {
    const port = await freePort()
    if (port && (port < RESERVED_PORTS.from || port > RESERVED_PORTS.to)) return port
  }
}

export type Instance = {
  name: string
  base: string
  child: ChildProcess
  /** Everything it printed on stdout (pino JSON lines). */
  stdout: () => string
  stderr: () => string
  /** The parsed log lines with this message. */
  logged: (msg: string) => Record<string, unknown>[]
  /** Sends `signal` and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
  exited: Promise<number | null>
}

export async function startInstance(name: string, options: { databaseUrl: string; smtpUrl: string; env?: Record<string, string> }): Promise<Instance> {
  const port = await pickPort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: '',
      SEED_DEMO: 'false',
      SMTP_URL: options.smtpUrl,
      COOKIE_SECURE: 'false',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const logged = (msg: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === msg)
  const deadline = Date.now() + 90_000
  while (!stdout.includes('Beheermodule is ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`instance ${name} did not start:\n${stdout}\n${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    name,
    base: `http://127.0.0.1:${port}`,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logged,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal)
      return exited
    },
  }
}

export type Reply = { status: number; text: string; location: string | null }

/** One browser: one cookie jar, whichever instance answers. */
export class Session {
  private readonly cookies = new Map<string, string>()

  async get(instance: Instance, url: string): Promise<Reply> {
    return this.send(instance, url, { method: 'GET' })
  }

  async post(instance: Instance, url: string, fields: Record<string, string>): Promise<Reply> {
    return this.send(instance, url, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  /** A new connection per request (no keep-alive): a stopping instance closes idle kept-alive
   * sockets, and a request written onto one just then would be reset before it was ever in flight. */
  private send(instance: Instance, url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<Reply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return new Promise((resolve, reject) => {
      const req = http.request(
        instance.base + url,
        { method: init.method, agent: false, headers: { ...init.headers, ...(cookie ? { cookie } : {}) } },
        (res) => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';')
            const at = pair.indexOf('=')
            this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
          }
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, location: res.headers.location ?? null }))
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(init.body)
    })
  }
}

export function csrfIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]!
}
