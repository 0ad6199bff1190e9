import type { ProviderAccount, ProviderItem, ProviderTaxRate } from '../providers/sync-contract.ts'
import type { Chart } from './chart.ts'
import { choices } from './mapping-rules.ts'

/**
 * Sensible defaults read from the chart (CERTIFICATION XR-M03), shown to the admin as proposals and
 * saved only when the admin saves them. From data alone, never from the provider's name: each
 * provider's default chart names its sales account "Sales…" (Xero "Sales" 200, QuickBooks "Sales of
 * Product Income", Sage "Sales Type A" 4000), so the proposal holds on a renamed chart too as long
 * as a revenue account says "sales", and falls back to the first revenue account by code.
 */
export interface Proposal {
  ref: string
  label: string
  reason: string
}

const words = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase()
const byCode = (a: { code?: string | null; name: string }, b: { code?: string | null; name: string }) =>
  (a.code ?? '\uffff').localeCompare(b.code ?? '\uffff', 'en', { numeric: true }) ||
  a.name.localeCompare(b.name)

function salesRank(account: ProviderAccount): number {
  const name = words(account.name)
  if (name === 'sales') return 0
  if (name.startsWith('sales')) return 1
  if (/\bsales\b/.test(name)) return 2
  // Interest and discounts are revenue accounts too, but never where sales belong.
  if (/\b(interest|discounts?)\b/.test(name)) return 5
  if (/\b(income|revenue|services?)\b/.test(name) && !/\bother\b/.test(name)) return 3
  return 4
}

/** The organisation's sales account: the active revenue account a bookkeeper would pick first. */
export function proposeSalesAccount(chart: Chart): ProviderAccount | null {
  const revenue = choices(chart, 'category_account') as ProviderAccount[]
  return [...revenue].sort((a, b) => salesRank(a) - salesRank(b) || byCode(a, b))[0] ?? null
}

/** Where payments go: a bank account first, then any account that accepts payments. */
export function proposePaymentAccount(chart: Chart): ProviderAccount | null {
  const open = choices(chart, 'payment_account') as ProviderAccount[]
  const rank = (a: ProviderAccount) => (a.kind === 'bank' ? 0 : 1)
  return [...open].sort((a, b) => rank(a) - rank(b) || byCode(a, b))[0] ?? null
}

/**
 * The provider's tax rate for a local code, matched by percentage (the code's own name breaks a
 * tie: "Standard 20%" for STANDARD). No rate on the lines, no proposal: a guess could file tax wrong.
 */
export function proposeTaxRate(chart: Chart, code: string, localRate: string | null): ProviderTaxRate | null {
  if (localRate === null) return null
  const same = (choices(chart, 'tax_rate') as ProviderTaxRate[]).filter(
    (r) => Number(r.rate) === Number(localRate),
  )
  const named = same.find((r) => words(r.name).includes(words(code)))
  return named ?? same[0] ?? null
}

/** An existing item named as the category; otherwise the admin may create one (with consent). */
export function proposeItem(chart: Chart, category: string): ProviderItem | null {
  const open = choices(chart, 'category_item') as ProviderItem[]
  return open.find((i) => words(i.name) === words(category)) ?? null
}
