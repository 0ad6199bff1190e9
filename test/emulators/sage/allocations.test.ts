import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedIds, standardLine } from './fixtures.ts'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, asErrors, asItem, connect } from './testing.ts'

/** Credit notes set against invoices (contact_allocations), and what Sage refuses of them. */
let emu: SageEmulator
let api: ReturnType<typeof apiClient>
let ids: ReturnType<typeof seedIds>
let invoiceId: string
beforeEach(async () => {
  emu = await startSageEmulator()
  api = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.hartley)
  ids = seedIds(emu)
  const res = await api('/sales_invoices', {
    method: 'POST',
    body: {
      sales_invoice: {
        contact_id: ids.contact('ACME001'),
        date: '2026-11-02',
        invoice_lines: [standardLine(ids.ledger(4000))],
      },
    },
  })
  invoiceId = (await asItem(res)).id
})
afterEach(() => emu.close())

const invoice = async () => asItem(await api(`/sales_invoices/${invoiceId}?show_payments_allocations=true`))

describe('POST /contact_allocations', () => {
  async function creditNote(total: number, extra: Record<string, unknown> = {}) {
    const res = await api('/sales_credit_notes', {
      method: 'POST',
      body: {
        sales_credit_note: {
          contact_id: ids.contact('ACME001'),
          date: '2026-11-03',
          credit_note_lines: [
            standardLine(ids.ledger(4000), {
              quantity: 1,
              unit_price: total / 1.2,
              tax_amount: total - total / 1.2,
            }),
          ],
          ...extra,
        },
      },
    })
    return (await res.json()).id as string
  }
  const allocate = (artefacts: unknown[], contact = 'ACME001') =>
    api('/contact_allocations', {
      method: 'POST',
      body: {
        contact_allocation: {
          transaction_type_id: 'CUSTOMER_ALLOCATION',
          contact_id: ids.contact(contact),
          allocated_artefacts: artefacts,
        },
      },
    })
  const note = async (id: string) =>
    asItem(await api(`/sales_credit_notes/${id}?show_payments_allocations=true`))
  const against = (invoice: string, cn: string, amount: number) => [
    { artefact_id: invoice, amount },
    { artefact_id: cn, amount: -amount },
  ]

  it('sets a credit note (negative) against an invoice (positive)', async () => {
    const cn = await creditNote(24)
    const res = await allocate([
      { artefact_id: invoiceId, amount: 24 },
      { artefact_id: cn, amount: -24 },
    ])
    expect(res.status).toBe(201)
    expect((await invoice()).outstanding_amount).toBe(96)
    expect(await (await api(`/sales_credit_notes/${cn}`)).json()).toMatchObject({
      outstanding_amount: 0,
      status: { id: 'PAID' },
    })
  })

  it('refuses allocations that do not balance to zero', async () => {
    const cn = await creditNote(24)
    const res = await allocate([
      { artefact_id: invoiceId, amount: 20 },
      { artefact_id: cn, amount: -24 },
    ])
    expect(res.status).toBe(422)
  })

  it('part allocations: the credit note goes part paid, then paid; each document keeps what is left', async () => {
    const cn = await creditNote(60)
    expect((await allocate(against(invoiceId, cn, 20))).status).toBe(201)
    expect(await note(cn)).toMatchObject({
      status: { id: 'PART_PAID' },
      outstanding_amount: 40,
      editable: false,
    })
    expect((await allocate(against(invoiceId, cn, 40))).status).toBe(201)
    expect(await note(cn)).toMatchObject({ status: { id: 'PAID' }, outstanding_amount: 0 })
    expect((await invoice()).outstanding_amount).toBe(60)
  })

  it.each([
    ["more than the credit note's outstanding", 24, 30],
    ["more than the invoice's outstanding", 240, 120.01],
  ])('refuses %s, and moves nothing', async (_, total, amount) => {
    const cn = await creditNote(total)
    const res = await allocate(against(invoiceId, cn, amount))
    expect(res.status).toBe(422)
    expect((await asErrors(res))[0]).toMatchObject({
      $dataCode: 'RecordInvalid',
      $message: 'The allocated amount is greater than the outstanding amount.',
      $source: 'allocated_artefacts',
    })
    expect((await note(cn)).outstanding_amount).toBe(total)
    expect((await invoice()).outstanding_amount).toBe(120)
  })

  it('refuses a void credit note, and one of another contact', async () => {
    const other = await creditNote(24, { contact_id: ids.contact('NORTH001') })
    expect((await allocate(against(invoiceId, other, 10))).status).toBe(404)
    const cn = await creditNote(24)
    expect((await api(`/sales_credit_notes/${cn}?void_reason=Wrong`, { method: 'DELETE' })).status).toBe(204)
    expect((await allocate(against(invoiceId, cn, 10))).status).toBe(422)
    expect((await invoice()).outstanding_amount).toBe(120)
  })

  it('refuses to set documents in two currencies against each other', async () => {
    const res = await api('/sales_invoices', {
      method: 'POST',
      body: {
        sales_invoice: {
          contact_id: ids.contact('GLOBEX01'),
          date: '2026-11-02',
          invoice_lines: [standardLine(ids.ledger(4000))],
        },
      },
    })
    const eur = (await asItem(res)).id
    const gbp = await creditNote(24, { contact_id: ids.contact('GLOBEX01'), currency_id: 'GBP' })
    const refused = await allocate(against(eur, gbp, 24), 'GLOBEX01')
    expect(refused.status).toBe(422)
    expect((await asErrors(refused))[0]).toMatchObject({
      $dataCode: 'RecordInvalid',
      $source: 'allocated_artefacts',
    })
    expect((await note(gbp)).outstanding_amount).toBe(24)
    const euro = await creditNote(24, { contact_id: ids.contact('GLOBEX01') })
    expect((await note(euro)).currency).toMatchObject({ id: 'EUR' })
    expect((await allocate(against(eur, euro, 24), 'GLOBEX01')).status).toBe(201)
  })

  it('an allocated credit note can be neither edited nor voided until its allocation is deleted', async () => {
    const cn = await creditNote(24)
    const allocation = await asItem(await allocate(against(invoiceId, cn, 12)))
    const edit = () =>
      api(`/sales_credit_notes/${cn}`, { method: 'PUT', body: { sales_credit_note: { notes: 'x' } } })
    const voiding = () => api(`/sales_credit_notes/${cn}?void_reason=Wrong`, { method: 'DELETE' })
    expect((await edit()).status).toBe(422)
    expect((await voiding()).status).toBe(422)
    expect(await note(cn)).toMatchObject({ status: { id: 'PART_PAID' }, outstanding_amount: 12 })

    expect((await api(`/contact_allocations/${allocation.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await invoice()).outstanding_amount).toBe(120)
    expect((await edit()).status).toBe(200)
    expect((await voiding()).status).toBe(204)
    expect(await note(cn)).toMatchObject({ status: { id: 'VOID' }, outstanding_amount: 0 })
  })

  it("lists each allocation on the credit note's payments_allocations, linked to it", async () => {
    const cn = await creditNote(24)
    const allocation = await asItem(await allocate(against(invoiceId, cn, 24)))
    expect((await note(cn)).payments_allocations).toEqual([
      expect.objectContaining({
        contact_payment: null,
        contact_allocation: expect.objectContaining({
          id: allocation.id,
          $path: `/contact_allocations/${allocation.id}`,
        }),
      }),
    ])
    expect(await asItem(await api(`/contact_allocations/${allocation.id}`))).toMatchObject({
      transaction_type: { id: 'CUSTOMER_ALLOCATION' },
      allocated_artefacts: [
        { artefact: { id: invoiceId }, amount: 24 },
        { artefact: { id: cn }, amount: -24 },
      ],
    })
  })
})
