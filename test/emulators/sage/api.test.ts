import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SAGE_DEMO_IDS, startSageEmulator, type SageEmulator } from './index.ts'
import { apiClient, asItem, asPage, connect } from './testing.ts'

let emu: SageEmulator
let token: string
beforeEach(async () => {
  emu = await startSageEmulator()
  token = (await connect(emu)).access_token
})
afterEach(() => emu.close())

const { hartley, brightwater, dana } = SAGE_DEMO_IDS

describe('businesses and X-Business', () => {
  it('GET /businesses lists every business of the user in the documented shape', async () => {
    const body = await (await apiClient(emu, token)('/businesses')).json()
    expect(body).toEqual({
      $total: 2,
      $page: 1,
      $next: null,
      $back: null,
      $items_per_page: 2147483647,
      $items: [
        { id: hartley, displayed_as: 'Hartley & Finch Ltd', $path: `/businesses/${hartley}` },
        { id: brightwater, displayed_as: 'Brightwater Studio Ltd', $path: `/businesses/${brightwater}` },
      ],
    })
  })

  it('without X-Business the lead business answers, and the lead can change under the app', async () => {
    const settings = async (business?: string) =>
      (await asItem(await apiClient(emu, token, business)('/financial_settings'))).tax_number
    expect(await settings()).toBe('GB293847561')
    emu.control.setLeadBusiness(dana, brightwater)
    expect(await settings()).toBeNull()
    expect(await settings(hartley)).toBe('GB293847561')
    expect(emu.control.requests().at(-1)!.organisation).toBe(hartley)
  })

  it('a business the user cannot see is refused with 401', async () => {
    const res = await apiClient(emu, token, 'f'.repeat(32))('/contacts')
    expect(res.status).toBe(401)
    expect((await res.json())[0].$dataCode).toBe('AuthorizationFailure')
  })

  it('a lapsed subscription answers the documented 401 body', async () => {
    emu.control.setSubscriptionActive(hartley, false)
    const res = await apiClient(emu, token, hartley)('/contacts')
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual([
      {
        $severity: 'error',
        $dataCode: 'AuthorizationFailure',
        $message: 'No active subscription. (MSE)',
        $source: '',
      },
    ])
  })
})

describe('request rules', () => {
  it('no bearer token is 401 with the error array', async () => {
    const res = await fetch(`${emu.url}/v3.1/contacts`)
    expect(res.status).toBe(401)
    expect((await res.json())[0]).toMatchObject({
      $severity: 'error',
      $dataCode: 'AuthorizationFailure',
      $source: '',
    })
  })

  it('a readonly token cannot write', async () => {
    const readonly = (await connect(emu, { params: { scope: 'readonly' } })).access_token
    const res = await apiClient(emu, readonly)('/contacts', {
      method: 'POST',
      body: { contact: { name: 'X', contact_type_ids: ['CUSTOMER'] } },
    })
    expect(res.status).toBe(401)
  })

  it('a body that is not JSON is 415', async () => {
    const res = await apiClient(emu, token)('/contacts', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    })
    expect(res.status).toBe(415)
    expect((await res.json())[0].$severity).toBe('error')
  })

  it('an unknown path or key is 404 with the error array', async () => {
    expect((await apiClient(emu, token)('/nothing_here')).status).toBe(404)
    const res = await apiClient(emu, token)(`/contacts/${'0'.repeat(32)}`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual([
      { $severity: 'error', $dataCode: 'RecordNotFound', $message: "Couldn't find record.", $source: '' },
    ])
  })
})

describe('reference data', () => {
  it('lists answer base attributes only unless attributes=all', async () => {
    const api = apiClient(emu, token, hartley)
    const lean = await asPage(await api('/ledger_accounts?items_per_page=200'))
    expect(Object.keys(lean.$items[0]!).sort()).toEqual(['$path', 'displayed_as', 'id'])
    const full = await asPage(await api('/ledger_accounts?items_per_page=200&attributes=all'))
    const sales = full.$items.find((a) => a.nominal_code === 4000)
    expect(sales).toMatchObject({
      displayed_as: 'Sales Type A (4000)',
      visible_in_sales: true,
      ledger_account_type: { id: 'SALES' },
    })
    const some = await asPage(await api('/ledger_accounts?attributes=nominal_code'))
    expect(Object.keys(some.$items[0]!).sort()).toEqual(['$path', 'displayed_as', 'id', 'nominal_code'])
  })

  it('a VAT-registered business has the UK VAT rates; an unregistered one only No VAT', async () => {
    const ids = async (business: string) =>
      (await asPage(await apiClient(emu, token, business)('/tax_rates'))).$items.map((r) => r.id)
    expect(await ids(hartley)).toEqual(['GB_STANDARD', 'GB_REDUCED', 'GB_ZERO', 'GB_EXEMPT', 'GB_NO_TAX'])
    expect(await ids(brightwater)).toEqual(['GB_NO_TAX'])
    const standard = await (await apiClient(emu, token, hartley)('/tax_rates/GB_STANDARD')).json()
    expect(standard.percentage).toBe(20)
  })

  it('financial settings, currencies and the bank account', async () => {
    const api = apiClient(emu, token, hartley)
    expect(await (await api('/financial_settings')).json()).toMatchObject({
      base_currency: { id: 'GBP' },
      multi_currency_enabled: true,
      accounting_type: 'accrual',
    })
    const currencies = await asPage(await api('/currencies?attributes=all'))
    expect(currencies.$items.map((c) => c.id)).toContain('EUR')
    const banks = await (await api('/bank_accounts?attributes=all')).json()
    expect(banks.$items[0]).toMatchObject({
      displayed_as: 'Current (1200)',
      nominal_code: 1200,
      bank_account_type: { id: 'CHECKING' },
    })
  })

  it('GET /user names the signed-in user', async () => {
    expect(await (await apiClient(emu, token)('/user')).json()).toMatchObject({
      id: dana,
      email: 'dana@hartleyfinch.example',
    })
  })
})
