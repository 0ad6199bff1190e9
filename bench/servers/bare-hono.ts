// The baseline server: a bare Hono route on @hono/node-server, nothing else.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'

const app = new Hono().get('/v1/status', (c) => c.json({ status: 'ok' }))
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}/v1/status`, headers: {} }) + '\n')
})
