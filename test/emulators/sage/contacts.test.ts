import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { seedIds } from './fixtures.ts'
import { apiClient, asPage, connect } from './testing.ts'

let emu: SageEmulator
let api: ReturnType<typeof apiClient>
beforeEach(async () => {
  emu = await startSageEmulator()
  api = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.hartley)
})
afterEach(() => emu.close())

const create = (contact: Record<string, unknown>) => api('/contacts', { method: 'POST', body: { contact } })

describe('POST /contacts', () => {
  it('creates a customer (201) displayed as "Name (REFERENCE)"', async () => {
    const res = await create({
      name: 'Wayne Enterprises',
      contact_type_ids: ['CUSTOMER'],
      reference: 'WAYNE01',
      email: 'ap@wayne.example',
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toMatchObject({
      displayed_as: 'Wayne Enterprises (WAYNE01)',
      contact_types: [{ id: 'CUSTOMER', displayed_as: 'Customer' }],
      currency: { id: 'GBP' },
      email: 'ap@wayne.example',
    })
    expect(body.id).toMatch(/^[0-9a-f]{32}$/)
    expect((await api(`/contacts/${body.id}`)).status).toBe(200)
  })

  it('fills a missing reference from the name', async () => {
    const body = await (await create({ name: 'Wayne Enterprises', contact_type_ids: ['CUSTOMER'] })).json()
    expect(body.reference).toBe('WAYNEE001')
  })

  it('names each missing required parameter the way Grape does', async () => {
    const res = await create({ email: 'x@y.example' })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual([
      {
        $severity: 'error',
        $dataCode: 'Validation',
        $message: 'contact[name] is missing',
        $source: 'contact[name]',
      },
      {
        $severity: 'error',
        $dataCode: 'Validation',
        $message: 'contact[contact_type_ids] is missing',
        $source: 'contact[contact_type_ids]',
      },
    ])
  })

  it('a body without the root object is "contact is missing"', async () => {
    const res = await api('/contacts', { method: 'POST', body: { name: 'Loose' } })
    expect(await res.json()).toEqual([
      { $severity: 'error', $dataCode: 'Validation', $message: 'contact is missing', $source: 'contact' },
    ])
  })

  it('refuses a reference already in use (RecordInvalid) but lets a name repeat: no idempotency', async () => {
    const dup = await create({ name: 'Someone', contact_type_ids: ['CUSTOMER'], reference: 'acme001' })
    expect(dup.status).toBe(422)
    expect((await dup.json())[0]).toMatchObject({ $dataCode: 'RecordInvalid', $source: 'reference' })
    const twice = [
      await create({ name: 'Acme Trading Ltd', contact_type_ids: ['CUSTOMER'] }),
      await create({ name: 'Acme Trading Ltd', contact_type_ids: ['CUSTOMER'] }),
    ]
    expect(twice.map((r) => r.status)).toEqual([201, 201])
    const list = await (await api('/contacts?search=acme%20trading')).json()
    expect(list.$total).toBe(3)
  })

  it('an unknown currency is RecordNotFound; a foreign one without multi-currency is RecordInvalid', async () => {
    expect((await create({ name: 'X', contact_type_ids: ['CUSTOMER'], currency_id: 'XXX' })).status).toBe(404)
    const other = apiClient(emu, (await connect(emu)).access_token, SAGE_DEMO_IDS.brightwater)
    const res = await other('/contacts', {
      method: 'POST',
      body: { contact: { name: 'X', contact_type_ids: ['CUSTOMER'], currency_id: 'EUR' } },
    })
    expect(res.status).toBe(422)
    expect((await res.json())[0]).toMatchObject({ $dataCode: 'RecordInvalid', $source: 'currency_id' })
  })
})

describe('PUT, DELETE and filters', () => {
  it('updates a contact and moves updated_at', async () => {
    const created = await (await create({ name: 'Old Name', contact_type_ids: ['CUSTOMER'] })).json()
    emu.control.advanceClock(5_000)
    const res = await api(`/contacts/${created.id}`, {
      method: 'PUT',
      body: { contact: { name: 'New Name' } },
    })
    const body = await res.json()
    expect(body.name).toBe('New Name')
    expect(body.updated_at > created.updated_at).toBe(true)
  })

  it('deletes a contact without transactions (204) and refuses one with an invoice', async () => {
    const created = await (await create({ name: 'Brief', contact_type_ids: ['CUSTOMER'] })).json()
    expect((await api(`/contacts/${created.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(`/contacts/${created.id}`)).status).toBe(404)
    const acme = seedIds(emu).contact('ACME001')
    const sales = seedIds(emu).ledger(4020)
    await api('/sales_invoices', {
      method: 'POST',
      body: {
        sales_invoice: {
          contact_id: acme,
          date: '2026-11-02',
          invoice_lines: [
            { description: 'x', ledger_account_id: sales, unit_price: 1, tax_rate_id: 'GB_ZERO' },
          ],
        },
      },
    })
    const refused = await api(`/contacts/${acme}`, { method: 'DELETE' })
    expect(refused.status).toBe(422)
  })

  it('filters by contact_type_id', async () => {
    const vendors = await asPage(await api('/contacts?contact_type_id=VENDOR'))
    expect(vendors.$items.map((c) => c.displayed_as)).toEqual(['Paper Supplies Co (PAPER001)'])
  })
})
