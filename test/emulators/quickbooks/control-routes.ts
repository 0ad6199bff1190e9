import { Hono, type Context } from 'hono'
import { faultRateRoutes } from '../common/faults.ts'
import type { QuickBooksControl } from './control.ts'
import { QboFault } from './errors.ts'

type Body = Record<string, unknown> & { realmId?: string }

async function body(c: Context): Promise<Body> {
  const text = await c.req.text()
  return text ? (JSON.parse(text) as Body) : {}
}

/** The control API over HTTP, under /__control/: the same powers as the in-process `control` object. */
export function controlRoutes(control: QuickBooksControl) {
  const app = new Hono().basePath('/__control')
  const act =
    (fn: (b: Body, c: Context) => unknown) =>
    async (c: Context): Promise<Response> => {
      try {
        const result = await fn(await body(c), c)
        return c.json(result ?? { ok: true })
      } catch (err) {
        if (err instanceof QboFault) return c.json({ Fault: { Error: err.errors, type: err.type } }, 400)
        return c.json({ error: err instanceof Error ? err.message : String(err) }, 400)
      }
    }
  const realm = (c: Context) => c.req.param('realmId')

  app.get(
    '/state',
    act(() => ({ realmIds: control.realmIds(), now: control.clock.now() })),
  )
  app.post(
    '/clock/advance',
    act((b) => control.clock.advance(Number(b.ms))),
  )
  app.post(
    '/faults',
    act((b) => control.injectFault(b.fault as never, Number(b.count ?? 1), b.target as never)),
  )
  app.delete(
    '/faults',
    act(() => control.clearFaults()),
  )
  app.route('/faults/rate', faultRateRoutes(control))
  app.post(
    '/throttle',
    act((b) => control.forceThrottle(String(b.realmId), Number(b.count ?? 1))),
  )
  app.post(
    '/fail-next',
    act((b) => control.failNext(b.fault as never, Number(b.count ?? 1))),
  )
  app.post(
    '/disconnect',
    act((b) => control.disconnectFromQuickBooks(String(b.realmId), b.clientId as string)),
  )
  app.post(
    '/tokens/expire',
    act((b) => control.expireTokens(b.kind as 'access' | 'refresh', b.realmId)),
  )
  app.post(
    '/tokens/rotation',
    act((b) =>
      control.setRefreshRotation({
        ...(b.afterMs !== undefined ? { afterMs: b.afterMs as number | null } : {}),
        ...(b.everyNth !== undefined ? { everyNth: b.everyNth as number | null } : {}),
      }),
    ),
  )
  app.post(
    '/tokens/hard-expiry',
    act((b) => control.setRefreshHardExpiry(String(b.realmId), Number(b.inMs))),
  )
  app.get(
    '/grants',
    act(() => control.grants()),
  )
  app.post(
    '/companies/:realmId/book-close-date',
    act((b, c) => control.setBookCloseDate(realm(c)!, b.date as string | null)),
  )
  app.post(
    '/companies/:realmId/multicurrency',
    act((b, c) => control.setMulticurrency(realm(c)!, b.enabled === true)),
  )
  app.post(
    '/companies/:realmId/entities/:entity',
    act((b, c) => control.write(realm(c), c.req.param('entity')!, b.body as never, b.operation as string)),
  )
  app.post(
    '/payments',
    act((b) => control.recordPayment(b as never)),
  )
  app.get(
    '/requests',
    act((_b, c) => control.requests(c.req.query('realmId'))),
  )
  app.delete(
    '/requests',
    act(() => control.clearRequests()),
  )
  app.get(
    '/concurrency/:realmId',
    act((_b, c) => ({ peak: control.peakConcurrency(realm(c)!) })),
  )
  app.post(
    '/users',
    act((b) => control.addUser(b as never)),
  )
  app.post(
    '/auth-fault-casing',
    act((b) => control.setLowercaseAuthFaults(b.lowercase === true)),
  )
  app.post(
    '/webhooks/config',
    act((b) => control.webhooks.configure((b.config ?? null) as never)),
  )
  app.post(
    '/webhooks/flush',
    act(() => control.webhooks.flush()),
  )
  app.get(
    '/webhooks/deliveries',
    act(() => control.webhooks.deliveries()),
  )
  app.post(
    '/webhooks/send-raw',
    act(async (b) => ({ status: await control.webhooks.sendRaw(String(b.body), b.signature as string) })),
  )
  app.post(
    '/webhooks/redeliver',
    act(async (b) => ({ status: await control.webhooks.redeliver(Number(b.id)) })),
  )
  return app
}
