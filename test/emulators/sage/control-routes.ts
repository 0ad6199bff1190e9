import { Hono } from 'hono'
import { faultRateRoutes, type Fault } from '../common/faults.ts'
import type { SageControl } from './control.ts'

/** The control API over HTTP (never exposed by the product), mirroring SageControl one route each. */
export function createControlRoutes(control: SageControl) {
  const app = new Hono()
  const ok = { ok: true }

  app.onError((err, c) => c.json({ error: err.message }, 400))
  app.post('/clock/advance', async (c) => {
    const { ms } = await c.req.json<{ ms: number }>()
    control.advanceClock(ms)
    return c.json({ now: control.clock.now() })
  })
  app.post('/faults', async (c) => {
    const { count, ...fault } = await c.req.json<Fault & { count?: number }>()
    control.injectFault(fault, count)
    return c.json(ok)
  })
  app.delete('/faults', (c) => (control.clearFaults(), c.json(ok)))
  app.route('/faults/rate', faultRateRoutes(control))
  app.post('/throttle', async (c) => {
    const { count, businessId } = await c.req.json<{ count: number; businessId?: string }>()
    control.forceThrottle(count, businessId)
    return c.json(ok)
  })
  app.post('/revoke', async (c) => {
    const { token } = await c.req.json<{ token: string }>()
    return c.json({ revoked: control.revokeGrant(token) })
  })
  app.post('/expire-access-tokens', (c) => (control.expireAccessTokens(), c.json(ok)))
  app.post('/subscription', async (c) => {
    const { businessId, active } = await c.req.json<{ businessId: string; active: boolean }>()
    control.setSubscriptionActive(businessId, active)
    return c.json(ok)
  })
  app.post('/businesses/:businessId/ledger-accounts', async (c) =>
    c.json(control.addLedgerAccount(c.req.param('businessId'), await c.req.json()), 201),
  )
  app.post('/businesses/:businessId/ledger-accounts/:code/chart', async (c) => {
    const { included } = await c.req.json<{ included: boolean }>()
    control.setIncludedInChart(c.req.param('businessId'), Number(c.req.param('code')), included)
    return c.json(ok)
  })
  app.post('/lead-business', async (c) => {
    const { userId, businessId } = await c.req.json<{ userId: string; businessId: string }>()
    control.setLeadBusiness(userId, businessId)
    return c.json(ok)
  })
  app.post('/payments', async (c) => c.json(control.recordPayment(await c.req.json()), 201))
  app.post('/businesses/:businessId/payments/:paymentId/cleared', async (c) => {
    const { cleared } = await c.req.json<{ cleared: boolean }>()
    control.setPaymentCleared(c.req.param('businessId'), c.req.param('paymentId'), cleared)
    return c.json(ok)
  })
  app.get('/requests', (c) => c.json(control.requests()))
  app.delete('/requests', (c) => (control.clearRequests(), c.json(ok)))
  return app
}
