import { describe, expect, test } from 'vitest'
import { CONFIG_DOCS, ConfigError, PARSED_KEYS, loadConfig } from './config.ts'

describe('configuration', () => {
  test('defaults make a working development setup', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.publicUrl).toBe('http://localhost:3000')
    expect(config.database.url).toBe('file:./data/ledgerlink.db')
    expect(config.database.busyTimeoutMs).toBe(5000)
    expect(config.allowedOrigins).toEqual(['http://localhost:3000'])
    expect(config.demo).toBe(true)
    expect(config.embedSecret.length).toBeGreaterThanOrEqual(32)
  })

  test('values are parsed and typed', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://ledger.example.com/',
      DATABASE_URL: 'libsql://db.example.com',
      ALLOWED_ORIGINS: 'https://app.example.com, https://admin.example.com',
      TRUST_PROXY: 'true',
      DEMO: '0',
    })
    expect(config.port).toBe(8080)
    expect(config.publicUrl).toBe('https://ledger.example.com')
    expect(config.database.url).toBe('libsql://db.example.com')
    expect(config.allowedOrigins).toEqual(['https://app.example.com', 'https://admin.example.com'])
    expect(config.trustProxy).toBe(true)
    expect(config.demo).toBe(false)
  })

  test('every bad variable is reported at once', () => {
    let error: unknown
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'postgres://x',
        EMBED_SECRET: 'short',
        LOG_LEVEL: 'chatty',
        ALLOWED_ORIGINS: 'not a url',
        SESSION_TTL_SECONDS: '5',
      })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0])
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT',
        'DATABASE_URL',
        'EMBED_SECRET',
        'LOG_LEVEL',
        'ALLOWED_ORIGINS.0',
        'SESSION_TTL_SECONDS',
      ]),
    )
    expect((error as ConfigError).message).toContain('at least 32 characters')
  })

  test('production refuses to start without an embed secret, and turns the demo off', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/EMBED_SECRET: is required/)
    const config = loadConfig({ NODE_ENV: 'production', EMBED_SECRET: 'x'.repeat(40) })
    expect(config.demo).toBe(false)
  })

  test('the documented variables are exactly the parsed ones', () => {
    // A variable parsed but not documented (or the reverse) would make the README table lie.
    expect(Object.keys(CONFIG_DOCS).sort()).toEqual(PARSED_KEYS)
  })
})
