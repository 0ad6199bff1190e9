import { describe, expect, test } from 'vitest'
import { CreditNoteSchema } from '../../shared/api/credit-notes.ts'
import {
  createId,
  createSpacedIn,
  creditNoteBody,
  customerBody,
  expectAllRefused,
  expectError,
  expectInvalid,
  expectOk,
  expectPage,
  invoiceBody,
  oversized,
  paths,
  seedTenant,
  useApi,
  validLine,
  walkPages,
} from './support.ts'

const api = useApi()

const UNKNOWN = 'crn_aaaaaaaaaaaaaaaaaaaaaaaaaa'
const url = (tenant: string, id: string) => `${paths.creditNotes(tenant)}/${id}`

async function create(tenant: string, body: unknown) {
  return expectOk(await api.call('POST', paths.creditNotes(tenant), { json: body }), 201, CreditNoteSchema)
}
async function read(tenant: string, id: string) {
  return expectOk(await api.call('GET', url(tenant, id)), 200, CreditNoteSchema)
}
async function patch(tenant: string, id: string, json: unknown) {
  return expectOk(await api.call('PATCH', url(tenant, id), { json }), 200, CreditNoteSchema)
}

describe('POST /v1/tenants/{tenantId}/credit-notes', () => {
  test('stores every field against an invoice and prices lines with tax rounded per line', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const note = await create(
      tenantId,
      creditNoteBody(customerId, {
        number: 'CN-1',
        externalId: 'host-cn-1',
        invoiceId,
        reference: 'Return',
        notes: 'Two valves returned',
        status: 'sent',
        lines: [
          validLine({
            description: 'Valve',
            quantity: '2',
            unitPrice: '12.345',
            taxRate: '17.5',
            category: 'Materials',
          }),
        ],
      }),
    )
    expect(note).toMatchObject({
      number: 'CN-1',
      externalId: 'host-cn-1',
      customerId,
      invoiceId,
      currency: 'GBP',
      issueDate: '2026-11-05',
      reference: 'Return',
      notes: 'Two valves returned',
      status: 'sent',
      sentAt: new Date(api.t.now()).toISOString(),
      version: 1,
    })
    // 2 × 12.345 = 24.69; 17.5 % of 24.69 = 4.32075 → 4.32
    expect(note.lines[0]).toMatchObject({ netAmount: '24.69', taxAmount: '4.32', category: 'Materials' })
    expect(note).toMatchObject({ subtotal: '24.69', taxTotal: '4.32', total: '29.01' })
    expect(await read(tenantId, note.id)).toEqual(note)
  })

  test('without an invoice, as a draft by default', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const note = await create(
      tenantId,
      creditNoteBody(customerId, { currency: 'JPY', lines: [validLine({ unitPrice: '500' })] }),
    )
    expect(note).toMatchObject({ invoiceId: null, status: 'draft', sentAt: null, total: '1200' })
  })

  test('the invoice must be of this tenant, of the same customer and in the same currency', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const otherCustomer = await createId(api, paths.customers(tenantId), customerBody({ name: 'Other' }))
    const theirs = await seedTenant(api, { invoice: 'sent' })
    const post = (json: unknown) => api.call('POST', paths.creditNotes(tenantId), { json })
    expectInvalid(await post(creditNoteBody(otherCustomer, { invoiceId })), 'invoiceId')
    expectInvalid(await post(creditNoteBody(customerId, { invoiceId, currency: 'EUR' })), 'currency')
    expectInvalid(await post(creditNoteBody(customerId, { invoiceId: theirs.invoiceId })), 'invoiceId')
    expectInvalid(await post(creditNoteBody(theirs.customerId)), 'customerId')
    expect(expectPage(await api.call('GET', paths.creditNotes(tenantId)), CreditNoteSchema).data).toEqual([])
  })

  test('field errors name each bad field', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const res = await api.call('POST', paths.creditNotes(tenantId), {
      json: {
        ...creditNoteBody(customerId),
        number: ' ',
        issueDate: '2026-02-29',
        status: 'void',
        lines: [validLine({ unitPrice: 5, quantity: '-1' })],
      },
    })
    expectInvalid(res, 'number', 'issueDate', 'status', 'lines.0.unitPrice', 'lines.0.quantity')
    expectInvalid(
      await api.call('POST', paths.creditNotes(tenantId), {
        json: { ...creditNoteBody(customerId), dueDate: '2026-12-01' },
      }),
      '(body)',
    )
  })

  test('a duplicate number or externalId is a conflict', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    await create(tenantId, creditNoteBody(customerId, { number: 'CN-9', externalId: 'e-9' }))
    const post = (json: unknown) => api.call('POST', paths.creditNotes(tenantId), { json })
    expect(
      expectError(await post(creditNoteBody(customerId, { number: 'CN-9' })), 409, 'conflict').details[0]
        ?.path,
    ).toBe('number')
    expect(
      expectError(await post(creditNoteBody(customerId, { externalId: 'e-9' })), 409, 'conflict').details[0]
        ?.path,
    ).toBe('externalId')
    const other = await seedTenant(api)
    await create(other.tenantId, creditNoteBody(other.customerId, { number: 'CN-9', externalId: 'e-9' }))
  })

  test('broken JSON, non-JSON, oversized bodies and unknown tenants are refused', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    expectError(await api.call('POST', paths.creditNotes(tenantId), { raw: '[{' }), 400, 'malformed_request')
    expectError(
      await api.call('POST', paths.creditNotes(tenantId), { raw: '<xml/>', contentType: 'application/xml' }),
      415,
      'unsupported_media_type',
    )
    expectError(
      await api.call('POST', paths.creditNotes(tenantId), { json: oversized() }),
      413,
      'payload_too_large',
    )
    expectError(
      await api.call('POST', paths.creditNotes('nobody-here'), { json: creditNoteBody(customerId) }),
      404,
      'not_found',
    )
  })
})

describe('PATCH /v1/tenants/{tenantId}/credit-notes/{id}', () => {
  test('every change bumps the version; a no-op does not', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const note = await create(tenantId, creditNoteBody(customerId))
    api.t.advance(1000)
    const v2 = await patch(tenantId, note.id, {
      lines: [validLine({ quantity: '1', unitPrice: '0.05', taxRate: '10' })],
    })
    expect(v2).toMatchObject({ version: 2, subtotal: '0.05', taxTotal: '0.01', total: '0.06' })
    expect(v2.updatedAt).toBe(new Date(api.t.now()).toISOString())
    api.t.advance(1000)
    expect(await patch(tenantId, note.id, { number: note.number, currency: 'GBP' })).toEqual(v2)
    const v3 = await patch(tenantId, note.id, { reference: 'R', status: 'sent' })
    expect(v3).toMatchObject({
      version: 3,
      reference: 'R',
      status: 'sent',
      sentAt: new Date(api.t.now()).toISOString(),
    })
    expect(await read(tenantId, note.id)).toEqual(v3)
  })

  test('status moves: draft → sent → void; a void credit note is final', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const note = await create(tenantId, creditNoteBody(customerId, { status: 'sent' }))
    expectError(
      await api.call('PATCH', url(tenantId, note.id), { json: { status: 'draft' } }),
      409,
      'invalid_state_change',
    )
    const voided = await patch(tenantId, note.id, { status: 'void' })
    expect(voided).toMatchObject({ status: 'void', version: 2 })
    for (const json of [{ notes: 'edit' }, { status: 'sent' }, { status: 'draft' }])
      expectError(await api.call('PATCH', url(tenantId, note.id), { json }), 409, 'invalid_state_change')
    expect(await read(tenantId, note.id)).toEqual(voided)
  })

  test('field errors, conflicts and a currency that no longer matches the invoice', async () => {
    const { tenantId, customerId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
    const first = await create(tenantId, creditNoteBody(customerId))
    const note = await create(tenantId, creditNoteBody(customerId, { invoiceId }))
    const send = (json: unknown) => api.call('PATCH', url(tenantId, note.id), { json })
    expectInvalid(await send({}), '(body)')
    expectInvalid(await send({ issueDate: '2026-13-01', lines: [] }), 'issueDate', 'lines')
    expectInvalid(await send({ currency: 'EUR' }), 'currency')
    const otherInvoice = await createId(
      api,
      paths.invoices(tenantId),
      invoiceBody(await createId(api, paths.customers(tenantId), customerBody())),
    )
    expectInvalid(await send({ invoiceId: otherInvoice }), 'invoiceId')
    expect(expectError(await send({ number: first.number }), 409, 'conflict').details[0]?.path).toBe('number')
    expectError(await api.call('PATCH', url(tenantId, note.id), { raw: '{"a"' }), 400, 'malformed_request')
    expectError(
      await api.call('PATCH', url(tenantId, note.id), { raw: 'a', contentType: 'text/csv' }),
      415,
      'unsupported_media_type',
    )
    expectError(await send(oversized()), 413, 'payload_too_large')
    expectError(await api.call('PATCH', url(tenantId, UNKNOWN), { json: { notes: 'x' } }), 404, 'not_found')
    expect(await read(tenantId, note.id)).toEqual(note)
    // Unlinking the invoice frees the currency.
    expect(await patch(tenantId, note.id, { invoiceId: null, currency: 'EUR' })).toMatchObject({
      invoiceId: null,
      currency: 'EUR',
      version: 2,
    })
  })
})

describe('GET /v1/tenants/{tenantId}/credit-notes', () => {
  test('pages of three walk every credit note exactly once, oldest first', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const ids = await createSpacedIn(api, 16, () =>
      createId(api, paths.creditNotes(tenantId), creditNoteBody(customerId)),
    )
    const pages = await walkPages(api, paths.creditNotes(tenantId), 3)
    expect(new Set(pages.flat())).toEqual(new Set(ids))
    expect(pages.flat()).toEqual(ids)
  })

  test('a forged cursor answers validation_failed; unknown ids answer not_found', async () => {
    const { tenantId } = await seedTenant(api)
    const forged = Buffer.from('crn_short').toString('base64url')
    expectInvalid(await api.call('GET', `${paths.creditNotes(tenantId)}?cursor=${forged}`), 'cursor')
    expectError(await api.call('GET', url(tenantId, UNKNOWN)), 404, 'not_found')
    expectError(await api.call('GET', paths.creditNotes('nobody-here')), 404, 'not_found')
    expectInvalid(await api.call('GET', url(tenantId, 'CN-1')), 'param.id')
  })
})

describe('another tenant', () => {
  test("cannot read or update tenant A's credit notes, and learns nothing of them", async () => {
    const a = await seedTenant(api)
    const b = await seedTenant(api)
    const note = await create(a.tenantId, creditNoteBody(a.customerId, { notes: 'secret-note-text' }))
    const answers = [
      await api.call('GET', url(b.tenantId, note.id)),
      await api.call('PATCH', url(b.tenantId, note.id), { json: { status: 'void' } }),
    ]
    for (const res of answers) {
      expectError(res, 404, 'not_found')
      expect(res.text).not.toContain('secret-note-text')
    }
    expect(expectPage(await api.call('GET', paths.creditNotes(b.tenantId)), CreditNoteSchema).data).toEqual(
      [],
    )
    expect(await read(a.tenantId, note.id)).toEqual(note)
  })
})

describe('credentials', () => {
  test('every credit note route refuses callers without a valid API key', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const note = await create(tenantId, creditNoteBody(customerId))
    await expectAllRefused(api, tenantId, 'POST', paths.creditNotes(tenantId), creditNoteBody(customerId))
    await expectAllRefused(api, tenantId, 'GET', paths.creditNotes(tenantId))
    await expectAllRefused(api, tenantId, 'GET', url(tenantId, note.id))
    await expectAllRefused(api, tenantId, 'PATCH', url(tenantId, note.id), { status: 'void' })
    expect(expectPage(await api.call('GET', paths.creditNotes(tenantId)), CreditNoteSchema).data).toEqual([
      note,
    ])
  })
})
