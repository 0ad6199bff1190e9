import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { AppEnv } from './context.ts'

/**
 * The client's address for per-address throttling. X-Forwarded-For is written left to right by
 * whoever forwards the request, starting with the client itself, so only the entries our own
 * proxies append (the rightmost `hops`) can be believed: the entry `hops` from the right is the
 * address our outermost proxy saw. With fewer entries than that, the request did not come
 * through all of them, and the socket's address is the only fact left.
 */
export function pickClientAddress(input: {
  forwardedFor: string | undefined
  socket: string | undefined
  trustProxy: boolean
  hops: number
}): string {
  if (input.trustProxy && input.forwardedFor) {
    const seen = input.forwardedFor.split(',').at(-input.hops)?.trim()
    if (seen) return seen
  }
  return input.socket ?? 'unknown'
}

export function clientAddress(c: Context<AppEnv>): string {
  const { trustProxy, trustProxyHops } = c.var.services.config
  let socket: string | undefined
  try {
    socket = getConnInfo(c).remote.address
  } catch {
    socket = undefined // app.request() in tests has no socket
  }
  return pickClientAddress({
    forwardedFor: c.req.header('x-forwarded-for'),
    socket,
    trustProxy,
    hops: trustProxyHops,
  })
}
