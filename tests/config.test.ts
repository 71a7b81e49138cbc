import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, ENV_FILE, loadConfig, loadEnvFile } from '../src/config.ts'

const productionEnv = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'x'.repeat(40),
  SMTP_URL: 'smtp://mail.example:25',
  BASE_URL: 'https://beheer.example/',
}

function errorOf(run: () => unknown): Error {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected loadConfig to throw')
}

describe('loadConfig', () => {
  it('When HOST is not set, then development and test listen on 127.0.0.1 only, production on every interface; HOST overrides (#20)', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1')
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1')
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail:25', BASE_URL: 'https://bm.example' }).host).toBe(
      '0.0.0.0',
    )
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0')
  })

  it('When nothing is set, then the development defaults apply', () => {
    // Arrange
    const env = {}

    // Act
    const config = loadConfig(env)

    // Assert
    expect(config).toMatchObject({
      env: 'development',
      production: false,
      port: 3000,
      host: '127.0.0.1', // #20: was 0.0.0.0 (the app and its dev mailbox open on every interface)
      baseUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      embeddedPg: { dir: '.data/postgres', port: 54329 },
      smtpUrl: undefined,
      cookieSecure: false,
      seedDemo: true,
      logLevel: 'info',
      trustProxyHops: 0,
    })
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32)
  })

  it('When a setting is an empty string, then it counts as unset', () => {
    // Arrange
    const env = { PORT: '', DATABASE_URL: '' }

    // Act
    const config = loadConfig(env)

    // Assert
    expect(config.port).toBe(3000)
    expect(config.databaseUrl).toBeUndefined()
  })

  it('When PORT and DATABASE_URL are valid, then they are used', () => {
    // Arrange
    const env = { PORT: '8080', DATABASE_URL: 'postgresql://u:p@db:5432/beheer' }

    // Act
    const config = loadConfig(env)

    // Assert
    expect(config.port).toBe(8080)
    expect(config.baseUrl).toBe('http://localhost:8080')
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/beheer')
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://u:p@db/beheer'],
    ['DATABASE_URL', 'not a url'],
  ])('When %s is %j, then loading throws one line naming the setting', (name, value) => {
    // Arrange
    const env = { [name]: value }

    // Act
    const error = errorOf(() => loadConfig(env))

    // Assert
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(new RegExp(`^Invalid setting ${name}: `))
    expect(error.message).not.toContain('\n')
  })

  it('When every production setting is given, then production config loads', () => {
    // Arrange
    const env = { ...productionEnv }

    // Act
    const config = loadConfig(env)

    // Assert
    expect(config.production).toBe(true)
    expect(config.sessionSecret).toBe(productionEnv.SESSION_SECRET)
    expect(config.baseUrl).toBe('https://beheer.example')
    expect(config.cookieSecure).toBe(true)
  })

  it.each(['SESSION_SECRET', 'SMTP_URL', 'BASE_URL'])('When production runs without %s, then loading throws one line naming it', (name) => {
    // Arrange
    const env: Record<string, string | undefined> = { ...productionEnv, [name]: undefined }

    // Act
    const error = errorOf(() => loadConfig(env))

    // Assert
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(new RegExp(`^Missing setting ${name}: required in production`))
    expect(error.message).not.toContain('\n')
  })

  it('When SESSION_SECRET is too short, then loading throws naming it', () => {
    // Arrange
    const env = { ...productionEnv, SESSION_SECRET: 'short' }

    // Act
    const error = errorOf(() => loadConfig(env))

    // Assert
    expect(error.message).toMatch(/^Invalid setting SESSION_SECRET: /)
  })
})

describe('loadEnvFile', () => {
  const names = ['BM_TEST_FROM_FILE', 'BM_TEST_ALREADY_SET', 'BM_TEST_QUOTED']
  const dirs: string[] = []
  afterEach(() => {
    for (const name of names) delete process.env[name]
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  function envFile(text: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bm-env-'))
    dirs.push(dir)
    const file = path.join(dir, '.env')
    writeFileSync(file, text)
    return file
  }

  it('When a .env file exists, then its settings are read and a variable already set wins', () => {
    // Arrange
    const file = envFile('# a comment\nBM_TEST_FROM_FILE=from-file\nBM_TEST_ALREADY_SET=from-file\nBM_TEST_QUOTED="two words"\n')
    process.env.BM_TEST_ALREADY_SET = 'from-environment'

    // Act
    const read = loadEnvFile(file)

    // Assert
    expect(read).toBe(true)
    expect(process.env.BM_TEST_FROM_FILE).toBe('from-file')
    expect(process.env.BM_TEST_ALREADY_SET).toBe('from-environment')
    expect(process.env.BM_TEST_QUOTED).toBe('two words')
  })

  it('When there is no .env file, then nothing is read and nothing fails', () => {
    // Arrange
    const file = path.join(tmpdir(), 'bm-env-missing', '.env')

    // Act
    const read = loadEnvFile(file)

    // Assert
    expect(read).toBe(false)
    expect(process.env.BM_TEST_FROM_FILE).toBeUndefined()
  })

  it('When no file is named, then the .env in the project root is the one read', () => {
    // Arrange
    const projectRoot = path.resolve(import.meta.dirname, '..')

    // Act
    const file = ENV_FILE

    // Assert
    expect(file).toBe(path.join(projectRoot, '.env'))
  })
})
