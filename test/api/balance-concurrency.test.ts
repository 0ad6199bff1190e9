import { serve } from '@hono/node-server'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { type Api, creditNoteBody, paths, paymentBody, seedTenant, startApi, validLine } from './support.ts'

/**
 * The room left on an invoice under real concurrent requests: every request in flight at once,
 * spread over three BFF processes on one database (this one and two children), as production runs
 * several instances. The check and the write share one transaction, so concurrent credit notes
 * and payments cannot both take the same room, within a process or across processes.
 */
let api: Api
let server: Server
let children: ChildProcess[] = []
let bases: string[] = []

async function child(url: string): Promise<{ process: ChildProcess; base: string }> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'serve-app.ts'), url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [chunk] = (await once(proc.stdout, 'data')) as [Buffer]
  return { process: proc, base: `http://127.0.0.1:${chunk.toString().trim()}` }
}

beforeAll(async () => {
  api = await startApi()
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: api.t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server))
  })
  const others = await Promise.all([child(api.t.config.database.url), child(api.t.config.database.url)])
  children = others.map((o) => o.process)
  bases = [`http://127.0.0.1:${(server.address() as AddressInfo).port}`, ...others.map((o) => o.base)]
}, 30_000)
afterAll(async () => {
  await Promise.all(
    children.map((c) => {
      const exit = c.exitCode === null ? once(c, 'exit') : Promise.resolve()
      c.kill('SIGTERM')
      return exit
    }),
  )
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  api.close()
})

const worth = (amount: string) => [validLine({ quantity: '1', unitPrice: amount, taxRate: '0' })]
const auth = () => ({ authorization: `Bearer ${api.key}` })
/** The i-th request goes to the i-th process, round the three. */
const post = (i: number, path: string, json: unknown) =>
  fetch(`${bases[i % bases.length]}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth() },
    body: JSON.stringify(json),
  })
async function answers(responses: Promise<Response>[]) {
  return Promise.all(
    (await Promise.all(responses)).map(async (res) => ({
      status: res.status,
      body: (await res.json()) as unknown,
    })),
  )
}
const count = (all: { status: number }[], status: number) => all.filter((a) => a.status === status).length
const invoice = async (t: string, id: string) =>
  InvoiceSchema.parse(
    await (await fetch(`${bases[0]}${paths.invoices(t)}/${id}`, { headers: auth() })).json(),
  )

describe('concurrent writes against one invoice, over three processes', () => {
  test('twenty credit notes of 40.00 at once against 100.00: exactly two are accepted', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, {
      invoice: 'sent',
      lines: worth('100.00'),
    })
    const all = await answers(
      Array.from({ length: 20 }, (_, i) =>
        post(
          i,
          paths.creditNotes(tenantId),
          creditNoteBody(customerId, { invoiceId, lines: worth('40.00') }),
        ),
      ),
    )
    expect(count(all, 201)).toBe(2)
    expect(count(all, 422)).toBe(18)
    for (const a of all.filter((a) => a.status === 422))
      expect(a.body).toMatchObject({ error: { code: 'credit_exceeds_remaining' } })
    expect(await invoice(tenantId, invoiceId)).toMatchObject({ amountCredited: '80.00', amountDue: '20.00' })
  })

  test('credit notes and payments at once share the same room', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, {
      invoice: 'sent',
      lines: worth('100.00'),
    })
    const all = await answers(
      Array.from({ length: 18 }, (_, i) =>
        i % 2
          ? post(i, paths.payments(tenantId), paymentBody(invoiceId, { amount: '30.00' }))
          : post(
              i,
              paths.creditNotes(tenantId),
              creditNoteBody(customerId, { invoiceId, lines: worth('30.00') }),
            ),
      ),
    )
    expect(count(all, 201)).toBe(3)
    expect(count(all, 422)).toBe(15)
    const after = await invoice(tenantId, invoiceId)
    expect(Number(after.amountPaid) + Number(after.amountCredited)).toBe(90)
    expect(after.amountDue).toBe('10.00')
  })
})
