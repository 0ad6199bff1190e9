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
import type { Chart } from './chart.ts'
import { accountChoice, needsItems, resolve } from './mapping-rules.ts'
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
  /** Its push version: links and errors are written at it. */
  version: number
}

export type Mappings = Map<string, { provider_ref: string; label: string }>

const missing = (message: string, path: string, fix: string) =>
  new AppError('mapping_missing', { message, details: [{ path, message: fix }] })

function accountFor(category: string, mappings: Mappings, chart: Chart) {
  const choice = accountChoice(mappings, category)
  const path = `mappings.categories.${category}`
  if (!choice)
    throw missing(
      `The category “${category}” has no revenue account, and there is no default account.`,
      path,
      'Choose a revenue account',
    )
  const { chosen, kind } = choice
  const { entry, problem } = resolve(chart, kind, chosen.provider_ref)
  if (problem)
    throw missing(
      `The account “${chosen.label}” chosen for “${category}”${kind === 'category_account' ? '' : ' (the default account)'} ${problem}.`,
      path,
      'Choose another revenue account',
    )
  return entry as ProviderAccount
}

/** Where lines need a catalogue item (QuickBooks), each category names one too. */
function itemFor(category: string, mappings: Mappings, chart: Chart) {
  if (!needsItems(chart)) return null
  const chosen = mappings.get(`category_item:${category}`)
  const path = `mappings.items.${category}`
  if (!chosen)
    throw missing(
      `The category “${category}” has no product or service in your accounting software.`,
      path,
      'Choose or create a product or service',
    )
  const { problem } = resolve(chart, 'category_item', chosen.provider_ref)
  if (problem)
    throw missing(
      `The product or service “${chosen.label}” chosen for “${category}” ${problem}.`,
      path,
      'Choose another product or service',
    )
  return chosen.provider_ref
}

function taxRateFor(taxCode: string, mappings: Mappings, chart: Chart) {
  const chosen = mappings.get(`tax_rate:${taxCode}`)
  const path = `mappings.taxCodes.${taxCode}`
  if (!chosen)
    throw missing(
      `The tax code ${taxCode} has no tax rate in your accounting software.`,
      path,
      'Choose a tax rate',
    )
  const { entry, problem } = resolve(chart, 'tax_rate', chosen.provider_ref)
  if (problem)
    throw missing(
      `The tax rate “${chosen.label}” chosen for tax code ${taxCode} ${problem}.`,
      path,
      'Choose a tax rate',
    )
  return entry as ProviderTaxRate
}

export function buildInvoiceInput(options: {
  invoice: InvoiceForPush
  contact: ProviderRef
  link: LinkRow | undefined
  mappings: Mappings
  chart: Chart
  sync: ProviderSync
  /** What the document is, in the messages (a credit note is built as an invoice is). */
  noun?: 'invoice' | 'credit note'
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
    itemRef: itemFor(line.category, mappings, chart),
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
      message: `The app totals this ${options.noun ?? 'invoice'} ${f(invoice.total_minor)} (tax ${f(invoice.tax_minor)}); your accounting software would total it ${f(totals.totalMinor)} (tax ${f(totals.taxMinor)}).`,
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
    lines: resolved.map(({ line, account, itemRef, taxRate }, i) => ({
      lineId: line.id,
      providerLineId: providerLines[line.id] ?? null,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountRate: line.discountRate,
      discountMinor: null,
      accountRef: sync.lineAccount === 'code' ? (account.code ?? account.id) : account.id,
      taxRateRef: taxRate?.id ?? null,
      itemRef,
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: options.link ? { id: options.link.provider_id, version: options.link.provider_version } : null,
  }
}
