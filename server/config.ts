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
  TRUST_PROXY_HOPS: {
    default: '1',
    doc: 'With TRUST_PROXY: how many proxies of yours append to X-Forwarded-For; the entry that many from the right is the client.',
  },
  LOG_LEVEL: { default: 'info', doc: 'debug, info, warn or error.' },
  DEMO: { default: 'true (false in production)', doc: 'Serve the demo host app at /demo.' },
  NODE_ENV: {
    default: 'development',
    doc: '`production` makes EMBED_SECRET and TOKEN_ENCRYPTION_KEYS required and turns the demo off.',
  },
  TOKEN_ENCRYPTION_KEYS: {
    default: '(a fixed development-only key)',
    doc: 'Keys that encrypt provider tokens (AES-256-GCM), as `id:base64key,…`; the first encrypts, all decrypt (rotation). Required in production.',
  },
  OAUTH_REDIRECT_URIS: {
    default: '$PUBLIC_URL/v1/oauth/callback',
    doc: 'Comma-separated allowlist of OAuth redirect URIs registered with the providers; the first is used.',
  },
  WORKER_CONCURRENCY: {
    default: '4',
    doc: 'Sync jobs one process runs at once (pushes to one organisation still run one at a time).',
  },
  WORKER_LEASE_MS: {
    default: '60000',
    doc: 'How long a claimed sync job is held without a heartbeat before another worker may take it over.',
  },
  RATE_LIMIT_TIME_SCALE: {
    default: '1',
    doc: 'Tests and benchmarks only (must be 1 in production): providers’ rate-limit windows last this fraction of their length, against emulators whose clocks run as much faster.',
  },
  EMULATORS: {
    default: 'auto',
    doc: '`auto`: a provider without credentials is served by a local emulator (started by npm start); `off`: never.',
  },
  XERO_CLIENT_ID: { default: '(none: emulator)', doc: 'Xero app client id.' },
  XERO_CLIENT_SECRET: { default: '(none: emulator)', doc: 'Xero app client secret.' },
  XERO_AUTHORIZE_URL: {
    default: 'https://login.xero.com/identity/connect/authorize',
    doc: 'Xero consent page.',
  },
  XERO_IDENTITY_URL: {
    default: 'https://identity.xero.com',
    doc: 'Xero identity server (token and revocation endpoints).',
  },
  XERO_API_URL: { default: 'https://api.xero.com', doc: 'Xero API host (`/connections`, `/api.xro/2.0`).' },
  XERO_APP_URL: {
    default: 'https://go.xero.com',
    doc: 'Xero web app, for the links that open a synced invoice, credit note or contact in Xero.',
  },
  XERO_WEBHOOK_KEY: {
    default: '(none: emulator)',
    doc: 'Xero’s webhook signing key (developer portal, Webhooks): checks `x-xero-signature` at $PUBLIC_URL/v1/webhooks/xero, the delivery URL to register. Without it that URL answers 503 (on the emulator, npm start sets its demo key).',
  },
  QUICKBOOKS_CLIENT_ID: { default: '(none: emulator)', doc: 'Intuit app client id.' },
  QUICKBOOKS_CLIENT_SECRET: { default: '(none: emulator)', doc: 'Intuit app client secret.' },
  QUICKBOOKS_AUTHORIZE_URL: {
    default: 'https://appcenter.intuit.com/connect/oauth2',
    doc: 'Intuit consent page.',
  },
  QUICKBOOKS_TOKEN_URL: {
    default: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    doc: 'Intuit token endpoint.',
  },
  QUICKBOOKS_REVOKE_URL: {
    default: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
    doc: 'Intuit revocation endpoint.',
  },
  QUICKBOOKS_API_URL: {
    default: 'https://quickbooks.api.intuit.com',
    doc: 'QuickBooks Online API host (sandbox: https://sandbox-quickbooks.api.intuit.com).',
  },
  QUICKBOOKS_APP_URL: {
    default: 'https://app.qbo.intuit.com (app.sandbox.qbo.intuit.com with the sandbox API)',
    doc: 'QuickBooks Online web app, for the links that open a synced invoice, credit memo or customer in QuickBooks.',
  },
  QUICKBOOKS_WEBHOOK_VERIFIER: {
    default: '(none: emulator)',
    doc: 'Intuit’s webhook Verifier Token (not the client secret): checks `intuit-signature` at $PUBLIC_URL/v1/webhooks/quickbooks, the endpoint URL to register. Without it that URL answers 503 (on the emulator, npm start sets its demo key).',
  },
  SAGE_CLIENT_ID: { default: '(none: emulator)', doc: 'Sage app client id.' },
  SAGE_CLIENT_SECRET: { default: '(none: emulator)', doc: 'Sage app client secret.' },
  SAGE_AUTHORIZE_URL: {
    default: 'https://www.sageone.com/oauth2/auth/central?filter=apiv3.1',
    doc: 'Sage consent page.',
  },
  SAGE_TOKEN_URL: { default: 'https://oauth.accounting.sage.com/token', doc: 'Sage token endpoint.' },
  SAGE_REVOKE_URL: { default: 'https://oauth.accounting.sage.com/revoke', doc: 'Sage revocation endpoint.' },
  SAGE_API_URL: { default: 'https://api.accounting.sage.com/v3.1', doc: 'Sage Accounting API base URL.' },
} as const

export type ConfigKey = keyof typeof CONFIG_DOCS

const DEV_EMBED_SECRET = 'development-only-embed-secret-do-not-use-in-production'
const DEV_TOKEN_KEY = 'dev:ZGV2ZWxvcG1lbnQtb25seS10b2tlbi1rZXktMzJieXQ='
const DEV_KEY_BYTES = Buffer.from(DEV_TOKEN_KEY.slice('dev:'.length), 'base64')
const NEW_SECRET = 'generate one with: openssl rand -base64 32'
const NEW_KEY = 'generate one with: echo "k1:$(openssl rand -base64 32)"'

/** `id:base64` entries, each a 32-byte AES key. */
const tokenKeys = z
  .string()
  .transform((v, ctx) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((entry) => {
        const [id = '', key = ''] = entry.split(':')
        const bytes = Buffer.from(key, 'base64')
        if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || bytes.length !== 32)
          ctx.addIssue({
            code: 'custom',
            message: 'each entry must be id:base64 of 32 random bytes (openssl rand -base64 32)',
          })
        return { id, key: bytes }
      }),
  )
  .refine((keys) => keys.length > 0, 'needs at least one key')
const url = z.url({ protocol: /^https?$/ })

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
    TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    DEMO: bool.optional(),
    TOKEN_ENCRYPTION_KEYS: tokenKeys.optional(),
    OAUTH_REDIRECT_URIS: csv.pipe(z.array(url).min(1)).optional(),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    WORKER_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    RATE_LIMIT_TIME_SCALE: z.coerce.number().gt(0).max(1).default(1),
    EMULATORS: z.enum(['auto', 'off']).default('auto'),
    XERO_CLIENT_ID: z.string().min(1).optional(),
    XERO_CLIENT_SECRET: z.string().min(1).optional(),
    XERO_AUTHORIZE_URL: url.default('https://login.xero.com/identity/connect/authorize'),
    XERO_IDENTITY_URL: url.default('https://identity.xero.com'),
    XERO_API_URL: url.default('https://api.xero.com'),
    XERO_APP_URL: url.default('https://go.xero.com'),
    XERO_WEBHOOK_KEY: z.string().min(1).optional(),
    QUICKBOOKS_CLIENT_ID: z.string().min(1).optional(),
    QUICKBOOKS_CLIENT_SECRET: z.string().min(1).optional(),
    QUICKBOOKS_AUTHORIZE_URL: url.default('https://appcenter.intuit.com/connect/oauth2'),
    QUICKBOOKS_TOKEN_URL: url.default('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer'),
    QUICKBOOKS_REVOKE_URL: url.default('https://developer.api.intuit.com/v2/oauth2/tokens/revoke'),
    QUICKBOOKS_API_URL: url.default('https://quickbooks.api.intuit.com'),
    QUICKBOOKS_APP_URL: url.optional(),
    QUICKBOOKS_WEBHOOK_VERIFIER: z.string().min(1).optional(),
    SAGE_CLIENT_ID: z.string().min(1).optional(),
    SAGE_CLIENT_SECRET: z.string().min(1).optional(),
    SAGE_AUTHORIZE_URL: url.default('https://www.sageone.com/oauth2/auth/central?filter=apiv3.1'),
    SAGE_TOKEN_URL: url.default('https://oauth.accounting.sage.com/token'),
    SAGE_REVOKE_URL: url.default('https://oauth.accounting.sage.com/revoke'),
    SAGE_API_URL: url.default('https://api.accounting.sage.com/v3.1'),
  })
  .superRefine(
    (env, ctx) => {
      if (env.NODE_ENV !== 'production') return
      // The development values are in the public source: in production they would let anyone
      // forge embed tokens or decrypt the stored provider tokens, so they are refused, not defaulted.
      const problem = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message })
      if (!env.EMBED_SECRET) problem('EMBED_SECRET', 'is required when NODE_ENV=production')
      else if (env.EMBED_SECRET === DEV_EMBED_SECRET)
        problem('EMBED_SECRET', `is the published development value; ${NEW_SECRET}`)
      if (!env.TOKEN_ENCRYPTION_KEYS) problem('TOKEN_ENCRYPTION_KEYS', 'is required when NODE_ENV=production')
      else if (env.TOKEN_ENCRYPTION_KEYS.some((k) => k.key.equals(DEV_KEY_BYTES)))
        problem('TOKEN_ENCRYPTION_KEYS', `holds the published development key; ${NEW_KEY}`)
      if (env.RATE_LIMIT_TIME_SCALE !== 1)
        problem(
          'RATE_LIMIT_TIME_SCALE',
          'must be 1 when NODE_ENV=production (real providers keep real minutes)',
        )
    },
    // Run even when other variables are bad (each value is then still a string or the parsed
    // keys), so these problems are listed with the rest.
    { when: () => true },
  )

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
    trustProxyHops: env.TRUST_PROXY_HOPS,
    logLevel: env.LOG_LEVEL,
    demo: env.DEMO ?? env.NODE_ENV !== 'production',
    tokenKeys: env.TOKEN_ENCRYPTION_KEYS ?? tokenKeys.parse(DEV_TOKEN_KEY),
    oauthRedirectUris: env.OAUTH_REDIRECT_URIS ?? [`${publicUrl}/v1/oauth/callback`],
    emulators: env.EMULATORS,
    worker: { concurrency: env.WORKER_CONCURRENCY, leaseMs: env.WORKER_LEASE_MS },
    rateLimitTimeScale: env.RATE_LIMIT_TIME_SCALE,
    /** The keys provider webhooks are signed with; a receiver without one answers webhooks_not_configured. */
    webhookKeys: {
      xero: env.XERO_WEBHOOK_KEY ?? null,
      quickbooks: env.QUICKBOOKS_WEBHOOK_VERIFIER ?? null,
    },
    providers: {
      xero: {
        credentials: credentials(env.XERO_CLIENT_ID, env.XERO_CLIENT_SECRET),
        urls: {
          authorize: env.XERO_AUTHORIZE_URL,
          identity: env.XERO_IDENTITY_URL,
          api: env.XERO_API_URL,
          app: env.XERO_APP_URL,
        },
      },
      quickbooks: {
        credentials: credentials(env.QUICKBOOKS_CLIENT_ID, env.QUICKBOOKS_CLIENT_SECRET),
        urls: {
          authorize: env.QUICKBOOKS_AUTHORIZE_URL,
          token: env.QUICKBOOKS_TOKEN_URL,
          revoke: env.QUICKBOOKS_REVOKE_URL,
          api: env.QUICKBOOKS_API_URL,
          app: env.QUICKBOOKS_APP_URL ?? quickBooksAppUrl(env.QUICKBOOKS_API_URL),
        },
      },
      sage: {
        credentials: credentials(env.SAGE_CLIENT_ID, env.SAGE_CLIENT_SECRET),
        urls: {
          authorize: env.SAGE_AUTHORIZE_URL,
          token: env.SAGE_TOKEN_URL,
          revoke: env.SAGE_REVOKE_URL,
          api: env.SAGE_API_URL,
        },
      },
    },
  }
}

/** Intuit's sandbox companies open in the sandbox web app: the API host says which one is meant. */
const QUICKBOOKS_APP = {
  sandboxApiHost: 'sandbox-quickbooks.api.intuit.com',
  sandbox: 'https://app.sandbox.qbo.intuit.com',
  production: 'https://app.qbo.intuit.com',
}
const quickBooksAppUrl = (apiUrl: string) =>
  new URL(apiUrl).hostname === QUICKBOOKS_APP.sandboxApiHost
    ? QUICKBOOKS_APP.sandbox
    : QUICKBOOKS_APP.production

const credentials = (clientId: string | undefined, clientSecret: string | undefined) =>
  clientId && clientSecret ? { clientId, clientSecret } : null

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

/** For entry points: the configuration, or every problem on stderr and exit code 1. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(err.message)
    process.exit(1)
  }
}

/** A configuration for tests and tools, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ NODE_ENV: 'test', EMBED_SECRET: 'test-embed-secret-0123456789abcdef0123' }),
    ...overrides,
  }
}
