// The baseline server: a bare Hono route on @hono/node-server, nothing else. It answers the route
// that bench/servers/bff.ts serves with the very status, headers and body the BFF answered (read
// as one JSON line on stdin), so the baseline pays for the same bytes on the wire.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createInterface } from 'node:readline'
import type { AddressInfo } from 'node:net'
import type { Answer } from '../lib.ts'

const line = await createInterface({ input: process.stdin })[Symbol.asyncIterator]().next()
const answer = JSON.parse(line.value as string) as Answer
const app = new Hono().on(answer.method, answer.path, (c) => {
  for (const [name, value] of answer.headers) c.header(name, value)
  return c.body(answer.body, answer.status as 200)
})
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  const target = {
    path: answer.path,
    method: answer.method,
    headers: answer.requestHeaders,
    body: answer.requestBody,
  }
  process.stdout.write(JSON.stringify({ ...target, url: `http://127.0.0.1:${port}${answer.path}` }) + '\n')
})
