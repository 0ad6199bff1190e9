import { describe, expect, test } from 'vitest'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { PaymentSchema } from '../../shared/api/payments.ts'
import {
  createId,
  createSpacedIn,
  expectAllRefused,
  expectError,
  expectInvalid,
  expectOk,
  expectPage,
  invoiceBody,
  oversized,
  paths,
  paymentBody,
  seedTenant,
  useApi,
  validLine,
  walkPages,
} from './support.ts'

const api = useApi()

const UNKNOWN = 'pay_aaaaaaaaaaaaaaaaaaaaaaaaaa'
const url = (tenant: string, id: string) => `${paths.payments(tenant)}/${id}`

async function pay(tenant: string, body: unknown) {
  return expectOk(await api.call('POST', paths.payments(tenant), { json: body }), 201, PaymentSchema)
}
async function invoice(tenant: string, id: string) {
  return expectOk(await api.call('GET', `${paths.invoices(tenant)}/${id}`), 200, InvoiceSchema)
}
async function patch(tenant: string, id: string, json: unknown) {
  return expectOk(await api.call('PATCH', url(tenant, id), { json }), 200, PaymentSchema)
}

/** A sent GBP invoice of 120.00 (2 × 50.00 + 20 % tax). */
const sentInvoice = () => seedTenant(api, { invoice: 'sent' })

describe('POST /v1/tenants/{tenantId}/payments', () => {
  test('a part payment keeps the invoice sent with less due; the rest makes it paid', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const first = await pay(
      tenantId,
      paymentBody(invoiceId, { amount: '50', externalId: 'p-1', reference: 'BACS', method: 'cheque' }),
    )
    expect(first).toMatchObject({
      invoiceId,
      currency: 'GBP',
      amount: '50.00',
      date: '2026-11-10',
      externalId: 'p-1',
      reference: 'BACS',
      method: 'cheque',
      version: 1,
    })
    expect(await invoice(tenantId, invoiceId)).toMatchObject({
      status: 'sent',
      amountPaid: '50.00',
      amountDue: '70.00',
      paidAt: null,
      version: 2,
    })
    api.t.advance(3_600_000)
    const rest = await pay(tenantId, paymentBody(invoiceId, { amount: '70.00' }))
    expect(rest.method).toBe('bank_transfer')
    expect(await invoice(tenantId, invoiceId)).toMatchObject({
      status: 'paid',
      amountPaid: '120.00',
      amountDue: '0.00',
      paidAt: new Date(api.t.now()).toISOString(),
      version: 3,
    })
    expect(expectOk(await api.call('GET', url(tenantId, first.id)), 200, PaymentSchema)).toEqual(first)
  })

  test('more than the amount due answers payment_exceeds_due and changes nothing', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    await pay(tenantId, paymentBody(invoiceId, { amount: '100.00' }))
    const before = await invoice(tenantId, invoiceId)
    const res = await api.call('POST', paths.payments(tenantId), {
      json: paymentBody(invoiceId, { amount: '20.01' }),
    })
    expect(expectError(res, 422, 'payment_exceeds_due').details.map((d) => d.path)).toEqual(['amount'])
    expect(await invoice(tenantId, invoiceId)).toEqual(before)
    expect(expectPage(await api.call('GET', paths.payments(tenantId)), PaymentSchema).data).toHaveLength(1)
  })

  test('amounts respect the currency’s minor units: GBP 2, JPY 0, KWD 3', async () => {
    const { tenantId, customerId, invoiceId } = await sentInvoice()
    const post = (json: unknown) => api.call('POST', paths.payments(tenantId), { json })
    expect(
      expectInvalid(await post(paymentBody(invoiceId, { amount: '1.005' })), 'amount').details[0]?.message,
    ).toMatch(/GBP/)
    const yen = await createId(
      api,
      paths.invoices(tenantId),
      invoiceBody(customerId, {
        currency: 'JPY',
        status: 'sent',
        lines: [validLine({ unitPrice: '1000', taxRate: '0' })],
      }),
    )
    expectInvalid(await post(paymentBody(yen, { amount: '100.5' })), 'amount')
    expect(await pay(tenantId, paymentBody(yen, { amount: '100' }))).toMatchObject({
      amount: '100',
      currency: 'JPY',
    })
    const dinar = await createId(
      api,
      paths.invoices(tenantId),
      invoiceBody(customerId, {
        currency: 'KWD',
        status: 'sent',
        lines: [validLine({ quantity: '1', unitPrice: '10', taxRate: '0' })],
      }),
    )
    expect(await pay(tenantId, paymentBody(dinar, { amount: '1.005' }))).toMatchObject({
      amount: '1.005',
      currency: 'KWD',
    })
    expect(await invoice(tenantId, dinar)).toMatchObject({ amountPaid: '1.005', amountDue: '8.995' })
    expectInvalid(await post(paymentBody(dinar, { amount: '0.0001' })), 'amount')
  })

  test('money is a decimal string above zero; field errors name each bad field', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const post = (json: unknown) => api.call('POST', paths.payments(tenantId), { json })
    for (const amount of [10, 10.5, '0', '0.00', '-5', 'NaN', 'Infinity', '1e2', '', null])
      expectInvalid(await post(paymentBody(invoiceId, { amount })), 'amount')
    expectInvalid(
      await post({ amount: '1.00', date: '2026-04-31', method: 'bitcoin', invoiceId: 'inv_1' }),
      'date',
      'method',
      'invoiceId',
    )
    expectInvalid(await post({ ...paymentBody(invoiceId), currency: 'GBP' }), '(body)')
    expectInvalid(await post(paymentBody('inv_aaaaaaaaaaaaaaaaaaaaaaaaaa')), 'invoiceId')
    expect((await invoice(tenantId, invoiceId)).amountPaid).toBe('0.00')
  })

  test('a draft or void invoice takes no payments', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'draft' })
    expectError(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId) }),
      409,
      'invalid_state_change',
    )
    expectOk(
      await api.call('PATCH', `${paths.invoices(tenantId)}/${invoiceId}`, { json: { status: 'void' } }),
      200,
    )
    expectError(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId) }),
      409,
      'invalid_state_change',
    )
    expect(expectPage(await api.call('GET', paths.payments(tenantId)), PaymentSchema).data).toEqual([])
  })

  test('a duplicate externalId is a conflict', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    await pay(tenantId, paymentBody(invoiceId, { externalId: 'dup' }))
    const res = await api.call('POST', paths.payments(tenantId), {
      json: paymentBody(invoiceId, { externalId: 'dup' }),
    })
    expect(expectError(res, 409, 'conflict').details[0]?.path).toBe('externalId')
    expect((await invoice(tenantId, invoiceId)).amountPaid).toBe('10.00')
  })

  test('broken JSON, non-JSON, oversized bodies and unknown tenants are refused', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    expectError(
      await api.call('POST', paths.payments(tenantId), { raw: '{"amount": 1.0.0}' }),
      400,
      'malformed_request',
    )
    expectError(
      await api.call('POST', paths.payments(tenantId), {
        raw: 'amount=1',
        contentType: 'multipart/form-data',
      }),
      415,
      'unsupported_media_type',
    )
    expectError(
      await api.call('POST', paths.payments(tenantId), { json: oversized() }),
      413,
      'payload_too_large',
    )
    expectError(
      await api.call('POST', paths.payments('nobody-here'), { json: paymentBody(invoiceId) }),
      404,
      'not_found',
    )
  })
})

describe('PATCH /v1/tenants/{tenantId}/payments/{id}', () => {
  test('reducing a payment reopens a paid invoice; raising it pays it again; a no-op changes nothing', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const payment = await pay(tenantId, paymentBody(invoiceId, { amount: '120.00' }))
    expect(await invoice(tenantId, invoiceId)).toMatchObject({ status: 'paid', version: 2 })
    api.t.advance(1000)
    const reduced = await patch(tenantId, payment.id, { amount: '100.00' })
    expect(reduced).toMatchObject({
      amount: '100.00',
      version: 2,
      updatedAt: new Date(api.t.now()).toISOString(),
    })
    expect(await invoice(tenantId, invoiceId)).toMatchObject({
      status: 'sent',
      amountPaid: '100.00',
      amountDue: '20.00',
      paidAt: null,
      version: 3,
    })
    api.t.advance(1000)
    expect(await patch(tenantId, payment.id, { amount: '100', method: 'bank_transfer' })).toEqual(reduced)
    const details = await patch(tenantId, payment.id, { date: '2026-11-12', reference: 'late' })
    expect(details).toMatchObject({ date: '2026-11-12', reference: 'late', version: 3 })
    expect((await invoice(tenantId, invoiceId)).version).toBe(3)
    await patch(tenantId, payment.id, { amount: '120.00' })
    expect(await invoice(tenantId, invoiceId)).toMatchObject({
      status: 'paid',
      amountDue: '0.00',
      version: 4,
    })
  })

  test('raising a payment past the amount due answers payment_exceeds_due', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const payment = await pay(tenantId, paymentBody(invoiceId, { amount: '60.00' }))
    await pay(tenantId, paymentBody(invoiceId, { amount: '50.00' }))
    const before = await invoice(tenantId, invoiceId)
    expectError(
      await api.call('PATCH', url(tenantId, payment.id), { json: { amount: '70.01' } }),
      422,
      'payment_exceeds_due',
    )
    expect(await invoice(tenantId, invoiceId)).toEqual(before)
    expect((await patch(tenantId, payment.id, { amount: '70.00' })).amount).toBe('70.00')
    expect(await invoice(tenantId, invoiceId)).toMatchObject({ status: 'paid' })
  })

  test('field errors, broken bodies and unknown ids', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const payment = await pay(tenantId, paymentBody(invoiceId))
    const send = (json: unknown) => api.call('PATCH', url(tenantId, payment.id), { json })
    expectInvalid(await send({}), '(body)')
    expectInvalid(await send({ amount: '10.001' }), 'amount')
    expectInvalid(await send({ amount: 5 }), 'amount')
    expectInvalid(await send({ date: '2026-11-31', method: 'gold' }), 'date', 'method')
    expectInvalid(await send({ invoiceId }), '(body)')
    expectError(await api.call('PATCH', url(tenantId, payment.id), { raw: '}' }), 400, 'malformed_request')
    expectError(
      await api.call('PATCH', url(tenantId, payment.id), { raw: '1', contentType: 'text/plain' }),
      415,
      'unsupported_media_type',
    )
    expectError(await send(oversized()), 413, 'payload_too_large')
    expectError(await api.call('PATCH', url(tenantId, UNKNOWN), { json: { amount: '1' } }), 404, 'not_found')
    expectError(await api.call('GET', url(tenantId, UNKNOWN)), 404, 'not_found')
    expect(expectOk(await api.call('GET', url(tenantId, payment.id)), 200, PaymentSchema)).toEqual(payment)
  })
})

describe('GET /v1/tenants/{tenantId}/payments', () => {
  test('pages of three walk every payment exactly once, oldest first', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const ids = await createSpacedIn(api, 16, () =>
      createId(api, paths.payments(tenantId), paymentBody(invoiceId, { amount: '1.00' })),
    )
    const pages = await walkPages(api, paths.payments(tenantId), 3)
    expect(new Set(pages.flat())).toEqual(new Set(ids))
    expect(pages.flat()).toEqual(ids)
  })

  test('filters by invoice; a bad filter or cursor answers validation_failed', async () => {
    const { tenantId, customerId, invoiceId } = await sentInvoice()
    const other = await createId(api, paths.invoices(tenantId), invoiceBody(customerId, { status: 'sent' }))
    const mine: string[] = []
    for (let i = 0; i < 5; i++) {
      mine.push(await createId(api, paths.payments(tenantId), paymentBody(invoiceId, { amount: '1.00' })))
      await createId(api, paths.payments(tenantId), paymentBody(other, { amount: '2.00' }))
    }
    const listed = (await walkPages(api, `${paths.payments(tenantId)}?invoiceId=${invoiceId}`, 2)).flat()
    expect(new Set(listed)).toEqual(new Set(mine))
    expect(listed).toHaveLength(5)
    expectInvalid(await api.call('GET', `${paths.payments(tenantId)}?invoiceId=nope`), 'query.invoiceId')
    expectError(await api.call('GET', paths.payments('nobody-here')), 404, 'not_found')
    expectInvalid(await api.call('GET', `${paths.payments(tenantId)}?cursor=%00%00`), 'cursor')
  })
})

describe('another tenant', () => {
  test("cannot read, update or pay tenant A's records, and learns nothing of them", async () => {
    const a = await sentInvoice()
    const b = await sentInvoice()
    const payment = await pay(
      a.tenantId,
      paymentBody(a.invoiceId, { amount: '12.34', reference: 'secret-ref' }),
    )
    const invoiceBefore = await invoice(a.tenantId, a.invoiceId)
    const answers = [
      await api.call('GET', url(b.tenantId, payment.id)),
      await api.call('PATCH', url(b.tenantId, payment.id), { json: { amount: '120.00' } }),
      await api.call('POST', `${paths.invoices(b.tenantId)}/${a.invoiceId}/mark-paid`, { json: {} }),
    ]
    for (const res of answers) {
      expectError(res, 404, 'not_found')
      expect(res.text).not.toContain('secret-ref')
      expect(res.text).not.toContain('12.34')
    }
    // Paying A's invoice through B's path is refused exactly like paying an invoice that does not exist.
    const theirs = await api.call('POST', paths.payments(b.tenantId), { json: paymentBody(a.invoiceId) })
    const none = await api.call('POST', paths.payments(b.tenantId), {
      json: paymentBody('inv_aaaaaaaaaaaaaaaaaaaaaaaaaa'),
    })
    expectInvalid(theirs, 'invoiceId')
    expect(theirs.status).toBe(none.status)
    expect((theirs.body as { error: object }).error).toEqual({
      ...(none.body as { error: object }).error,
      requestId: expect.any(String) as string,
    })
    const listed = expectPage(await api.call('GET', paths.payments(b.tenantId)), PaymentSchema)
    expect(listed.data).toEqual([])
    const filtered = expectPage(
      await api.call('GET', `${paths.payments(b.tenantId)}?invoiceId=${a.invoiceId}`),
      PaymentSchema,
    )
    expect(filtered.data).toEqual([])
    expect(await invoice(a.tenantId, a.invoiceId)).toEqual(invoiceBefore)
    expect(expectOk(await api.call('GET', url(a.tenantId, payment.id)), 200, PaymentSchema)).toEqual(payment)
  })
})

describe('credentials', () => {
  test('every payment route refuses callers without a valid API key', async () => {
    const { tenantId, invoiceId } = await sentInvoice()
    const payment = await pay(tenantId, paymentBody(invoiceId))
    await expectAllRefused(api, tenantId, 'POST', paths.payments(tenantId), paymentBody(invoiceId))
    await expectAllRefused(api, tenantId, 'GET', paths.payments(tenantId))
    await expectAllRefused(api, tenantId, 'GET', url(tenantId, payment.id))
    await expectAllRefused(api, tenantId, 'PATCH', url(tenantId, payment.id), { amount: '100.00' })
    expect(expectPage(await api.call('GET', paths.payments(tenantId)), PaymentSchema).data).toEqual([payment])
    expect((await invoice(tenantId, invoiceId)).amountPaid).toBe('10.00')
  })
})
