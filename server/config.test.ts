import { describe, expect, test } from 'vitest'
import { CONFIG_DOCS, ConfigError, PARSED_KEYS, loadConfig } from './config.ts'

const PRODUCTION = {
  NODE_ENV: 'production',
  EMBED_SECRET: 'x'.repeat(40),
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

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
    const config = loadConfig(PRODUCTION)
    expect(config.demo).toBe(false)
    expect(config.tokenKeys.map((k) => k.id)).toEqual(['k1'])
  })

  test('production refuses to start without token encryption keys, listing every missing secret', () => {
    const problems = problemsOf({ NODE_ENV: 'production' })
    expect(problems).toEqual(
      expect.arrayContaining([
        'EMBED_SECRET: is required when NODE_ENV=production',
        'TOKEN_ENCRYPTION_KEYS: is required when NODE_ENV=production',
      ]),
    )
    expect(problemsOf({ ...PRODUCTION, TOKEN_ENCRYPTION_KEYS: undefined })).toEqual([
      'TOKEN_ENCRYPTION_KEYS: is required when NODE_ENV=production',
    ])
    // listed together with the other bad variables, not only once those are fixed
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'eighty' }).map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'EMBED_SECRET',
      'TOKEN_ENCRYPTION_KEYS',
    ])
  })

  test('production refuses the published development secret and token key, even set explicitly', () => {
    // The values development falls back to, read back from a development configuration.
    const dev = loadConfig({})
    const devKey = `dev:${dev.tokenKeys[0]!.key.toString('base64')}`
    const problems = problemsOf({
      ...PRODUCTION,
      EMBED_SECRET: dev.embedSecret,
      TOKEN_ENCRYPTION_KEYS: devKey,
    })
    expect(problems.map((p) => p.split(':')[0])).toEqual(['EMBED_SECRET', 'TOKEN_ENCRYPTION_KEYS'])
    expect(problems.join('\n')).toContain('openssl rand -base64 32')
    // under another id, or kept only to decrypt old tokens, it is still the published key
    const renamed = `${PRODUCTION.TOKEN_ENCRYPTION_KEYS},old:${dev.tokenKeys[0]!.key.toString('base64')}`
    expect(problemsOf({ ...PRODUCTION, TOKEN_ENCRYPTION_KEYS: renamed })).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEYS: holds the published development key/),
    ])
    // and a problem never echoes the secret it refuses
    expect(problems.join('\n')).not.toContain(dev.embedSecret)
    expect(problems.join('\n')).not.toContain(devKey.slice(4))
  })

  test('a rate-limit time scale (emulators only) is refused in production, and taken elsewhere', () => {
    expect(problemsOf({ ...PRODUCTION, RATE_LIMIT_TIME_SCALE: '0.05' })).toEqual([
      'RATE_LIMIT_TIME_SCALE: must be 1 when NODE_ENV=production (real providers keep real minutes)',
    ])
    expect(loadConfig({ ...PRODUCTION }).rateLimitTimeScale).toBe(1)
    expect(loadConfig({ RATE_LIMIT_TIME_SCALE: '0.05' }).rateLimitTimeScale).toBe(0.05)
    expect(problemsOf({ RATE_LIMIT_TIME_SCALE: '0' }).map((p) => p.split(':')[0])).toEqual([
      'RATE_LIMIT_TIME_SCALE',
    ])
  })

  test('development and test may use the development values', () => {
    const dev = loadConfig({})
    expect(loadConfig({ NODE_ENV: 'test', EMBED_SECRET: dev.embedSecret }).embedSecret).toBe(dev.embedSecret)
  })

  test('the documented variables are exactly the parsed ones', () => {
    // A variable parsed but not documented (or the reverse) would make the README table lie.
    expect(Object.keys(CONFIG_DOCS).sort()).toEqual(PARSED_KEYS)
  })
})
