/**
 * JSON lines to a sink (stdout by default). Nothing secret reaches a log: keys that name a secret
 * are masked wherever they appear, and strings that look like bearer tokens, JWTs or our own
 * session and API-key formats are masked by shape, so a token passed in an unexpected field is
 * masked too.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

const SECRET_KEY =
  /(pass(word)?|secret|token|authori[sz]ation|cookie|api[-_]?key|code[-_]?verifier|assertion|credential|private)/i
/**
 * OAuth parameters that carry authority whatever their name says: the authorization `code`, and
 * the `state` that binds a callback to the session that started it (with it, a stolen code can be
 * redeemed). Names with token, secret, verifier or assertion in them are caught by SECRET_KEY.
 */
const OAUTH_PARAM = /^(code|state|session_state|oauth_verifier)$/i
const MASK = '[redacted]'
const SECRET_SHAPES: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, MASK], // Authorization header values
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK], // JWTs
  [/\bllk_[a-z0-9]+\.[a-z0-9]+/g, MASK], // our API keys
  [/\b[a-z2-7]{24}\.[a-z2-7]{24,}\b/g, MASK], // our session tokens
  // the same parameters inside a URL or form body quoted in a message (an authorize URL, a callback)
  [
    /\b(code|state|session_state|oauth_verifier|[a-z_]*token|client_secret|code_verifier)=[^&#\s"']+/gi,
    `$1=${MASK}`,
  ],
]

/**
 * What every one of SECRET_SHAPES needs somewhere in a string (a superset, case aside): most log
 * strings have none of it, and one test spares them the five replacements.
 */
const MAYBE_SECRET = /[=.]|bearer|basic|eyJ|llk_/i

/** Whether a key names a secret, remembered: log lines use a few dozen keys, over and over. */
const secretKeys = new Map<string, boolean>()
function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key)
  if (secret === undefined) {
    secret = SECRET_KEY.test(key)
    if (secretKeys.size < 1000) secretKeys.set(key, secret)
  }
  return secret
}

/** An error as data: what it says, where, its cause, and its primitive fields (code, kind, status). */
function errorFields(err: Error): Record<string, unknown> {
  const own = Object.entries(err).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
  return {
    name: err.name,
    message: err.message,
    ...Object.fromEntries(own),
    stack: err.stack,
    cause: err.cause,
  }
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return MAYBE_SECRET.test(value) ? SECRET_SHAPES.reduce((s, [re, by]) => s.replace(re, by), value) : value
  if (depth > 8 || value === null || typeof value !== 'object') return value
  if (value instanceof Error) return redact(errorFields(value), depth + 1)
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? MASK : redact(v, depth + 1)
  return out
}

/** A URL path with its query, every value of a parameter that can carry a secret (OAuth `code`, `state`) masked. */
export function safePath(url: URL): string {
  if (!url.search) return url.pathname
  const params = new URLSearchParams()
  for (const [k, v] of url.searchParams)
    params.append(k, SECRET_KEY.test(k) || OAUTH_PARAM.test(k) ? MASK : String(redact(v)))
  return `${url.pathname}?${params.toString()}`
}

export function createLogger(
  options: { level?: LogLevel; sink?: (line: string) => void; fields?: Record<string, unknown> } = {},
): Logger {
  const min = ORDER[options.level ?? 'info']
  const sink = options.sink ?? ((line: string) => process.stdout.write(line + '\n'))
  const base = options.fields ?? {}
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    // The time is ours, so it skips redaction (its '.' would send it down the slow path).
    const entry = redact({ level, msg, ...base, ...fields }) as object
    sink(JSON.stringify({ time: new Date().toISOString(), ...entry }))
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  }
}
