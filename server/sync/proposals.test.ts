import { expect, test } from 'vitest'
import type { ProviderAccount } from '../providers/sync-contract.ts'
import type { Chart } from './chart.ts'
import { proposePaymentAccount, proposeSalesAccount, proposeTaxRate } from './proposals.ts'

const account = (
  code: string | null,
  name: string,
  kind: ProviderAccount['kind'],
  more: Partial<ProviderAccount> = {},
) => ({
  id: `id-${code ?? name}`,
  code,
  name,
  kind,
  active: true,
  acceptsPayments: kind === 'bank',
  ...more,
})
const chart = (accounts: ProviderAccount[], taxRates: Chart['taxRates'] = []): Chart => ({
  accounts,
  taxRates,
  currencies: ['GBP'],
  items: null,
  fetchedAt: 0,
})

test('the sales account is found by its name, never an archived or non-revenue one', () => {
  const c = chart([
    account('260', 'Other Revenue', 'revenue'),
    account('100', 'Sales', 'revenue', { active: false }),
    account('300', 'Sales Returns', 'other'),
    account('210', 'Product Sales', 'revenue'),
    account('205', 'Sales - Services', 'revenue'),
  ])
  expect(proposeSalesAccount(c)?.code).toBe('205')
})

test('a renamed chart with no "sales" account proposes its first revenue account by code, interest last', () => {
  const c = chart([
    account('4100', 'Turnover B', 'revenue'),
    account('4020', 'Turnover A', 'revenue'),
    account('4010', 'Interest received', 'revenue'),
    account('0900', 'Bank', 'bank'),
  ])
  expect(proposeSalesAccount(c)?.code).toBe('4020')
  expect(proposeSalesAccount(chart([account('0900', 'Bank', 'bank')]))).toBeNull()
})

test('payments go to a bank account before a clearing account that accepts them', () => {
  const c = chart([
    account('855', 'Clearing', 'other', { acceptsPayments: true }),
    account('091', 'Savings', 'bank'),
    account('090', 'Current', 'bank', { active: false }),
  ])
  expect(proposePaymentAccount(c)?.code).toBe('091')
})

test('tax rates match by percentage, the code breaking a tie; no local rate, no proposal', () => {
  const rate = (id: string, name: string, r: string, active = true) => ({ id, name, rate: r, active })
  const c = chart(
    [],
    [
      rate('Z', 'Zero Rated', '0'),
      rate('EX', 'Exempt', '0'),
      rate('R', 'Reduced 5%', '5.00', false),
      rate('S', '20%', '20'),
    ],
  )
  expect(proposeTaxRate(c, 'EXEMPT', '0')?.id).toBe('EX')
  expect(proposeTaxRate(c, 'ZERO', '0.00')?.id).toBe('Z')
  expect(proposeTaxRate(c, 'VAT', '20.0')?.id).toBe('S')
  expect(proposeTaxRate(c, 'RED', '5')).toBeNull()
  expect(proposeTaxRate(c, 'VAT', null)).toBeNull()
})
