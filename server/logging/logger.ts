/**
 * JSON lines to a sink (stdout by default, written in batches: see batchedSink). Nothing secret
 * reaches a log: keys that name a secret are masked wherever they appear, and strings that look
 * like bearer tokens, JWTs or our own session and API-key formats are masked by shape, so a token
 * passed in an unexpected field is masked too.
 */
import { setImmediate } from 'node:timers'

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

/**
 * Where log lines go, one JSON line a call, without its newline. `level` is the line's own: a
 * sink may treat error lines as urgent.
 */
export type LogSink = (line: string, level: LogLevel) => void

/** How much a batched sink gathers before it writes regardless. */
const BATCH_MAX_CHARS = 64 * 1024
/** Every batched sink's flush, run when the process exits (one listener for them all). */
const flushes = new Set<() => void>()
const flushAll = () => {
  for (const flush of flushes) flush()
}

/**
 * A sink that hands the lines to `write` together (with their newlines) rather than one system
 * call each: at the end of the current turn of the event loop, as soon as 64 KiB are waiting, and
 * at once for an error line (with everything before it, in order), which may be the last thing a
 * failing process says. `write` must be synchronous (fs.writeSync, process.stdout on a file, pipe
 * or terminal), so that what is gathered is also written when the process exits: process.exit, an
 * uncaught exception or rejection, the event loop running dry (the 'exit' event). Lines are kept
 * no longer than one turn of the event loop.
 */
export function batchedSink(write: (chunk: string) => void): LogSink & { flush(): void } {
  let waiting = ''
  let scheduled = false
  const flush = () => {
    if (!waiting) return
    const chunk = waiting
    waiting = ''
    write(chunk)
  }
  if (!flushes.size) process.once('exit', flushAll)
  flushes.add(flush)
  return Object.assign(
    (line: string, level: LogLevel) => {
      waiting += line + '\n'
      if (level === 'error' || waiting.length >= BATCH_MAX_CHARS) flush()
      else if (!scheduled) {
        scheduled = true
        setImmediate(() => {
          scheduled = false
          flush()
        })
      }
    },
    { flush },
  )
}

/** Stdout, batched (see batchedSink): one sink for every logger of the process. */
let stdoutSink: LogSink | undefined
const defaultSink = () => (stdoutSink ??= batchedSink((chunk) => void process.stdout.write(chunk)))

/** The time now as an ISO string: the same string for every line of one millisecond, made once. */
let isoAt = Number.NaN
let iso = ''
function isoNow(): string {
  const now = Date.now()
  if (now !== isoAt) {
    isoAt = now
    iso = new Date(now).toISOString()
  }
  return iso
}

/** Copies `fields` into `entry`, values redacted and secret-named keys masked (as `redact` does). */
function addFields(entry: Record<string, unknown>, fields: Record<string, unknown>) {
  for (const k in fields) {
    if (!Object.hasOwn(fields, k)) continue
    entry[k] = isSecretKey(k) ? MASK : redact(fields[k], 1)
  }
}

export function createLogger(
  options: { level?: LogLevel; sink?: LogSink; fields?: Record<string, unknown> } = {},
): Logger {
  return new JsonLogger(ORDER[options.level ?? 'info'], options.sink ?? defaultSink(), options.fields ?? {})
}

/** A class, so that the child each request makes is one small object rather than five closures. */
class JsonLogger implements Logger {
  readonly #min: number
  readonly #sink: LogSink
  readonly #base: Record<string, unknown>
  constructor(min: number, sink: LogSink, base: Record<string, unknown>) {
    this.#min = min
    this.#sink = sink
    this.#base = base
    // Methods bound like the closures they replace: a caller may hand `log.warn` on.
    this.debug = this.debug.bind(this)
    this.info = this.info.bind(this)
    this.warn = this.warn.bind(this)
    this.error = this.error.bind(this)
    this.child = this.child.bind(this)
  }
  #write(level: LogLevel, msg: string, fields?: Record<string, unknown>) {
    if (ORDER[level] < this.#min) return
    // The same line as JSON.stringify({ time, ...redact({ level, msg, ...base, ...fields }) }),
    // built in one object. The time is ours, so it skips redaction (its '.' would send it down the
    // slow path), and so is the level.
    const entry: Record<string, unknown> = { time: isoNow(), level, msg: redact(msg, 1) }
    addFields(entry, this.#base)
    if (fields) addFields(entry, fields)
    this.#sink(JSON.stringify(entry), level)
  }
  debug(msg: string, fields?: Record<string, unknown>) {
    this.#write('debug', msg, fields)
  }
  info(msg: string, fields?: Record<string, unknown>) {
    this.#write('info', msg, fields)
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.#write('warn', msg, fields)
  }
  error(msg: string, fields?: Record<string, unknown>) {
    this.#write('error', msg, fields)
  }
  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.#min, this.#sink, { ...this.#base, ...fields })
  }
}
