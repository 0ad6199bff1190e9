import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { PaymentSchema } from '../../shared/api/payments.ts'
import {
  type Api,
  createId,
  createSpacedIn,
  customerBody,
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

const UNKNOWN = 'inv_aaaaaaaaaaaaaaaaaaaaaaaaaa'
const PaidSchema = z.object({ invoice: InvoiceSchema, payment: PaymentSchema })
const url = (tenant: string, id: string, event = '') => `${paths.invoices(tenant)}/${id}${event}`

async function create(tenant: string, body: unknown) {
  return expectOk(await api.call('POST', paths.invoices(tenant), { json: body }), 201, InvoiceSchema)
}
async function read(tenant: string, id: string) {
  return expectOk(await api.call('GET', url(tenant, id)), 200, InvoiceSchema)
}
async function patch(tenant: string, id: string, json: unknown) {
  return expectOk(await api.call('PATCH', url(tenant, id), { json }), 200, InvoiceSchema)
}

describe('POST /v1/tenants/{tenantId}/invoices', () => {
  test('stores every field and prices each line in minor units, tax rounded per line', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const body = invoiceBody(customerId, {
      externalId: 'host-inv-1',
      number: 'INV-1001',
      reference: 'PO-77',
      notes: 'Thanks for your business',
      lines: [
        validLine({
          description: 'Labour',
          quantity: '3',
          unitPrice: '19.99',
          taxRate: '20',
          category: 'Labour',
        }),
        validLine({
          description: 'Valves',
          quantity: '1.5',
          unitPrice: '33.333',
          discountRate: '10',
          taxRate: '5',
          taxCode: 'VAT5',
          category: 'Materials',
        }),
        // Three lines whose tax is half a penny each: per line 0.01 × 3, where the total would give 0.02.
        ...[1, 2, 3].map((i) => ({
          description: `Washer ${i}`,
          quantity: '1',
          unitPrice: '0.10',
          taxRate: '5',
        })),
      ],
    })
    const inv = await create(tenantId, body)
    expect(inv).toMatchObject({
      externalId: 'host-inv-1',
      number: 'INV-1001',
      customerId,
      currency: 'GBP',
      issueDate: '2026-11-01',
      dueDate: '2026-11-30',
      reference: 'PO-77',
      notes: 'Thanks for your business',
      status: 'draft',
      version: 1,
      sentAt: null,
      paidAt: null,
    })
    for (const line of inv.lines) expect(line.id).toMatch(/^lin_/)
    expect(inv.lines.map(({ id: _id, ...line }) => line)).toEqual([
      {
        description: 'Labour',
        quantity: '3',
        unitPrice: '19.99',
        discountRate: '0',
        taxCode: 'VAT20',
        taxRate: '20',
        category: 'Labour',
        netAmount: '59.97',
        taxAmount: '11.99',
      },
      {
        description: 'Valves',
        quantity: '1.5',
        unitPrice: '33.333',
        discountRate: '10',
        taxCode: 'VAT5',
        taxRate: '5',
        category: 'Materials',
        netAmount: '45.00',
        taxAmount: '2.25',
      },
      ...[1, 2, 3].map((i) => ({
        description: `Washer ${i}`,
        quantity: '1',
        unitPrice: '0.10',
        discountRate: null,
        taxCode: null,
        taxRate: '5',
        category: 'Other',
        netAmount: '0.10',
        taxAmount: '0.01',
      })),
    ])
    expect(inv).toMatchObject({
      subtotal: '105.27',
      taxTotal: '14.27',
      total: '119.54',
      amountPaid: '0.00',
      amountDue: '119.54',
    })
    expect(await read(tenantId, inv.id)).toEqual(inv)
  })

  test('currency minor units come from ISO 4217: JPY has none, KWD has three', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const yen = await create(
      tenantId,
      invoiceBody(customerId, {
        currency: 'JPY',
        lines: [validLine({ quantity: '3', unitPrice: '333', taxRate: '10' })],
      }),
    )
    expect(yen).toMatchObject({ subtotal: '999', taxTotal: '100', total: '1099', amountDue: '1099' })
    const dinar = await create(
      tenantId,
      invoiceBody(customerId, {
        currency: 'KWD',
        lines: [validLine({ quantity: '1', unitPrice: '1.2345', taxRate: '5' })],
      }),
    )
    expect(dinar.lines[0]).toMatchObject({ netAmount: '1.235', taxAmount: '0.062' })
    expect(dinar).toMatchObject({ subtotal: '1.235', taxTotal: '0.062', total: '1.297', amountPaid: '0.000' })
  })

  test('can be created as sent, never as paid or void', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const sent = await create(tenantId, invoiceBody(customerId, { status: 'sent' }))
    expect(sent.status).toBe('sent')
    expect(sent.sentAt).toBe(new Date(api.t.now()).toISOString())
    for (const status of ['paid', 'void'])
      expectInvalid(
        await api.call('POST', paths.invoices(tenantId), { json: invoiceBody(customerId, { status }) }),
        'status',
      )
  })

  test('money is a decimal string: JSON numbers, NaN, Infinity and too many places are refused', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const withLine = (over: Record<string, unknown>) => invoiceBody(customerId, { lines: [validLine(over)] })
    const post = (json: unknown) => api.call('POST', paths.invoices(tenantId), { json })
    expectInvalid(await post(withLine({ unitPrice: 10.5 })), 'lines.0.unitPrice')
    expectInvalid(await post(withLine({ unitPrice: 10 })), 'lines.0.unitPrice')
    expectInvalid(await post(withLine({ quantity: 2 })), 'lines.0.quantity')
    for (const unitPrice of ['NaN', 'Infinity', '-1', '1e3', '1.23456', '1,000.00', ''])
      expectInvalid(await post(withLine({ unitPrice })), 'lines.0.unitPrice')
    expectInvalid(await post(withLine({ quantity: '0' })), 'lines.0.quantity')
    expectInvalid(await post(withLine({ quantity: '-1' })), 'lines.0.quantity')
    expectInvalid(await post(withLine({ discountRate: '100.5' })), 'lines.0.discountRate')
    expectInvalid(await post(withLine({ taxRate: '-5' })), 'lines.0.taxRate')
    const raw = JSON.stringify(withLine({ unitPrice: '__N__' })).replace('"__N__"', 'NaN')
    expectError(await api.call('POST', paths.invoices(tenantId), { raw }), 400, 'malformed_request')
    expect(expectPage(await api.call('GET', paths.invoices(tenantId)), InvoiceSchema).data).toEqual([])
  })

  test('field errors name each bad field, including dates that do not exist and a due date before the issue date', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const post = (json: unknown) => api.call('POST', paths.invoices(tenantId), { json })
    expectInvalid(
      await post({
        ...invoiceBody(customerId),
        number: '',
        currency: 'XYZ',
        issueDate: '2026-02-30',
        lines: [],
      }),
      'number',
      'currency',
      'issueDate',
      'lines',
    )
    expectInvalid(await post(invoiceBody(customerId, { currency: 'gbp' })), 'currency')
    expectInvalid(await post(invoiceBody(customerId, { dueDate: '2026-10-31' })), 'dueDate')
    expectInvalid(
      await post(invoiceBody(customerId, { lines: [validLine({ description: '' })] })),
      'lines.0.description',
    )
    expectInvalid(await post(invoiceBody(customerId, { lines: [validLine({ colour: 'red' })] })), 'lines.0')
    const { customerId: theirs } = await seedTenant(api)
    expectInvalid(await post(invoiceBody(theirs)), 'customerId')
    expectInvalid(await post(invoiceBody('cus_aaaaaaaaaaaaaaaaaaaaaaaaaa')), 'customerId')
  })

  test('a duplicate number or externalId is a conflict within a tenant, not across tenants', async () => {
    const a = await seedTenant(api)
    const b = await seedTenant(api)
    await create(a.tenantId, invoiceBody(a.customerId, { number: 'INV-7', externalId: 'x-7' }))
    const byNumber = await api.call('POST', paths.invoices(a.tenantId), {
      json: invoiceBody(a.customerId, { number: 'INV-7' }),
    })
    expect(expectError(byNumber, 409, 'conflict').details.map((d) => d.path)).toEqual(['number'])
    const byExternal = await api.call('POST', paths.invoices(a.tenantId), {
      json: invoiceBody(a.customerId, { externalId: 'x-7' }),
    })
    expect(expectError(byExternal, 409, 'conflict').details.map((d) => d.path)).toEqual(['externalId'])
    await create(b.tenantId, invoiceBody(b.customerId, { number: 'INV-7', externalId: 'x-7' }))
    expect(expectPage(await api.call('GET', paths.invoices(a.tenantId)), InvoiceSchema).data).toHaveLength(1)
  })

  test('broken JSON, non-JSON, oversized bodies and unknown tenants are refused', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    expectError(
      await api.call('POST', paths.invoices(tenantId), { raw: '{"number":' }),
      400,
      'malformed_request',
    )
    const text = await api.call('POST', paths.invoices(tenantId), { raw: 'INV-1', contentType: 'text/plain' })
    expectError(text, 415, 'unsupported_media_type')
    const big = invoiceBody(customerId, { notes: 'x'.repeat(1024 * 1024) })
    expectError(await api.call('POST', paths.invoices(tenantId), { json: big }), 413, 'payload_too_large')
    expectError(
      await api.call('POST', paths.invoices('nobody-here'), { json: invoiceBody(customerId) }),
      404,
      'not_found',
    )
    expect(expectPage(await api.call('GET', paths.invoices(tenantId)), InvoiceSchema).data).toEqual([])
  })
})

describe('PATCH /v1/tenants/{tenantId}/invoices/{id}', () => {
  test('every change bumps the version and re-prices; a no-op does not', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const inv = await create(tenantId, invoiceBody(customerId, { reference: 'PO-1' }))
    api.t.advance(1000)
    const v2 = await patch(tenantId, inv.id, { reference: 'PO-2' })
    expect(v2).toMatchObject({ reference: 'PO-2', version: 2, total: inv.total })
    expect(v2.updatedAt).toBe(new Date(api.t.now()).toISOString())

    api.t.advance(1000)
    const same = await patch(tenantId, inv.id, { reference: 'PO-2', number: inv.number, currency: 'GBP' })
    expect(same).toEqual(v2)

    const v3 = await patch(tenantId, inv.id, {
      lines: [validLine({ quantity: '1', unitPrice: '9.99', taxRate: '20' })],
    })
    expect(v3).toMatchObject({
      version: 3,
      subtotal: '9.99',
      taxTotal: '2.00',
      total: '11.99',
      amountDue: '11.99',
    })
    const v4 = await patch(tenantId, inv.id, {
      currency: 'JPY',
      lines: [validLine({ unitPrice: '1000', taxRate: '8' })],
    })
    expect(v4).toMatchObject({ version: 4, currency: 'JPY', total: '2160' })
    const v5 = await patch(tenantId, inv.id, { reference: null, notes: 'Paid by card' })
    expect(v5).toMatchObject({ version: 5, reference: null, notes: 'Paid by card' })
    expect(await read(tenantId, inv.id)).toEqual(v5)
  })

  test('field errors: an empty patch, a paid status, a due date before the stored issue date', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const inv = await create(tenantId, invoiceBody(customerId))
    const send = (json: unknown) => api.call('PATCH', url(tenantId, inv.id), { json })
    expectInvalid(await send({}), '(body)')
    expectInvalid(await send({ status: 'paid' }), 'status')
    expectInvalid(await send({ dueDate: '2026-10-01' }), 'dueDate')
    expectInvalid(await send({ issueDate: '2026-12-01' }), 'dueDate')
    expectInvalid(await send({ issueDate: '2026-12-01', dueDate: '2026-11-01' }), 'dueDate')
    expectInvalid(await send({ lines: [validLine({ unitPrice: 12.5 })] }), 'lines.0.unitPrice')
    expectInvalid(await send({ externalId: 'new' }), '(body)')
    const { customerId: theirs } = await seedTenant(api)
    expectInvalid(await send({ customerId: theirs }), 'customerId')
    expectError(await api.call('PATCH', url(tenantId, inv.id), { raw: '{' }), 400, 'malformed_request')
    const text = await api.call('PATCH', url(tenantId, inv.id), { raw: 'x', contentType: 'text/plain' })
    expectError(text, 415, 'unsupported_media_type')
    expectError(await send(oversized()), 413, 'payload_too_large')
    expect(await read(tenantId, inv.id)).toEqual(inv)
  })

  test('taking another invoice’s number is a conflict', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const first = await create(tenantId, invoiceBody(customerId))
    const second = await create(tenantId, invoiceBody(customerId))
    const res = await api.call('PATCH', url(tenantId, second.id), { json: { number: first.number } })
    expect(expectError(res, 409, 'conflict').details.map((d) => d.path)).toEqual(['number'])
    expect(await read(tenantId, second.id)).toEqual(second)
  })

  test('status moves: draft → sent → void; never back, never to paid by hand', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const inv = await create(tenantId, invoiceBody(customerId))
    const sent = await patch(tenantId, inv.id, { status: 'sent' })
    expect(sent).toMatchObject({ status: 'sent', version: 2, sentAt: new Date(api.t.now()).toISOString() })
    expectError(
      await api.call('PATCH', url(tenantId, inv.id), { json: { status: 'draft' } }),
      409,
      'invalid_state_change',
    )
    const voided = await patch(tenantId, inv.id, { status: 'void' })
    expect(voided).toMatchObject({ status: 'void', version: 3 })
  })

  test('a void invoice cannot be edited, sent, paid or revived', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const inv = await create(tenantId, invoiceBody(customerId))
    const voided = await patch(tenantId, inv.id, { status: 'void' })
    for (const json of [{ notes: 'edit' }, { status: 'draft' }, { status: 'sent' }, { lines: [validLine()] }])
      expectError(await api.call('PATCH', url(tenantId, inv.id), { json }), 409, 'invalid_state_change')
    expectError(await api.call('POST', url(tenantId, inv.id, '/send')), 409, 'invalid_state_change')
    expectError(
      await api.call('POST', url(tenantId, inv.id, '/mark-paid'), { json: {} }),
      409,
      'invalid_state_change',
    )
    const pay = await api.call('POST', paths.payments(tenantId), { json: paymentBody(inv.id) })
    expectError(pay, 409, 'invalid_state_change')
    expect(await read(tenantId, inv.id)).toEqual(voided)
  })

  test('an invoice with payments cannot be voided, change currency or drop below what is paid', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    expectOk(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId, { amount: '60.00' }) }),
      201,
    )
    const before = await read(tenantId, invoiceId)
    expect(before).toMatchObject({ status: 'sent', total: '120.00', amountPaid: '60.00' })
    const attempts = [
      { status: 'void' },
      { currency: 'EUR' },
      { lines: [validLine({ quantity: '1', unitPrice: '10.00' })] },
    ]
    for (const json of attempts)
      expectError(await api.call('PATCH', url(tenantId, invoiceId), { json }), 409, 'invalid_state_change')
    expect(await read(tenantId, invoiceId)).toEqual(before)
  })

  test('unknown and malformed ids', async () => {
    const { tenantId } = await seedTenant(api)
    expectError(await api.call('PATCH', url(tenantId, UNKNOWN), { json: { notes: 'x' } }), 404, 'not_found')
    expectError(await api.call('GET', url(tenantId, UNKNOWN)), 404, 'not_found')
    expectInvalid(await api.call('GET', url(tenantId, 'INV-1')), 'param.id')
  })
})

describe('POST /v1/tenants/{tenantId}/invoices/{id}/send', () => {
  test('moves a draft to sent once; sending again changes nothing', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'draft' })
    api.t.advance(5000)
    const sent = expectOk(await api.call('POST', url(tenantId, invoiceId, '/send')), 200, InvoiceSchema)
    expect(sent).toMatchObject({ status: 'sent', version: 2, sentAt: new Date(api.t.now()).toISOString() })
    api.t.advance(5000)
    const again = expectOk(await api.call('POST', url(tenantId, invoiceId, '/send')), 200, InvoiceSchema)
    expect(again).toEqual(sent)
  })

  test('a paid invoice cannot be sent; unknown ids answer not_found', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const { invoice } = expectOk(
      await api.call('POST', url(tenantId, invoiceId, '/mark-paid'), { json: {} }),
      200,
      PaidSchema,
    )
    expectError(await api.call('POST', url(tenantId, invoiceId, '/send')), 409, 'invalid_state_change')
    expectError(await api.call('POST', url(tenantId, UNKNOWN, '/send')), 404, 'not_found')
    expect(await read(tenantId, invoiceId)).toEqual(invoice)
  })
})

describe('POST /v1/tenants/{tenantId}/invoices/{id}/mark-paid', () => {
  test('records a payment of the whole amount due and makes the invoice paid', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    expectOk(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId, { amount: '20.00' }) }),
      201,
    )
    api.t.advance(60_000)
    const res = await api.call('POST', url(tenantId, invoiceId, '/mark-paid'), {
      json: { date: '2026-11-20', reference: 'BACS 123', method: 'card' },
    })
    const { invoice, payment } = expectOk(res, 200, PaidSchema)
    expect(invoice).toMatchObject({
      status: 'paid',
      amountPaid: '120.00',
      amountDue: '0.00',
      paidAt: new Date(api.t.now()).toISOString(),
      version: 3, // created sent (1), part payment (2), marked paid (3)
    })
    expect(payment).toMatchObject({
      invoiceId,
      amount: '100.00',
      currency: 'GBP',
      date: '2026-11-20',
      reference: 'BACS 123',
      method: 'card',
    })
    expect(await read(tenantId, invoiceId)).toEqual(invoice)
    const listed = expectPage(
      await api.call('GET', `${paths.payments(tenantId)}?invoiceId=${invoiceId}`),
      PaymentSchema,
    )
    expect(listed.data.map((p) => p.amount)).toEqual(['20.00', '100.00'])
  })

  test('an empty body pays today by bank transfer', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const { payment } = expectOk(
      await api.call('POST', url(tenantId, invoiceId, '/mark-paid'), { json: {} }),
      200,
      PaidSchema,
    )
    expect(payment).toMatchObject({
      date: new Date(api.t.now()).toISOString().slice(0, 10),
      method: 'bank_transfer',
    })
  })

  test('a draft, a paid and a void invoice cannot be marked paid', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, { invoice: 'draft' })
    expectError(
      await api.call('POST', url(tenantId, invoiceId, '/mark-paid'), { json: {} }),
      409,
      'invalid_state_change',
    )
    const paid = await create(tenantId, invoiceBody(customerId, { status: 'sent' }))
    expectOk(await api.call('POST', url(tenantId, paid.id, '/mark-paid'), { json: {} }), 200)
    expectError(
      await api.call('POST', url(tenantId, paid.id, '/mark-paid'), { json: {} }),
      409,
      'invalid_state_change',
    )
    const payments = expectPage(
      await api.call('GET', `${paths.payments(tenantId)}?invoiceId=${paid.id}`),
      PaymentSchema,
    )
    expect(payments.data).toHaveLength(1)
    expect((await read(tenantId, invoiceId)).version).toBe(1)
  })

  test('bad bodies and unknown ids', async () => {
    const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const post = (options: Parameters<Api['call']>[2]) =>
      api.call('POST', url(tenantId, invoiceId, '/mark-paid'), options)
    expectInvalid(
      await post({ json: { date: '2026-02-30', method: 'barter', tip: 1 } }),
      '(body)',
      'date',
      'method',
    )
    expectError(await post({ raw: '{"date":' }), 400, 'malformed_request')
    expectError(await post({ raw: 'date=today', contentType: 'text/plain' }), 415, 'unsupported_media_type')
    expectError(await post({ json: oversized() }), 413, 'payload_too_large')
    expectError(await api.call('POST', url(tenantId, UNKNOWN, '/mark-paid'), { json: {} }), 404, 'not_found')
    expect((await read(tenantId, invoiceId)).status).toBe('sent')
  })
})

describe('GET /v1/tenants/{tenantId}/invoices', () => {
  test('pages of three walk every invoice exactly once, oldest first', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const ids = await createSpacedIn(api, 16, () =>
      createId(api, paths.invoices(tenantId), invoiceBody(customerId)),
    )
    const pages = await walkPages(api, paths.invoices(tenantId), 3)
    expect(new Set(pages.flat())).toEqual(new Set(ids))
    expect(pages.flat()).toEqual(ids)
  })

  test('filters by status and customer, across pages', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const other = await createId(api, paths.customers(tenantId), customerBody({ name: 'Other' }))
    const made: { id: string; status: string; customerId: string }[] = []
    for (const [i, status] of ['draft', 'sent', 'sent', 'draft', 'sent', 'sent', 'sent'].entries()) {
      const who = i % 2 ? other : customerId
      made.push({
        id: await createId(api, paths.invoices(tenantId), invoiceBody(who, { status })),
        status,
        customerId: who,
      })
    }
    const ids = (filter: (m: (typeof made)[number]) => boolean) => made.filter(filter).map((m) => m.id)
    const listed = async (query: string) =>
      new Set((await walkPages(api, `${paths.invoices(tenantId)}?${query}`, 2)).flat())
    expect(await listed('status=sent')).toEqual(new Set(ids((m) => m.status === 'sent')))
    expect(await listed('status=paid')).toEqual(new Set())
    expect(await listed(`customerId=${other}`)).toEqual(new Set(ids((m) => m.customerId === other)))
    expect(await listed(`status=draft&customerId=${customerId}`)).toEqual(
      new Set(ids((m) => m.status === 'draft' && m.customerId === customerId)),
    )
    expectInvalid(await api.call('GET', `${paths.invoices(tenantId)}?status=overdue`), 'query.status')
    expectError(await api.call('GET', paths.invoices('nobody-here')), 404, 'not_found')
    expectInvalid(await api.call('GET', `${paths.invoices(tenantId)}?customerId=bob`), 'query.customerId')
    expectInvalid(await api.call('GET', `${paths.invoices(tenantId)}?cursor=${'A'.repeat(40)}`), 'cursor')
  })
})

describe('another tenant', () => {
  test("cannot read, update, send or pay tenant A's invoices, and learns nothing of them", async () => {
    const a = await seedTenant(api, { invoice: 'sent' })
    const b = await seedTenant(api, { invoice: 'sent' })
    const before = await read(a.tenantId, a.invoiceId)
    const answers = [
      await api.call('GET', url(b.tenantId, a.invoiceId)),
      await api.call('PATCH', url(b.tenantId, a.invoiceId), { json: { status: 'void' } }),
      await api.call('POST', url(b.tenantId, a.invoiceId, '/send')),
      await api.call('POST', url(b.tenantId, a.invoiceId, '/mark-paid'), { json: {} }),
    ]
    for (const res of answers) {
      expectError(res, 404, 'not_found')
      expect(res.text).not.toContain(before.number)
      expect(res.text).not.toContain(a.customerId)
    }
    const pay = await api.call('POST', paths.payments(b.tenantId), { json: paymentBody(a.invoiceId) })
    const unknown = await api.call('POST', paths.payments(b.tenantId), { json: paymentBody(UNKNOWN) })
    expect([pay.status, (pay.body as { error: { details: unknown } }).error.details]).toEqual([
      unknown.status,
      (unknown.body as { error: { details: unknown } }).error.details,
    ])
    expect(pay.status).toBeGreaterThanOrEqual(400)
    const listed = expectPage(await api.call('GET', paths.invoices(b.tenantId)), InvoiceSchema).data
    expect(listed.map((i) => i.id)).toEqual([b.invoiceId])
    const filtered = await api.call('GET', `${paths.invoices(b.tenantId)}?customerId=${a.customerId}`)
    expect(expectPage(filtered, InvoiceSchema).data).toEqual([])
    expect(await read(a.tenantId, a.invoiceId)).toEqual(before)
  })
})

describe('credentials', () => {
  test('every invoice route refuses callers without a valid API key', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const before = await read(tenantId, invoiceId)
    await expectAllRefused(api, tenantId, 'POST', paths.invoices(tenantId), invoiceBody(customerId))
    await expectAllRefused(api, tenantId, 'GET', paths.invoices(tenantId))
    await expectAllRefused(api, tenantId, 'GET', url(tenantId, invoiceId))
    await expectAllRefused(api, tenantId, 'PATCH', url(tenantId, invoiceId), { status: 'void' })
    await expectAllRefused(api, tenantId, 'POST', url(tenantId, invoiceId, '/send'))
    await expectAllRefused(api, tenantId, 'POST', url(tenantId, invoiceId, '/mark-paid'), {})
    expect(await read(tenantId, invoiceId)).toEqual(before)
    expect(expectPage(await api.call('GET', paths.invoices(tenantId)), InvoiceSchema).data).toHaveLength(1)
  })
})
