import { fromMinor } from '../money.ts'
import type { Artefact, Business, Line } from '../types.ts'
import { artefactPath, webLinks } from '../web.ts'
import { ref, timestamp } from '../wire.ts'
import { ARTEFACT_KINDS, STATUS_NAMES } from './artefact-kinds.ts'
import { TRANSACTION_TYPE_NAMES } from './render-settlement.ts'

const base = (minor: number, rate: number) => fromMinor(Math.round(minor / rate))

function renderLine(business: Business, l: Line, rate: number) {
  const account = business.ledgerAccounts.find((a) => a.id === l.ledgerAccountId)!
  const tax = l.taxRateId ? business.taxRates.find((r) => r.id === l.taxRateId) : undefined
  return {
    id: l.id,
    displayed_as: l.description,
    description: l.description,
    ledger_account: ref('ledger_accounts', account.id, `${account.name} (${account.nominalCode})`),
    quantity: l.quantity,
    unit_price: l.unitPrice,
    unit_price_includes_tax: l.unitPriceIncludesTax,
    discount_amount: fromMinor(l.discountMinor),
    net_amount: fromMinor(l.netMinor),
    tax_rate: tax ? ref('tax_rates', tax.id, tax.name) : null,
    tax_amount: fromMinor(l.taxMinor),
    total_amount: fromMinor(l.totalMinor),
    base_currency_net_amount: base(l.netMinor, rate),
    base_currency_tax_amount: base(l.taxMinor, rate),
    base_currency_total_amount: base(l.totalMinor, rate),
  }
}

function taxAnalysis(business: Business, a: Artefact) {
  const byRate = new Map<string, { net: number; tax: number }>()
  for (const l of a.lines) {
    if (!l.taxRateId) continue
    const t = byRate.get(l.taxRateId) ?? { net: 0, tax: 0 }
    byRate.set(l.taxRateId, { net: t.net + l.netMinor, tax: t.tax + l.taxMinor })
  }
  return [...byRate].map(([id, t]) => ({
    tax_rate: ref('tax_rates', id, business.taxRates.find((r) => r.id === id)?.name ?? id),
    net_amount: fromMinor(t.net),
    tax_amount: fromMinor(t.tax),
    total_amount: fromMinor(t.net + t.tax),
  }))
}

/**
 * The live receipts and allocations settling a document (PaymentAllocation schema): for each, the
 * amount set against this document, and a link to the contact_payment or contact_allocation.
 */
function paymentsAllocations(business: Business, a: Artefact) {
  return [...business.settlements.values()]
    .filter((s) => s.deletedAt === null)
    .flatMap((s) =>
      s.allocations
        .filter((x) => x.artefactId === a.id)
        .map((x) => {
          const type = TRANSACTION_TYPE_NAMES[s.transactionTypeId] ?? s.transactionTypeId
          const link = ref(`${s.kind}s`, s.id, s.reference ?? s.date)
          return {
            displayed_as: type,
            date: s.date,
            type,
            reference: s.reference,
            amount: fromMinor(x.amountMinor),
            discount: fromMinor(x.discountMinor),
            contact_payment: s.kind === 'contact_payment' ? link : null,
            contact_allocation: s.kind === 'contact_allocation' ? link : null,
          }
        }),
    )
}

/** A sales invoice or credit note in the v3.1 shape (SalesInvoice / SalesCreditNote schema). */
/**
 * `web`: the origin its `links` name. `payments`: the artefact's `payments_allocations`, which Sage shows only when asked for with
 * `show_payments_allocations=true` (GET /sales_invoices and /sales_invoices/{key} alike).
 */
export function renderArtefact(
  business: Business,
  a: Artefact,
  options: { web: string; payments?: boolean },
): Record<string, unknown> {
  const kind = ARTEFACT_KINDS[a.kind]
  const contact = business.contacts.get(a.contactId)!
  const paid = a.totalMinor - a.outstandingMinor
  const editable = a.status !== 'VOID' && paid === 0
  const prefix = a.number.startsWith(kind.defaultPrefix) ? kind.defaultPrefix : ''
  return {
    id: a.id,
    displayed_as: a.number,
    $path: `/${kind.collection}/${a.id}`,
    created_at: timestamp(a.createdAt),
    updated_at: timestamp(a.updatedAt),
    links: webLinks(options.web, artefactPath(a.kind, a.id)),
    transaction_type: ref('transaction_types', ...kind.transactionType),
    contact: ref('contacts', contact.id, `${contact.name} (${contact.reference})`),
    [kind.prefixField]: prefix,
    [kind.numberField]: a.number,
    contact_name: contact.name,
    contact_reference: contact.reference,
    date: a.date,
    ...(a.kind === 'sales_invoice' ? { due_date: a.dueDate } : {}),
    reference: a.reference,
    notes: a.notes,
    net_amount: fromMinor(a.netMinor),
    tax_amount: fromMinor(a.taxMinor),
    total_amount: fromMinor(a.totalMinor),
    payments_allocations_total_amount: fromMinor(paid),
    total_paid: fromMinor(paid),
    outstanding_amount: fromMinor(a.outstandingMinor),
    currency: ref('currencies', a.currencyId, a.currencyId),
    exchange_rate: a.exchangeRate,
    inverse_exchange_rate: Number((1 / a.exchangeRate).toFixed(6)),
    base_currency_net_amount: base(a.netMinor, a.exchangeRate),
    base_currency_tax_amount: base(a.taxMinor, a.exchangeRate),
    base_currency_total_amount: base(a.totalMinor, a.exchangeRate),
    base_currency_outstanding_amount: base(a.outstandingMinor, a.exchangeRate),
    status: ref('artefact_statuses', a.status, STATUS_NAMES[a.status]),
    sent: false,
    void_reason: a.voidReason,
    [kind.lines]: a.lines.map((l) => renderLine(business, l, a.exchangeRate)),
    tax_analysis: taxAnalysis(business, a),
    ...(options.payments ? { payments_allocations: paymentsAllocations(business, a) } : {}),
    last_paid: a.lastPaid,
    editable,
    ...(a.originalInvoiceId ? { original_invoice_id: a.originalInvoiceId } : {}),
  }
}
