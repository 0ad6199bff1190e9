import { Hono, type MiddlewareHandler } from 'hono'

/** A fault the control API can queue for the next calls to an emulator's APIs. */
export type Fault =
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'reset' } // the socket is destroyed without an answer
  | { kind: 'timeout'; ms?: number } // no answer for ms (default: never, until the client gives up)
  // The request is carried out (a write is applied), then the socket is destroyed before the
  // answer: the outcome the client cannot know, which lookup-before-retry exists for.
  | { kind: 'drop_after' }

/**
 * Faults at random: each call fails with probability `rate`, with a kind drawn from `kinds` (all of
 * them by default), from a generator seeded by `seed`, so the same calls in the same order meet the
 * same faults. A `timeout` holds the call `timeoutMs` (default 200) and then cuts it.
 */
export interface FaultRate {
  rate: number
  seed: number
  kinds?: RandomFaultKind[]
  timeoutMs?: number
}
export const RANDOM_FAULT_KINDS = ['500', '503', 'reset', 'timeout', 'drop_after'] as const
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number]

export interface FaultQueue {
  /** The next `count` calls meet the fault; with `path`, the next calls whose path matches it. */
  inject(fault: Fault, count?: number, path?: RegExp): void
  /** Faults at random on every call the `rated` middlewares see, until `null` (or `clear()`). */
  setRate(rate: FaultRate | null): void
  /** How many faults the random mode served, by kind (a test checks they happened). */
  served(): Record<string, number>
  clear(): void
  /**
   * Middleware that serves the next queued fault, if any, instead of the route; with `rated` (an
   * emulator's API, not its OAuth endpoints) also the random faults of `setRate`.
   */
  middleware(render: (status: number) => Response, options?: { rated?: boolean }): MiddlewareHandler
}

/** mulberry32: a small, fast generator of numbers in [0, 1), the same sequence for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const randomFault = (kind: RandomFaultKind, timeoutMs: number): Fault =>
  kind === '500' || kind === '503'
    ? { kind: 'status', status: Number(kind) as 500 | 503 }
    : kind === 'timeout'
      ? { kind: 'timeout', ms: timeoutMs }
      : { kind }

export function parseFaultRate(body: unknown): FaultRate {
  const b = (body ?? {}) as Partial<FaultRate>
  if (typeof b.rate !== 'number' || !(b.rate >= 0 && b.rate <= 1)) throw new Error('rate must be in [0, 1]')
  if (typeof b.seed !== 'number' || !Number.isInteger(b.seed)) throw new Error('seed must be an integer')
  const kinds = b.kinds ?? [...RANDOM_FAULT_KINDS]
  const unknown = kinds.filter((k) => !RANDOM_FAULT_KINDS.includes(k))
  if (kinds.length === 0 || unknown.length > 0) throw new Error(`unknown fault kinds: ${unknown.join(', ')}`)
  return {
    rate: b.rate,
    seed: b.seed,
    kinds,
    ...(b.timeoutMs === undefined ? {} : { timeoutMs: b.timeoutMs }),
  }
}

const applied = new WeakMap<Request, Response>()

/**
 * The answer the service produced for a request whose connection a `drop_after` fault then cut:
 * the provider's replay cache (Xero's Idempotency-Key, QuickBooks' requestid) holds it all the same,
 * since the service answered; only the client never heard it.
 */
export const droppedAnswer = (req: Request): Response | undefined => applied.get(req)

export function createFaultQueue(): FaultQueue {
  const queue: { fault: Fault; path: RegExp | undefined }[] = []
  let random: { rate: FaultRate; next: () => number } | null = null
  let served: Record<string, number> = {}
  const draw = (): Fault | undefined => {
    if (!random || random.next() >= random.rate.rate) return undefined
    const kinds = random.rate.kinds ?? RANDOM_FAULT_KINDS
    const kind = kinds[Math.floor(random.next() * kinds.length)]!
    served[kind] = (served[kind] ?? 0) + 1
    return randomFault(kind, random.rate.timeoutMs ?? 200)
  }
  return {
    inject(fault, count = 1, path) {
      for (let i = 0; i < count; i++) queue.push({ fault, path })
    },
    setRate(rate) {
      random = rate && { rate, next: seededRandom(rate.seed) }
      served = {}
    },
    served: () => ({ ...served }),
    clear() {
      queue.length = 0
      random = null
    },
    middleware:
      (render, options = {}) =>
      async (c, next) => {
        const at = queue.findIndex((q) => !q.path || q.path.test(c.req.path))
        const fault =
          (at >= 0 ? queue.splice(at, 1)[0]!.fault : undefined) ?? (options.rated ? draw() : undefined)
        if (!fault) return next()
        if (fault.kind === 'drop_after') {
          await next()
          applied.set(c.req.raw, c.res)
          ;(c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy()
          c.res = new Response(null, { status: 599 })
          return
        }
        if (fault.kind === 'status') {
          c.res = render(fault.status)
          return
        }
        const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming
        if (fault.kind === 'reset') {
          incoming?.socket?.destroy()
          c.res = new Response(null, { status: 599 })
          return
        }
        await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 2 ** 31 - 1).unref())
        incoming?.socket?.destroy()
        c.res = new Response(null, { status: 599 })
      },
  }
}

/**
 * `/faults/rate` in each emulator's control API: POST a `FaultRate` to start random faults on its
 * API, DELETE to stop them, GET for how many of each kind were served.
 */
export function faultRateRoutes(control: {
  setFaultRate(rate: FaultRate | null): void
  faultsServed(): Record<string, number>
}) {
  const app = new Hono()
  app.onError((err, c) => c.json({ error: err.message }, 400))
  app.post('/', async (c) => {
    control.setFaultRate(parseFaultRate(await c.req.json().catch(() => null)))
    return c.json({ ok: true })
  })
  app.delete('/', (c) => (control.setFaultRate(null), c.json({ ok: true })))
  app.get('/', (c) => c.json({ served: control.faultsServed() }))
  return app
}
