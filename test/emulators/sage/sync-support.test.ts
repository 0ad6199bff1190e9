import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedIds, standardLine } from './fixtures.ts'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, asErrors, asPage, connect } from './testing.ts'

/** What the sync relies on beyond the basics: contact-person e-mail, line ids, currencies, sort, drop_after. */
let emu: SageEmulator
let api: ReturnType<typeof apiClient>
let ids: ReturnType<typeof seedIds>
beforeEach(async () => {
  emu = await startSageEmulator()
  api = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.hartley)
  ids = seedIds(emu)
})
afterEach(() => emu.close())

const post = (extra: Record<string, unknown> = {}) =>
  api('/sales_invoices', {
    method: 'POST',
    body: {
      sales_invoice: {
        contact_id: ids.contact('ACME001'),
        date: '2026-11-02',
        invoice_lines: [standardLine(ids.ledger(4000)), standardLine(ids.ledger(4010))],
        ...extra,
      },
    },
  })
type Invoice = { id: string; invoice_lines: { id: string }[] } & Record<string, unknown>
const created = async (extra: Record<string, unknown> = {}) => (await (await post(extra)).json()) as Invoice
const put = (id: string, lines: unknown[]) =>
  api(`/sales_invoices/${id}`, { method: 'PUT', body: { sales_invoice: { invoice_lines: lines } } })

describe('contacts: e-mail lives on the main contact person', () => {
  it('main_contact_person.email is what ?email= filters on, case-insensitively', async () => {
    const created = await (
      await api('/contacts', {
        method: 'POST',
        body: {
          contact: {
            name: 'Wayne Enterprises',
            contact_type_ids: ['CUSTOMER'],
            main_contact_person: { email: 'AP@wayne.example', telephone: '0117' },
          },
        },
      })
    ).json()
    expect(created.main_contact_person).toMatchObject({ email: 'AP@wayne.example', telephone: '0117' })
    const page = await asPage(await api('/contacts?email=ap%40WAYNE.example'))
    expect(page.$items.map((c) => c.id)).toEqual([created.id])
    expect((await asPage(await api('/contacts?email=other%40wayne.example'))).$total).toBe(0)
  })
})

describe('PUT lines by id', () => {
  it('a line sent with its id keeps it, one without is new, _destroy removes one', async () => {
    const invoice = await created()
    const [a, b] = invoice.invoice_lines.map((l) => l.id)
    const res = await put(invoice.id, [
      standardLine(ids.ledger(4000), { id: a, quantity: 3, tax_amount: 30 }),
      { id: b, _destroy: true },
      standardLine(ids.ledger(4020), { tax_rate_id: 'GB_ZERO' }),
    ])
    const body = (await res.json()) as Invoice
    expect(res.status).toBe(200)
    expect(body.invoice_lines[0]!.id).toBe(a)
    expect(body.invoice_lines).toHaveLength(2)
    expect(body.invoice_lines[1]!.id).not.toBe(b)
    expect(body).toMatchObject({ net_amount: 250, tax_amount: 30, total_amount: 280 })
  })

  it("an id the invoice does not have, or twice, is Couldn't find record.", async () => {
    const invoice = await created()
    const other = await created()
    const foreign = other.invoice_lines[0]!.id
    const unknown = await put(invoice.id, [standardLine(ids.ledger(4000), { id: foreign })])
    expect(unknown.status).toBe(404)
    expect((await asErrors(unknown))[0]!.$dataCode).toBe('RecordNotFound')
    const a = invoice.invoice_lines[0]!.id
    const twice = await put(invoice.id, [
      standardLine(ids.ledger(4000), { id: a }),
      standardLine(ids.ledger(4000), { id: a }),
    ])
    expect(twice.status).toBe(404)
    expect(emu.control.business(SAGE_DEMO_IDS.hartley).artefacts.get(invoice.id)!.lines).toHaveLength(2)
  })
})

describe('currencies set up for the business', () => {
  it('/business_exchange_rates lists them; one not set up is refused', async () => {
    const rates = await asPage(await api('/business_exchange_rates?attributes=all'))
    expect(rates.$items.map((r) => (r.currency as { id: string }).id)).toEqual(['EUR', 'USD'])
    const aud = await post({ currency_id: 'AUD' })
    expect(aud.status).toBe(422)
    expect((await asErrors(aud))[0]).toMatchObject({ $dataCode: 'RecordInvalid', $source: 'currency_id' })
    expect((await post({ currency_id: 'USD' })).status).toBe(201)
  })
})

describe('GET /sales_invoices?sort=', () => {
  it('sorts by created_at descending (newest first, also within one second), and refuses another attribute', async () => {
    const first = await created()
    emu.control.advanceClock(2_000)
    const second = await created()
    const third = await created()
    const page = await asPage(await api('/sales_invoices?sort=created_at:desc'))
    expect(page.$items.map((i) => i.id)).toEqual([third.id, second.id, first.id])
    const asc = await asPage(await api('/sales_invoices?sort=created_at'))
    expect(asc.$items.map((i) => i.id)).toEqual([first.id, second.id, third.id])
    expect((await api('/sales_invoices?sort=total_amount:desc')).status).toBe(422)
  })
})

describe('drop_after', () => {
  it('applies the write, then drops the connection before the answer', async () => {
    emu.control.injectFault({ kind: 'drop_after' })
    await expect(post({ invoice_number: 'LL-DROP' })).rejects.toThrow()
    const page = await asPage(await api('/sales_invoices?attributes=invoice_number'))
    expect(page.$items.map((i) => i.invoice_number)).toEqual(['LL-DROP'])
  })
})
