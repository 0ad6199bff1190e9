import type { Company, QboEntity } from '../company/store.ts'
import { fromCents, isRecord, refValue, toCents, type Fields } from './context.ts'

/** How much of each Invoice/CreditMemo a payment applies, keyed `Invoice:130`. */
export function applications(payment: QboEntity | undefined): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of (payment?.Line as Fields[] | undefined) ?? []) {
    for (const link of (line.LinkedTxn as Fields[] | undefined) ?? []) {
      const key = `${String(link.TxnType)}:${String(link.TxnId)}`
      out.set(key, (out.get(key) ?? 0) + toCents(line.Amount))
    }
  }
  return out
}

/**
 * Recomputes what payments do to one customer's documents: each Invoice's Balance and LinkedTxn,
 * each CreditMemo's Balance and RemainingCredit, and the customer's Balance. A document whose
 * derived fields change is saved as an Update (new SyncToken), as QBO does when a payment links it.
 */
export function settleCustomer(company: Company, customerId: string): void {
  const applied = new Map<string, { cents: number; payments: string[] }>()
  const payments = company.list('Payment').filter((p) => refValue(p.CustomerRef) === customerId)
  for (const payment of payments) {
    for (const [key, cents] of applications(payment)) {
      const a = applied.get(key) ?? { cents: 0, payments: [] }
      a.cents += cents
      if (cents > 0) a.payments.push(payment.Id)
      applied.set(key, a)
    }
  }
  let balanceCents = 0
  for (const type of ['Invoice', 'CreditMemo'] as const) {
    for (const doc of company.list(type).filter((d) => refValue(d.CustomerRef) === customerId)) {
      const a = applied.get(`${type}:${doc.Id}`) ?? { cents: 0, payments: [] }
      const balance = fromCents(toCents(doc.TotalAmt) - a.cents)
      const LinkedTxn = a.payments.map((id) => ({ TxnId: id, TxnType: 'Payment' }))
      const changed =
        doc.Balance !== balance || JSON.stringify(doc.LinkedTxn ?? []) !== JSON.stringify(LinkedTxn)
      const extra = type === 'CreditMemo' ? { RemainingCredit: balance } : {}
      if (changed) company.replace(type, { ...doc, Balance: balance, LinkedTxn, ...extra })
      balanceCents += type === 'Invoice' ? toCents(balance) : -toCents(balance)
    }
  }
  for (const p of payments) balanceCents -= toCents(p.UnappliedAmt)
  // The customer's Balance is derived; QBO does not treat it as an edit of the customer.
  const customer = company.get('Customer', customerId)
  if (isRecord(customer)) {
    customer.Balance = fromCents(balanceCents)
    customer.BalanceWithJobs = fromCents(balanceCents)
  }
}
