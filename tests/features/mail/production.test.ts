// Its own file: passport's (de)serialisers are process-wide, so one app per file for logged-in tests.
import { describe, expect, it } from 'vitest'
import { loadConfig, ConfigError } from '../../../src/config.ts'
import { createTestApp } from '../../helpers/app.ts'

describe('development mailbox in production', () => {
  it('When the app runs in production, then /dev/mailbox does not exist', async () => {
    const t = await createTestApp({
      env: { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1', BASE_URL: 'https://portaal.example.nl', SESSION_SECRET: 'x'.repeat(40) },
    })
    try {
      expect((await t.agent().get('/dev/mailbox')).status).toBe(404)
    } finally {
      await t.close()
    }
  })
})

describe('mail settings in production', () => {
  it('When SMTP_URL is missing in production, then the start stops with a clear message naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://portaal.example.nl', SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      new ConfigError('Missing setting SMTP_URL: required in production (mail cannot be delivered without it)'),
    )
  })
})
