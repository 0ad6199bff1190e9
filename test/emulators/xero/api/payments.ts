import { Hono } from 'hono'
import type { XeroContext } from '../context.ts'
import type { PaymentInput } from '../domain/payments.ts'
import { applyPayment, deletePayment } from '../domain/payments.ts'
import { renderPayment } from '../domain/render.ts'
import { runBatch } from './batch.ts'
import type { ApiEnv } from './env.ts'
import { notFound, validationException } from './errors.ts'
import { listRecords } from './list.ts'
import { collection, domainDeps, firstOf } from './respond.ts'

/** /Payments ([spec] getPayments, createPayments, createPayment, getPayment, deletePayment). */
export function paymentRoutes(ctx: XeroContext) {
  const app = new Hono<ApiEnv>()

  app.get('/Payments', (c) => {
    const listed = listRecords(c, [...c.var.org.payments.values()], {
      updatedAt: (r) => r.UpdatedDateUTC,
      view: (r) => ({ ...r, Invoice: { InvoiceID: r.InvoiceID } }),
      pageable: true,
    })
    if (listed instanceof Response) return listed
    const items = listed.items.map((r) => renderPayment(c.var.org, r))
    return collection(c, 'Payments', items, listed.pagination)
  })

  app.put('/Payments', (c) => {
    const deps = domainDeps(ctx, c)
    return runBatch(
      c,
      'Payments',
      firstOf<PaymentInput>(c, 'Payments'),
      (i) => applyPayment(deps, i),
      (r) => renderPayment(c.var.org, r),
    )
  })

  // POST /Payments takes one Payment object, not an envelope ([spec] createPayment).
  app.post('/Payments', (c) => {
    const input = c.var.body as PaymentInput
    const outcome = applyPayment(domainDeps(ctx, c), input)
    if ('errors' in outcome) {
      return validationException(c, [
        { ...input, ValidationErrors: outcome.errors.map((Message) => ({ Message })) },
      ])
    }
    return collection(c, 'Payments', [renderPayment(c.var.org, outcome.ok)])
  })

  app.get('/Payments/:id', (c) => {
    const record = c.var.org.payments.get(c.req.param('id'))
    return record ? collection(c, 'Payments', [renderPayment(c.var.org, record)]) : notFound(c)
  })

  app.post('/Payments/:id', (c) => {
    const record = c.var.org.payments.get(c.req.param('id'))
    if (!record) return notFound(c)
    const body = c.var.body as { Status?: string }
    const outcome =
      body.Status === 'DELETED'
        ? deletePayment(domainDeps(ctx, c), record)
        : { errors: ['Only the Status of a payment can be changed, to DELETED'] }
    if ('errors' in outcome) {
      return validationException(c, [
        { PaymentID: record.PaymentID, ValidationErrors: outcome.errors.map((Message) => ({ Message })) },
      ])
    }
    return collection(c, 'Payments', [renderPayment(c.var.org, outcome.ok)])
  })

  return app
}
