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
const SECRET_SHAPES = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, // Authorization header values
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\bllk_[a-z0-9]+\.[a-z0-9]+/g, // our API keys
  /\b[a-z2-7]{24}\.[a-z2-7]{24,}\b/g, // our session tokens
]
const MASK = '[redacted]'

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return SECRET_SHAPES.reduce((s, re) => s.replace(re, MASK), value)
  if (depth > 8 || value === null || typeof value !== 'object') return value
  if (value instanceof Error)
    return redact({ name: value.name, message: value.message, stack: value.stack }, depth)
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? MASK : redact(v, depth + 1)
  return out
}

/** A URL path with its query, every value of a parameter that can carry a secret (OAuth `code`) masked. */
export function safePath(url: URL): string {
  if (!url.search) return url.pathname
  const params = new URLSearchParams()
  for (const [k, v] of url.searchParams)
    params.append(k, SECRET_KEY.test(k) || k === 'code' ? MASK : String(redact(v)))
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
    const entry = { time: new Date().toISOString(), level, msg, ...base, ...fields }
    sink(JSON.stringify(redact(entry)))
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  }
}
