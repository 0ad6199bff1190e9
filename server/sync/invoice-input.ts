import { formatMinor } from '../../shared/money.ts'
import { AppError } from '../errors.ts'
import { storedLines } from '../records/lines.ts'
import type {
  InvoiceInput,
  ProviderAccount,
  ProviderRef,
  ProviderSync,
  ProviderTaxRate,
} from '../providers/sync-contract.ts'
import type { LinkRow } from './sync-repo.ts'

/**
 * From a stored invoice to what the provider is sent, with every mapping resolved and the totals
 * computed the provider's way. A line whose category or tax code has no usable mapping, or totals
 * the provider would compute differently from what the host billed, refuse the push with a code
 * and the figures, before anything is sent.
 */
export interface InvoiceForPush {
  id: string
  number: string
  reference: string | null
  notes: string | null
  currency: string
  issue_date: string
  due_date: string | null
  lines: string
  total_minor: number
  tax_minor: number
  version: number
}

export interface Chart {
  accounts: ProviderAccount[]
  taxRates: ProviderTaxRate[]
  currencies: string[]
}

export type Mappings = Map<string, { provider_ref: string; label: string }>

function accountFor(category: string, mappings: Mappings, chart: Chart) {
  const chosen = mappings.get(`category_account:${category}`) ?? mappings.get('default_account:*')
  if (!chosen)
    throw new AppError('mapping_missing', {
      message: `The category “${category}” has no revenue account, and there is no default account.`,
      details: [{ path: `mappings.categories.${category}`, message: 'Choose a revenue account' }],
    })
  const account = chart.accounts.find((a) => a.id === chosen.provider_ref || a.code === chosen.provider_ref)
  if (!account?.active)
    throw new AppError('mapping_missing', {
      message: `The account “${chosen.label}” chosen for “${category}” is archived or no longer exists.`,
      details: [{ path: `mappings.categories.${category}`, message: 'Choose another revenue account' }],
    })
  return account
}

function taxRateFor(taxCode: string, mappings: Mappings, chart: Chart) {
  const chosen = mappings.get(`tax_rate:${taxCode}`)
  const rate = chosen && chart.taxRates.find((r) => r.id === chosen.provider_ref)
  if (!rate?.active)
    throw new AppError('mapping_missing', {
      message: chosen
        ? `The tax rate “${chosen.label}” chosen for tax code ${taxCode} is archived or no longer exists.`
        : `The tax code ${taxCode} has no tax rate in your accounting software.`,
      details: [{ path: `mappings.taxCodes.${taxCode}`, message: 'Choose a tax rate' }],
    })
  return rate
}

export function buildInvoiceInput(options: {
  invoice: InvoiceForPush
  contact: ProviderRef
  link: LinkRow | undefined
  mappings: Mappings
  chart: Chart
  sync: ProviderSync
}): InvoiceInput {
  const { invoice, mappings, chart, sync } = options
  if (!chart.currencies.includes(invoice.currency))
    throw new AppError('currency_not_enabled', {
      message: `${invoice.currency} is not turned on in your accounting software.`,
    })
  const stored = storedLines(invoice.lines)
  const resolved = stored.map((line) => ({
    line,
    account: accountFor(line.category, mappings, chart),
    taxRate: line.taxCode ? taxRateFor(line.taxCode, mappings, chart) : null,
  }))
  const totals = sync.totals({
    currency: invoice.currency,
    amounts: 'tax_exclusive',
    lines: resolved.map(({ line, taxRate }) => ({
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountRate: line.discountRate,
      discountMinor: null,
      taxRate: taxRate ? taxRate.rate : line.taxRate,
    })),
  })
  if (totals.totalMinor !== BigInt(invoice.total_minor)) {
    const f = (m: bigint | number) => `${formatMinor(m, invoice.currency)} ${invoice.currency}`
    throw new AppError('total_mismatch', {
      message: `The app totals this invoice ${f(invoice.total_minor)} (tax ${f(invoice.tax_minor)}); your accounting software would total it ${f(totals.totalMinor)} (tax ${f(totals.taxMinor)}).`,
    })
  }
  const providerLines = options.link?.line_ids
    ? (JSON.parse(options.link.line_ids) as Record<string, string>)
    : {}
  return {
    invoiceId: invoice.id,
    number: invoice.number,
    reference: invoice.reference,
    contact: options.contact,
    currency: invoice.currency,
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    amounts: 'tax_exclusive',
    notes: invoice.notes,
    lines: resolved.map(({ line, account, taxRate }, i) => ({
      lineId: line.id,
      providerLineId: providerLines[line.id] ?? null,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountRate: line.discountRate,
      discountMinor: null,
      accountRef: account.code ?? account.id,
      taxRateRef: taxRate?.id ?? null,
      itemRef: mappings.get(`category_item:${line.category}`)?.provider_ref ?? null,
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: options.link ? { id: options.link.provider_id, version: options.link.provider_version } : null,
  }
}
