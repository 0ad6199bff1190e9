import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedIds, standardLine } from './fixtures.ts'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, asErrors, connect } from './testing.ts'

let emu: SageEmulator
let api: ReturnType<typeof apiClient>
let ids: ReturnType<typeof seedIds>
beforeEach(async () => {
  emu = await startSageEmulator()
  api = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.hartley)
  ids = seedIds(emu)
})
afterEach(() => emu.close())

const post = (invoice: Record<string, unknown>) =>
  api('/sales_invoices', { method: 'POST', body: { sales_invoice: invoice } })
const invoice = (extra: Record<string, unknown> = {}) => ({
  contact_id: ids.contact('ACME001'),
  date: '2026-11-02',
  invoice_lines: [standardLine(ids.ledger(4000))],
  ...extra,
})
const errors = async (res: Response) => ({ status: res.status, body: await asErrors(res) })

describe('POST /sales_invoices', () => {
  it('creates an unpaid invoice, numbered SI-n, with totals from the lines and a 30-day due date', async () => {
    const res = await post(
      invoice({
        invoice_lines: [
          standardLine(ids.ledger(4000)),
          {
            description: 'Books',
            ledger_account_id: ids.ledger(4020),
            quantity: 3,
            unit_price: 3.33,
            tax_rate_id: 'GB_ZERO',
          },
        ],
      }),
    )
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toMatchObject({
      displayed_as: 'SI-1',
      invoice_number: 'SI-1',
      invoice_number_prefix: 'SI-',
      status: { id: 'UNPAID', displayed_as: 'Unpaid' },
      due_date: '2026-12-02',
      net_amount: 109.99,
      tax_amount: 20,
      total_amount: 129.99,
      outstanding_amount: 129.99,
      currency: { id: 'GBP' },
      contact: { id: ids.contact('ACME001'), displayed_as: 'Acme Trading Ltd (ACME001)' },
      editable: true,
    })
    expect(body.invoice_lines[1]).toMatchObject({
      net_amount: 9.99,
      tax_amount: 0,
      total_amount: 9.99,
      tax_rate: { id: 'GB_ZERO' },
    })
    expect((await (await post(invoice())).json()).invoice_number).toBe('SI-2')
  })

  it('the same POST twice makes two invoices (no idempotency key in Sage)', async () => {
    await post(invoice({ reference: 'ORDER-7' }))
    await post(invoice({ reference: 'ORDER-7' }))
    expect((await (await api('/sales_invoices?search=ORDER-7')).json()).$total).toBe(2)
  })

  it('an explicit invoice number already taken is refused', async () => {
    expect((await post(invoice({ invoice_number: 'EXT-1' }))).status).toBe(201)
    const { status, body } = await errors(await post(invoice({ invoice_number: 'EXT-1' })))
    expect(status).toBe(422)
    expect(body[0]).toMatchObject({ $dataCode: 'RecordInvalid', $source: 'invoice_number' })
  })

  it('names missing header and line parameters', async () => {
    const { status, body } = await errors(
      await post({ invoice_lines: [{ description: 'x', ledger_account_id: ids.ledger(4000) }] }),
    )
    expect(status).toBe(422)
    expect(body.map((e) => e.$message)).toEqual([
      'sales_invoice[contact_id] is missing',
      'sales_invoice[date] is missing',
    ])
    const line = await errors(
      await post(invoice({ invoice_lines: [{ description: 'x', ledger_account_id: ids.ledger(4000) }] })),
    )
    expect(line.body[0]).toMatchObject({
      $dataCode: 'Validation',
      $message: 'sales_invoice[invoice_lines][0][unit_price] is missing',
    })
    const badDate = await errors(await post(invoice({ date: '02/11/2026' })))
    expect(badDate.body[0]!.$message).toBe('sales_invoice[date] is invalid')
  })

  it('a VAT-registered business needs a tax rate on each line, and a tax_amount unless the rate is zero', async () => {
    const noRate = await errors(
      await post(invoice({ invoice_lines: [standardLine(ids.ledger(4000), { tax_rate_id: undefined })] })),
    )
    expect(noRate).toEqual({
      status: 422,
      body: [
        {
          $severity: 'error',
          $dataCode: 'RecordInvalid',
          $message: 'This field is required.',
          $source: 'line_items.tax_rate_id',
        },
      ],
    })
    const noTax = await errors(
      await post(invoice({ invoice_lines: [standardLine(ids.ledger(4000), { tax_amount: undefined })] })),
    )
    expect(noTax.body[0]!.$source).toBe('line_items.tax_amount')
    expect(
      (
        await post(
          invoice({
            invoice_lines: [
              standardLine(ids.ledger(4000), { tax_rate_id: 'GB_EXEMPT', tax_amount: undefined }),
            ],
          }),
        )
      ).status,
    ).toBe(201)
  })

  it('a business not registered for VAT takes lines without a tax rate', async () => {
    const other = seedIds(emu, SAGE_DEMO_IDS.brightwater)
    const api2 = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.brightwater)
    const res = await api2('/sales_invoices', {
      method: 'POST',
      body: {
        sales_invoice: {
          contact_id: other.contact('LUMEN001'),
          date: '2026-11-02',
          invoice_lines: [{ description: 'Logo', ledger_account_id: other.ledger(4000), unit_price: 400 }],
        },
      },
    })
    expect(res.status).toBe(201)
    expect((await res.json()).total_amount).toBe(400)
  })

  it.each([
    ['an unknown account', () => 'f'.repeat(32)],
    ['an account removed from the chart', () => ids.ledger(4030)],
    ['an account not visible in sales', () => ids.ledger(7100)],
  ])('a line on %s is RecordNotFound', async (_, account) => {
    const { status, body } = await errors(await post(invoice({ invoice_lines: [standardLine(account())] })))
    expect(status).toBe(404)
    expect(body[0]).toMatchObject({ $dataCode: 'RecordNotFound', $message: "Couldn't find record." })
  })

  it('a supplier is not a customer: "Couldn\'t find Customer."', async () => {
    const { status, body } = await errors(await post(invoice({ contact_id: ids.contact('PAPER001') })))
    expect(status).toBe(422)
    expect(body[0]).toMatchObject({ $dataCode: 'RecordInvalid', $message: "Couldn't find Customer." })
  })

  it('a foreign-currency invoice carries the exchange rate and base-currency amounts', async () => {
    const body = await (
      await post(invoice({ contact_id: ids.contact('GLOBEX01'), exchange_rate: 1.25 }))
    ).json()
    expect(body).toMatchObject({
      currency: { id: 'EUR' },
      exchange_rate: 1.25,
      total_amount: 120,
      base_currency_total_amount: 96,
    })
  })
})

describe('editing, voiding and drafts', () => {
  it('PUT replaces lines and totals while unpaid, and is refused once a payment is allocated', async () => {
    const created = await (await post(invoice())).json()
    const put = (body: Record<string, unknown>) =>
      api(`/sales_invoices/${created.id}`, { method: 'PUT', body: { sales_invoice: body } })
    const edited = await (
      await put({ invoice_lines: [standardLine(ids.ledger(4000), { quantity: 1, tax_amount: 10 })] })
    ).json()
    expect(edited).toMatchObject({ total_amount: 60, outstanding_amount: 60, invoice_number: 'SI-1' })
    emu.control.recordPayment({ businessId: SAGE_DEMO_IDS.hartley, invoiceId: created.id, amount: 10 })
    const { status, body } = await errors(await put({ notes: 'late edit' }))
    expect(status).toBe(422)
    expect(body[0]!.$dataCode).toBe('RecordInvalid')
  })

  it('DELETE voids with a void_reason (required), after which the invoice is not editable', async () => {
    const created = await (await post(invoice())).json()
    const missing = await errors(await api(`/sales_invoices/${created.id}`, { method: 'DELETE' }))
    expect(missing.body[0]).toMatchObject({ $dataCode: 'Validation', $message: 'void_reason is missing' })
    expect(
      (await api(`/sales_invoices/${created.id}?void_reason=Duplicate`, { method: 'DELETE' })).status,
    ).toBe(204)
    const voided = await (await api(`/sales_invoices/${created.id}`)).json()
    expect(voided).toMatchObject({
      status: { id: 'VOID' },
      void_reason: 'Duplicate',
      outstanding_amount: 0,
      editable: false,
    })
    const put = await api(`/sales_invoices/${created.id}`, {
      method: 'PUT',
      body: { sales_invoice: { notes: 'x' } },
    })
    expect(put.status).toBe(422)
  })

  it('a draft is released to unpaid, and deleting a draft removes it', async () => {
    const draft = await (await post(invoice({ status_id: 'DRAFT' }))).json()
    expect(draft.status.id).toBe('DRAFT')
    const released = await (await api(`/sales_invoices/${draft.id}/release`, { method: 'POST' })).json()
    expect(released.status.id).toBe('UNPAID')
    const other = await (await post(invoice({ status_id: 'DRAFT' }))).json()
    expect((await api(`/sales_invoices/${other.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(`/sales_invoices/${other.id}`)).status).toBe(404)
  })
})

describe('POST /sales_credit_notes', () => {
  it('creates SCN-n with credit_note_lines', async () => {
    const res = await api('/sales_credit_notes', {
      method: 'POST',
      body: {
        sales_credit_note: {
          contact_id: ids.contact('ACME001'),
          date: '2026-11-03',
          credit_note_lines: [standardLine(ids.ledger(4000))],
        },
      },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({
      credit_note_number: 'SCN-1',
      total_amount: 120,
      credit_note_lines: [{ net_amount: 100 }],
    })
  })
})
