import { describe, expect, test } from 'vitest'
import { CreditNoteSchema } from '../../shared/api/credit-notes.ts'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import {
  createId,
  creditNoteBody,
  customerBody,
  expectError,
  expectOk,
  invoiceBody,
  paths,
  paymentBody,
  seedTenant,
  useApi,
  validLine,
} from './support.ts'

/**
 * Issue 8: a credit note's link to its invoice was checked only when the credit note was written,
 * so a 50.00 credit note was accepted against a 10.00 invoice, and the invoice could then change
 * customer and currency under it. Paid + credited never passes an invoice's total, and an
 * invoice keeps the customer and currency of what is linked to it.
 */

const api = useApi()

/** A line worth `amount` GBP, tax free. */
const worth = (amount: string) => [validLine({ quantity: '1', unitPrice: amount, taxRate: '0' })]
const invoiceUrl = (t: string, id: string) => `${paths.invoices(t)}/${id}`
const noteUrl = (t: string, id: string) => `${paths.creditNotes(t)}/${id}`

/** A tenant with a sent invoice of `total` GBP (tax free). */
async function invoiceOf(total: string, status: 'draft' | 'sent' = 'sent') {
  return seedTenant(api, { invoice: status, lines: worth(total) })
}
const readInvoice = async (t: string, id: string) =>
  expectOk(await api.call('GET', invoiceUrl(t, id)), 200, InvoiceSchema)
const credit = (t: string, customerId: string, invoiceId: string, amount: string) =>
  api.call('POST', paths.creditNotes(t), {
    json: creditNoteBody(customerId, { invoiceId, lines: worth(amount) }),
  })

describe('a credit note against an invoice', () => {
  test('larger than the invoice is refused, naming both amounts', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('10.00')
    const error = expectError(
      await credit(tenantId, customerId, invoiceId, '50.00'),
      422,
      'credit_exceeds_remaining',
    )
    expect(error.message).toContain('50.00 GBP')
    expect(error.message).toContain('10.00 GBP')
    expect(error.details.map((d) => d.path)).toEqual(['lines'])
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({ amountCredited: '0.00', version: 1 })
  })

  test('may take what remains after the credit notes already linked, not more; voiding one frees its room', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00', 'draft')
    const first = expectOk(await credit(tenantId, customerId, invoiceId, '60.00'), 201, CreditNoteSchema)
    const over = expectError(
      await credit(tenantId, customerId, invoiceId, '40.01'),
      422,
      'credit_exceeds_remaining',
    )
    expect(over.message).toMatch(/40\.01 GBP is more than the 40\.00 GBP that remains/)
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({
      amountCredited: '60.00',
      amountDue: '40.00',
      status: 'draft',
      version: 2,
    })
    // Raising the first past the total is refused too; voiding it gives its 60.00 back.
    expectError(
      await api.call('PATCH', noteUrl(tenantId, first.id), { json: { lines: worth('100.01') } }),
      422,
      'credit_exceeds_remaining',
    )
    expectOk(await api.call('PATCH', noteUrl(tenantId, first.id), { json: { status: 'void' } }), 200)
    expectOk(await credit(tenantId, customerId, invoiceId, '100.00'), 201)
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({
      amountCredited: '100.00',
      amountDue: '0.00',
    })
  })

  test('moving a credit note to another invoice checks the room of the new one and frees the old', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    const small = await createId(
      api,
      paths.invoices(tenantId),
      invoiceBody(customerId, { lines: worth('5.00') }),
    )
    const note = expectOk(await credit(tenantId, customerId, invoiceId, '30.00'), 201, CreditNoteSchema)
    expectError(
      await api.call('PATCH', noteUrl(tenantId, note.id), { json: { invoiceId: small } }),
      422,
      'credit_exceeds_remaining',
    )
    const big = await createId(
      api,
      paths.invoices(tenantId),
      invoiceBody(customerId, { lines: worth('30.00') }),
    )
    expectOk(await api.call('PATCH', noteUrl(tenantId, note.id), { json: { invoiceId: big } }), 200)
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({
      amountCredited: '0.00',
      amountDue: '100.00',
    })
    expect(await readInvoice(tenantId, big)).toMatchObject({ amountCredited: '30.00', amountDue: '0.00' })
  })

  test('counts payments too: a credit note and a payment never cover more than the total', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    expectOk(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId, { amount: '70.00' }) }),
      201,
    )
    expectError(await credit(tenantId, customerId, invoiceId, '30.01'), 422, 'credit_exceeds_remaining')
    expectOk(await credit(tenantId, customerId, invoiceId, '20.00'), 201)
    const pay = (amount: string) =>
      api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId, { amount }) })
    const error = expectError(await pay('10.01'), 422, 'payment_exceeds_due')
    expect(error.message).toContain('10.00 GBP still due')
    expectOk(await pay('10.00'), 201)
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({
      amountPaid: '80.00',
      amountCredited: '20.00',
      amountDue: '0.00',
      status: 'paid',
    })
  })

  test('a credit note that covers the rest settles the invoice as paid; voiding it re-opens it', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    expectOk(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId, { amount: '40.00' }) }),
      201,
    )
    const before = await readInvoice(tenantId, invoiceId)
    const note = expectOk(await credit(tenantId, customerId, invoiceId, '60.00'), 201, CreditNoteSchema)
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({
      status: 'paid',
      amountDue: '0.00',
      version: before.version + 1,
    })
    expectOk(await api.call('PATCH', noteUrl(tenantId, note.id), { json: { status: 'void' } }), 200)
    expect(await readInvoice(tenantId, invoiceId)).toMatchObject({
      status: 'sent',
      paidAt: null,
      amountCredited: '0.00',
      amountDue: '60.00',
      version: before.version + 2,
    })
  })

  test('mark-paid pays what is due after credits', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    expectOk(await credit(tenantId, customerId, invoiceId, '25.00'), 201)
    const paid = expectOk(
      await api.call('POST', `${invoiceUrl(tenantId, invoiceId)}/mark-paid`, { json: {} }),
      200,
    ) as {
      invoice: { status: string; amountDue: string }
      payment: { amount: string }
    }
    expect(paid.payment.amount).toBe('75.00')
    expect(paid.invoice).toMatchObject({ status: 'paid', amountDue: '0.00' })
  })

  test('a void invoice takes no credit notes', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    expectOk(await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json: { status: 'void' } }), 200)
    const res = await credit(tenantId, customerId, invoiceId, '1.00')
    expect(expectError(res, 400, 'validation_failed').details).toEqual([
      { path: 'invoiceId', message: 'The invoice is void' },
    ])
  })
})

describe('an invoice with credit notes or payments linked', () => {
  test('cannot change customer or currency, and the error names what blocks it', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    const other = await createId(api, paths.customers(tenantId), customerBody({ name: 'Other' }))
    const note = expectOk(await credit(tenantId, customerId, invoiceId, '10.00'), 201, CreditNoteSchema)
    const before = await readInvoice(tenantId, invoiceId)
    for (const [json, path, noun] of [
      [{ customerId: other }, 'customerId', 'customer'],
      [{ currency: 'EUR' }, 'currency', 'currency'],
    ] as const) {
      const error = expectError(
        await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json }),
        409,
        'invalid_state_change',
      )
      expect(error.message).toBe(
        `Invoice ${before.number} has 1 credit note (${note.number}) linked to it, so its ${noun} cannot change.`,
      )
      expect(error.details.map((d) => d.path)).toEqual([path])
    }
    // A void credit note still names the invoice: the link is its history.
    expectOk(await api.call('PATCH', noteUrl(tenantId, note.id), { json: { status: 'void' } }), 200)
    expectError(
      await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json: { customerId: other } }),
      409,
      'invalid_state_change',
    )
    expect((await readInvoice(tenantId, invoiceId)).customerId).toBe(customerId)
  })

  test('with a payment alone, cannot change customer either', async () => {
    const { tenantId, invoiceId } = await invoiceOf('100.00')
    const other = await createId(api, paths.customers(tenantId), customerBody({ name: 'Other' }))
    expectOk(await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId) }), 201)
    const error = expectError(
      await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json: { customerId: other } }),
      409,
      'invalid_state_change',
    )
    expect(error.message).toMatch(/has 1 payment linked to it, so its customer cannot change/)
    // Without links the same change is fine.
    const free = await createId(
      api,
      paths.invoices(tenantId),
      invoiceBody((await readInvoice(tenantId, invoiceId)).customerId),
    )
    expectOk(
      await api.call('PATCH', invoiceUrl(tenantId, free), { json: { customerId: other, currency: 'EUR' } }),
      200,
    )
  })

  test('cannot lower its total below what is paid and credited, and says by how much', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00')
    expectOk(await credit(tenantId, customerId, invoiceId, '60.00'), 201)
    expectOk(
      await api.call('POST', paths.payments(tenantId), { json: paymentBody(invoiceId, { amount: '10.00' }) }),
      201,
    )
    const error = expectError(
      await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json: { lines: worth('69.99') } }),
      409,
      'invalid_state_change',
    )
    expect(error.message).toContain('69.99 GBP would be less than the 70.00 GBP already paid and credited')
    expect(error.details.map((d) => d.path)).toEqual(['lines'])
    expect(
      expectOk(
        await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json: { lines: worth('70.00') } }),
        200,
        InvoiceSchema,
      ),
    ).toMatchObject({ total: '70.00', amountDue: '0.00', status: 'paid' })
  })

  test('cannot be voided while credit notes credit it', async () => {
    const { tenantId, customerId, invoiceId } = await invoiceOf('100.00', 'draft')
    expectOk(await credit(tenantId, customerId, invoiceId, '1.00'), 201)
    const error = expectError(
      await api.call('PATCH', invoiceUrl(tenantId, invoiceId), { json: { status: 'void' } }),
      409,
      'invalid_state_change',
    )
    expect(error.message).toMatch(/credit notes cannot be voided/)
  })
})
