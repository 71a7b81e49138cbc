// npm run scan: starts the portal on its own embedded database (.data/scan) and ports, logs in as
// the demo admin, and runs Debian's sqlmap and wapiti (when installed) against the login form and
// the list pages with that session. Bounded: low level and risk, time limits, only 127.0.0.1.
//   SCAN_PORT (default 3199), SCAN_PG_PORT (default 54399), SCAN_MINUTES per tool (default 3)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { currentTotp } from '../src/shared/totp.ts'

const root = path.resolve(import.meta.dirname, '..')
const port = Number(process.env.SCAN_PORT ?? 3199)
const pgPort = Number(process.env.SCAN_PG_PORT ?? 54399)
const minutes = Number(process.env.SCAN_MINUTES ?? 3)
const base = `http://127.0.0.1:${port}`
const dataDir = path.join(root, '.data/scan')
const outDir = path.join(dataDir, 'reports')
const ADMIN = { email: 'sanne.devries@demo.example', password: 'Demo-wachtwoord-2026', totp: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD' }
/** The list pages and their query strings (the filters are what an attacker can reach). */
const LIST_PAGES = [`${base}/beheer/logboek?organisatie=&gebruiker=sanne&actie=login&van=2026-01-01&tot=2026-12-31`]
const EXCLUDED = [`${base}/uitloggen`]

function tool(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : null
}

function version(command: string, args: string[]): string {
  const out = spawnSync(command, args, { encoding: 'utf8' })
  return (
    `${out.stdout}${out.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? 'unknown'
  )
}

async function waitForHealth(server: ChildProcess) {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the portal stopped (exit ${server.exitCode}); see ${outDir}/server.log`)
    try {
      if ((await fetch(`${base}/health`)).ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('the portal did not start within 2 minutes')
}

function cookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('bm.sid='))
  if (!cookie) throw new Error('no session cookie')
  return cookie.split(';')[0]!
}

async function login(): Promise<string> {
  const page = await fetch(`${base}/inloggen`)
  const cookie = cookieOf(page)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  const body = new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, code: currentTotp(ADMIN.totp), _csrf: csrf })
  const response = await fetch(`${base}/inloggen`, { method: 'POST', body, headers: { cookie }, redirect: 'manual' })
  if (response.status !== 303) throw new Error(`login failed: ${response.status}`)
  return cookieOf(response)
}

function run(command: string, args: string[], logFile: string): Promise<string> {
  return new Promise((resolve) => {
    let out = ''
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const stop = setTimeout(() => child.kill('SIGTERM'), (minutes * 60 + 30) * 1000)
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', () => {
      clearTimeout(stop)
      void import('node:fs').then((fs) => fs.writeFileSync(logFile, out))
      resolve(out)
    })
  })
}

async function main() {
  if (!/^127\.0\.0\.1$/.test(new URL(base).hostname)) throw new Error('the scan runs against 127.0.0.1 only')
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  console.log(`Starting the portal on ${base} (database .data/scan on port ${pgPort}) …`)
  const { openSync } = await import('node:fs')
  const log = openSync(path.join(outDir, 'server.log'), 'w')
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_DIR: '.data/scan/postgres',
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', log, log],
  })
  // The attempt limits would answer most of the scanners' requests with 429 and hide the forms from
  // them: the scan clears the counters of its own throw-away database while it runs.
  const db = new pg.Pool({ host: '127.0.0.1', port: pgPort, user: 'beheermodule', password: 'beheermodule-local', database: 'beheermodule', max: 1 })
  db.on('error', () => {})
  let clearer: NodeJS.Timeout | undefined
  const findings: string[] = []
  try {
    await waitForHealth(server)
    clearer = setInterval(() => void db.query('delete from rate_limits').catch(() => {}), 2000)
    // A TOTP code logs in once; a second scan within the same 30 s would otherwise be refused.
    await db.query('update users set totp_last_step = null where email_key = $1', [ADMIN.email.toLowerCase()])
    const cookie = await login()
    console.log('Logged in as the demo admin.')

    const sqlmap = tool('sqlmap')
    if (!sqlmap) console.log('sqlmap is not installed (apt-get install -y sqlmap): skipped.')
    else {
      console.log(`\n== sqlmap (${version('dpkg-query', ['-W', '-f=${Version}', 'sqlmap'])}) ==`)
      const common = ['--batch', '--level=1', '--risk=1', '--time-sec=2', '--timeout=10', '--retries=0', `--output-dir=${outDir}/sqlmap`, '--disable-coloring']
      const targets = [
        {
          name: 'login form',
          args: [
            '--ignore-code=401,429',
            '-u',
            `${base}/inloggen`,
            '--data',
            'email=a%40b.nl&password=x&code=123456&_csrf=x',
            '--csrf-token=_csrf',
            `--csrf-url=${base}/inloggen`,
            '-p',
            'email,password,code',
          ],
        },
        {
          name: 'forgot password form',
          args: [
            '-u',
            `${base}/wachtwoord-vergeten`,
            '--data',
            'email=a%40b.nl&_csrf=x',
            '--csrf-token=_csrf',
            `--csrf-url=${base}/wachtwoord-vergeten`,
            '-p',
            'email',
          ],
        },
        ...LIST_PAGES.map((url) => ({ name: new URL(url).pathname, args: ['-u', url, '--cookie', cookie] })),
      ]
      for (const target of targets) {
        const out = await run(sqlmap, [...target.args, ...common], path.join(outDir, `sqlmap-${target.name.replace(/\W+/g, '_')}.log`))
        const lines = out
          .split('\n')
          .filter((l) => /\[(WARNING|ERROR|CRITICAL)\].*(injectable|vulnerable)|\[CRITICAL\]|is vulnerable/.test(l) && !/heuristic/.test(l))
        const injectable = out.split('\n').filter((l) => /is vulnerable|appears to be .* injectable|might be injectable/i.test(l) && !/not/.test(l))
        console.log(`-- ${target.name}`)
        for (const line of lines.slice(0, 12)) console.log(`   ${line.trim()}`)
        if (injectable.length) findings.push(...injectable.map((l) => `sqlmap ${target.name}: ${l.trim()}`))
      }
    }

    const wapiti = tool('wapiti')
    if (!wapiti) console.log('wapiti is not installed (apt-get install -y wapiti): skipped.')
    else {
      console.log(`\n== wapiti (${version(wapiti, ['--version'])}) ==`)
      const report = path.join(outDir, 'wapiti.json')
      // Debian's wapiti 3.0.4 builds its exclusion patterns with a regex Python 3.11 refuses
      // ("global flags not at the start"); the wrapper fixes that one function and runs it.
      const wrapper = [
        'import re, sys',
        'import wapitiCore.net.crawler as crawler',
        "crawler.wildcard_translate = lambda p: re.compile('(?ms)' + ''.join('.*' if c == '*' else re.escape(c) for c in p) + r'\\Z')",
        'from wapitiCore.main.wapiti import wapiti_main',
        "sys.argv = ['wapiti'] + sys.argv[1:]",
        'sys.exit(wapiti_main())',
      ].join('\n')
      const python = /^#!\s*(\S+)/.exec(readFileSync(wapiti, 'utf8').split('\n')[0] ?? '')?.[1] ?? '/usr/bin/python3'
      const out = await run(
        python,
        [
          '-c',
          wrapper,
          '-u',
          `${base}/`,
          '--scope',
          'folder',
          '-s',
          `${base}/overzicht`,
          ...LIST_PAGES.flatMap((u) => ['-s', u]),
          '-H',
          `Cookie: ${cookie}`,
          ...EXCLUDED.flatMap((u) => ['-x', u]),
          '--skip',
          '_csrf',
          '-m',
          'sql,blindsql,xss,permanentxss,exec,file,crlf,redirect,csrf,http_headers,cookieflags,csp',
          '-d',
          '3',
          '--max-links-per-page',
          '50',
          '--max-scan-time',
          String(minutes * 60),
          '--max-attack-time',
          '60',
          '-t',
          '10',
          '--flush-session',
          '--store-session',
          path.join(outDir, 'wapiti-session'),
          '--no-bugreport',
          '-f',
          'json',
          '-o',
          report,
          '-v',
          '1',
        ],
        path.join(outDir, 'wapiti.log'),
      )
      if (!existsSync(report)) console.log(`wapiti wrote no report; its output:\n${out.slice(-2000)}`)
      else {
        const json = JSON.parse(readFileSync(report, 'utf8')) as {
          vulnerabilities: Record<string, { level: number; path: string; method: string; info: string; parameter?: string }[]>
          anomalies: Record<string, { path: string; info: string }[]>
          classifications?: Record<string, unknown>
        }
        for (const [kind, items] of Object.entries(json.vulnerabilities)) {
          if (!items.length) continue
          console.log(`-- ${kind}: ${items.length}`)
          for (const item of items.slice(0, 10)) {
            const line = `level ${item.level} ${item.method} ${item.path} ${item.parameter ?? ''} — ${item.info.split('\n')[0]}`
            console.log(`   ${line}`)
            if (item.level >= 3 || /sql|injection|command|path traversal|xss|cross site scripting/i.test(kind)) findings.push(`wapiti ${kind}: ${line}`)
          }
        }
        for (const [kind, items] of Object.entries(json.anomalies)) {
          if (!items.length) continue
          console.log(`-- anomaly ${kind}: ${items.length}`)
          for (const item of items.slice(0, 10)) {
            const line = `${item.path} — ${item.info.split('\n')[0]}`
            console.log(`   ${line}`)
            if (/Internal Server Error/i.test(kind)) findings.push(`wapiti ${kind}: ${line}`)
          }
        }
        const crawled = (out.match(/\[\+\] (GET|POST) /g) ?? []).length
        console.log(`   (report: ${path.relative(root, report)}${crawled ? `, ${crawled} requests listed` : ''})`)
      }
    }

    console.log(`\n== result (${new Date().toISOString().slice(0, 10)}) ==`)
    if (findings.length === 0) console.log('No injection and no high-risk finding.')
    else for (const f of findings) console.log(`FINDING ${f}`)
    const errors = readFileSync(path.join(outDir, 'server.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"level":50')).length
    console.log(`Server errors (500) logged during the scan: ${errors}`)
    process.exitCode = findings.length || errors ? 1 : 0
  } finally {
    if (clearer) clearInterval(clearer)
    await db.end().catch(() => {})
    server.kill('SIGTERM')
    await new Promise((r) => server.once('close', r))
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
