import type { MiddlewareHandler } from 'hono'

/** A fault the control API can queue for the next calls to an emulator's APIs. */
export type Fault =
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'reset' } // the socket is destroyed without an answer
  | { kind: 'timeout'; ms?: number } // no answer for ms (default: never, until the client gives up)
  // The request is carried out (a write is applied), then the socket is destroyed before the
  // answer: the outcome the client cannot know, which lookup-before-retry exists for.
  | { kind: 'drop_after' }

export interface FaultQueue {
  inject(fault: Fault, count?: number): void
  clear(): void
  /** Middleware that serves the next queued fault, if any, instead of the route. */
  middleware(render: (status: number) => Response): MiddlewareHandler
}

const applied = new WeakMap<Request, Response>()

/**
 * The answer the service produced for a request whose connection a `drop_after` fault then cut:
 * the provider's replay cache (Xero's Idempotency-Key, QuickBooks' requestid) holds it all the same,
 * since the service answered; only the client never heard it.
 */
export const droppedAnswer = (req: Request): Response | undefined => applied.get(req)

export function createFaultQueue(): FaultQueue {
  const queue: Fault[] = []
  return {
    inject(fault, count = 1) {
      for (let i = 0; i < count; i++) queue.push(fault)
    },
    clear() {
      queue.length = 0
    },
    middleware: (render) => async (c, next) => {
      const fault = queue.shift()
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
