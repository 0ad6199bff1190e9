import { Hono } from 'hono'
import { faultRateRoutes, type Fault } from '../common/faults.ts'
import type { RateLimitProblem } from './api/rate-limit.ts'
import type { XeroControl } from './control.ts'

/** `/__control/*`: the control object over HTTP, for the demo and out-of-process tests. Never the product's. */
export function controlRoutes(control: XeroControl) {
  const app = new Hono()
  const json = async <T>(req: Request) => ((await req.json().catch(() => ({}))) ?? {}) as T

  app.onError((err, c) => c.json({ error: err.message }, 400))
  app.post('/faults', async (c) => {
    const { fault, count } = await json<{ fault: Fault; count?: number }>(c.req.raw)
    control.injectFault(fault, count)
    return c.json({ ok: true })
  })
  app.delete('/faults', (c) => (control.clearFaults(), c.json({ ok: true })))
  app.route('/faults/rate', faultRateRoutes(control))
  app.post('/rate-limit', async (c) => {
    const b = await json<{
      tenantId: string
      problem?: RateLimitProblem
      retryAfterSeconds?: number
      count?: number
    }>(c.req.raw)
    control.force429(b.tenantId, b.problem, b)
    return c.json({ ok: true })
  })
  app.get('/rate-limit/:tenantId', (c) =>
    c.json({ peakConcurrency: control.peakConcurrency(c.req.param('tenantId')) }),
  )
  app.post('/tenants/:tenantId/disconnect', (c) =>
    c.json({ removed: control.disconnectTenant(c.req.param('tenantId')) }),
  )
  app.post('/tenants/:tenantId/rename', async (c) => {
    control.renameOrganisation(c.req.param('tenantId'), (await json<{ name: string }>(c.req.raw)).name)
    return c.json({ ok: true })
  })
  app.post('/tenants/:tenantId/accounts', async (c) =>
    c.json(control.addAccount(c.req.param('tenantId'), await json(c.req.raw)), 201),
  )
  app.post('/tenants/:tenantId/accounts/:code/archive', (c) => {
    control.archiveAccount(c.req.param('tenantId'), c.req.param('code'))
    return c.json({ ok: true })
  })
  app.delete('/tenants/:tenantId/accounts/:code', (c) => {
    control.deleteAccount(c.req.param('tenantId'), c.req.param('code'))
    return c.json({ ok: true })
  })
  app.post('/grants/revoke', (c) => (control.revokeAllGrants(), c.json({ ok: true })))
  app.post('/tokens/expire', (c) => (control.expireAccessTokens(), c.json({ ok: true })))
  app.post('/tokens/drop', async (c) => {
    control.dropTokenResponses((await json<{ count?: number }>(c.req.raw)).count)
    return c.json({ ok: true })
  })
  app.post('/clock/advance', async (c) => {
    control.advanceClock((await json<{ ms: number }>(c.req.raw)).ms)
    return c.json({ now: control.clock.now() })
  })
  app.get('/clock', (c) => c.json({ now: control.clock.now(), scale: control.clock.scale }))
  app.post('/tenants/:tenantId/invoices/:invoiceId/pay', async (c) => {
    const payment = control.payInvoice(
      c.req.param('tenantId'),
      c.req.param('invoiceId'),
      await json(c.req.raw),
    )
    return c.json(payment)
  })
  app.post('/tenants/:tenantId/payments/:paymentId/reconcile', (c) =>
    c.json(control.reconcilePayment(c.req.param('tenantId'), c.req.param('paymentId'))),
  )
  app.get('/requests', (c) => c.json(control.requests()))
  app.delete('/requests', (c) => (control.clearRequests(), c.json({ ok: true })))
  app.get('/connections', (c) => c.json(control.connections()))
  app.post('/webhooks/subscription', async (c) => {
    control.webhooks.subscribe(await json(c.req.raw))
    return c.json({ ok: true })
  })
  app.post('/webhooks/intent-to-receive', async (c) => c.json(await control.webhooks.intentToReceive()))
  app.post('/webhooks/flush', async (c) => c.json(await control.webhooks.flush()))
  return app
}
