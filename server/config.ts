import { z } from 'zod'

/**
 * Every environment variable LedgerLink reads, parsed by one schema at start. A bad value is
 * reported together with every other bad value, so a deployment is fixed in one go. This is the
 * only file that reads `process.env`; README's configuration table is checked against `CONFIG_DOCS`.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
)
const secret = (what: string) =>
  z.string().min(32, `${what} must be at least 32 characters (use: openssl rand -base64 32)`)

export const CONFIG_DOCS = {
  PORT: { default: '3000', doc: 'TCP port the BFF listens on.' },
  HOST: { default: '127.0.0.1', doc: 'Address to listen on; 0.0.0.0 to accept outside connections.' },
  PUBLIC_URL: {
    default: 'http://localhost:$PORT',
    doc: 'The URL users reach the BFF at; used in links, the widget script and OAuth redirects.',
  },
  DATABASE_URL: {
    default: 'file:./data/ledgerlink.db',
    doc: 'libSQL database: a `file:` path (embedded) or a `libsql://` / `https://` server URL.',
  },
  DATABASE_AUTH_TOKEN: { default: '(none)', doc: 'Auth token for a remote libSQL server.' },
  DATABASE_BUSY_TIMEOUT_MS: {
    default: '5000',
    doc: 'How long a writer waits for another process holding the file lock.',
  },
  EMBED_SECRET: {
    default: '(a fixed development-only value)',
    doc: 'HS256 secret the host backend signs embed tokens with. Required in production.',
  },
  SESSION_TTL_SECONDS: { default: '43200', doc: 'Lifetime of a widget or extension session.' },
  ALLOWED_ORIGINS: {
    default: '$PUBLIC_URL',
    doc: 'Comma-separated origins allowed to call the BFF from a browser (the host app pages).',
  },
  TRUST_PROXY: {
    default: 'false',
    doc: 'Take the client address from X-Forwarded-For (only behind a proxy you control).',
  },
  LOG_LEVEL: { default: 'info', doc: 'debug, info, warn or error.' },
  DEMO: { default: 'true (false in production)', doc: 'Serve the demo host app at /demo.' },
  NODE_ENV: {
    default: 'development',
    doc: '`production` makes EMBED_SECRET required and turns the demo off.',
  },
} as const

export type ConfigKey = keyof typeof CONFIG_DOCS

const DEV_EMBED_SECRET = 'development-only-embed-secret-do-not-use-in-production'

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|libsql:|https?:|wss?:)/, 'must start with file:, libsql:, http(s): or ws(s):')
      .default('file:./data/ledgerlink.db'),
    DATABASE_AUTH_TOKEN: z.string().optional(),
    DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
    EMBED_SECRET: secret('EMBED_SECRET').optional(),
    SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86400)
      .default(43200),
    ALLOWED_ORIGINS: csv.pipe(z.array(z.url({ protocol: /^https?$/ }))).optional(),
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    DEMO: bool.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.EMBED_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['EMBED_SECRET'],
        message: 'is required when NODE_ENV=production',
      })
  })

/** The variables the schema parses; a test holds them equal to CONFIG_DOCS. */
export const PARSED_KEYS = Object.keys(EnvSchema.shape).sort()

export type Config = ReturnType<typeof toConfig>

function toConfig(env: z.output<typeof EnvSchema>) {
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '')
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    database: {
      url: env.DATABASE_URL,
      authToken: env.DATABASE_AUTH_TOKEN,
      busyTimeoutMs: env.DATABASE_BUSY_TIMEOUT_MS,
    },
    embedSecret: env.EMBED_SECRET ?? DEV_EMBED_SECRET,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    allowedOrigins: env.ALLOWED_ORIGINS ?? [new URL(publicUrl).origin],
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    demo: env.DEMO ?? env.NODE_ENV !== 'production',
  }
}

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(CONFIG_DOCS).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  )
  const parsed = EnvSchema.safeParse(known)
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`))
  return toConfig(parsed.data)
}

/** A configuration for tests and tools, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', EMBED_SECRET: 'test-embed-secret-0123456789abcdef0123' }),
    ...overrides,
  }
}
