import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Serves a fetch handler on loopback; port 0 picks a free one. */
export async function listen(
  fetch: (req: Request) => Response | Promise<Response>,
  options: { port?: number; hostname?: string } = {},
): Promise<RunningServer> {
  const hostname = options.hostname ?? '127.0.0.1'
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: options.port ?? 0, hostname }, () => resolve(s as Server))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${hostname}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
