import { readAllocations } from './api/settle.ts'
import { toMinor } from './money.ts'
import type { Business, Settlement } from './types.ts'
import { isoDate, newId } from './wire.ts'

/** Builds the receipt a bookkeeper would enter in Sage for an invoice, checked by the API's own rules. */
export function applySettlementInputs(
  business: Business,
  p: { invoiceId: string; amount?: number; date?: string; reference?: string },
  now: number,
): Settlement {
  const invoice = business.artefacts.get(p.invoiceId)
  if (!invoice || invoice.kind !== 'sales_invoice') throw new Error(`no sales invoice ${p.invoiceId}`)
  const amount = p.amount ?? invoice.outstandingMinor / 100
  const allocations = readAllocations(
    business,
    invoice.contactId,
    [{ artefact_id: invoice.id, amount }],
    'contact_payment[allocated_artefacts]',
  )
  return {
    id: newId(),
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    kind: 'contact_payment',
    transactionTypeId: 'CUSTOMER_RECEIPT',
    contactId: invoice.contactId,
    bankAccountId: business.bankAccounts[0]!.id,
    date: p.date ?? isoDate(now),
    totalMinor: toMinor(amount),
    currencyId: invoice.currencyId,
    exchangeRate: invoice.exchangeRate,
    reference: p.reference ?? null,
    allocations,
    cleared: false,
  }
}
