import { fromMinor } from '../money.ts'
import type { Business, Settlement } from '../types.ts'
import { ref, timestamp } from '../wire.ts'
import { ARTEFACT_KINDS } from './artefact-kinds.ts'

export const TRANSACTION_TYPE_NAMES: Record<string, string> = {
  CUSTOMER_RECEIPT: 'Customer Receipt',
  CUSTOMER_ALLOCATION: 'Customer Allocation',
}

/** A contact_payment (ContactPayment schema) or contact_allocation (ContactAllocation schema). */
export function renderSettlement(business: Business, s: Settlement): Record<string, unknown> {
  const collection = s.kind === 'contact_payment' ? 'contact_payments' : 'contact_allocations'
  const contact = business.contacts.get(s.contactId)!
  const allocated = s.allocations.map((a, i) => {
    const artefact = business.artefacts.get(a.artefactId)!
    return {
      id: `${s.id}${i}`,
      artefact: ref(ARTEFACT_KINDS[artefact.kind].collection, artefact.id, artefact.number),
      amount: fromMinor(a.amountMinor),
      ...(s.kind === 'contact_payment' ? { discount: fromMinor(a.discountMinor) } : {}),
    }
  })
  const common = {
    id: s.id,
    displayed_as: s.reference ?? s.date,
    $path: `/${collection}/${s.id}`,
    created_at: timestamp(s.createdAt),
    updated_at: timestamp(s.updatedAt),
    transaction_type: ref(
      'transaction_types',
      s.transactionTypeId,
      TRANSACTION_TYPE_NAMES[s.transactionTypeId] ?? s.transactionTypeId,
    ),
    contact: ref('contacts', contact.id, `${contact.name} (${contact.reference})`),
    date: s.date,
    allocated_artefacts: allocated,
  }
  if (s.kind === 'contact_allocation') return common
  const bank = business.bankAccounts.find((b) => b.id === s.bankAccountId)!
  const baseTotal = fromMinor(Math.round(s.totalMinor / s.exchangeRate))
  return {
    ...common,
    payment_method: ref('payment_methods', 'BANK_TRANSFER', 'Bank Transfer'),
    bank_account: ref(
      'bank_accounts',
      bank.id,
      `${bank.name} (${business.ledgerAccounts.find((l) => l.id === bank.ledgerAccountId)?.nominalCode})`,
    ),
    net_amount: fromMinor(s.totalMinor),
    tax_amount: 0,
    total_amount: fromMinor(s.totalMinor),
    currency: ref('currencies', s.currencyId, s.currencyId),
    exchange_rate: s.exchangeRate,
    base_currency_net_amount: baseTotal,
    base_currency_tax_amount: 0,
    base_currency_total_amount: baseTotal,
    reference: s.reference,
    editable: !s.cleared,
  }
}
