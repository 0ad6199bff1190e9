import { ProviderError } from '../provider.ts'
import type {
  PaymentInput,
  PaymentItemResult,
  ProviderAuth,
  ProviderPayment,
  ProviderSync,
} from '../sync-contract.ts'
import type { SageApi } from './api.ts'
import { fromSageInvoicePayments, fromSagePayment, toSagePayment } from './mappers.ts'
import { oneByOne } from './one-by-one.ts'
import { SageContactPaymentRaw, SageInvoicePaymentsRaw } from './wire.ts'

/** The same failure under another kind, keeping Sage's words, status and cause. */
const asKind = (err: ProviderError, kind: ProviderError['kind'], message = err.message) =>
  new ProviderError('sage', kind, message, {
    status: err.status,
    correlationId: err.correlationId,
    cause: err,
  })

/**
 * Customer receipts (`contact_payments`, transaction type CUSTOMER_RECEIPT), each allocated to its
 * sales invoice. Sage has no batch endpoint and no idempotency key (batchSize 1): the engine's
 * lookup (findForInvoices) is what keeps a retry from paying twice.
 */
export function createSagePayments(api: SageApi): ProviderSync['payments'] {
  async function create(auth: ProviderAuth, p: PaymentInput): Promise<ProviderPayment> {
    let raw
    try {
      // API docs: https://developer.sage.com/accounting/reference/payments/#tag/Contact-Payments/operation/postContactPayments
      raw = await api.write(auth, 'POST', '/contact_payments', toSagePayment(p), SageContactPaymentRaw)
    } catch (err) {
      // A 404 to a create is a record the body names that Sage cannot find: the mapped account is
      // no bank account (a ledger account's id, one since deleted), or the invoice or customer is
      // gone. The payment's fault, so the payment's refusal.
      if (err instanceof ProviderError && err.kind === 'not_found')
        throw asKind(
          err,
          'validation',
          `Sage found no bank account, invoice or customer with the ids this payment names: ${err.message}`,
        )
      throw err
    }
    const payment = fromSagePayment(raw, p.invoice.id)
    if (!payment)
      throw new ProviderError(
        'sage',
        'validation',
        `Sage recorded receipt ${raw.id} without allocating it to invoice ${p.invoice.id}`,
      )
    return payment
  }

  return {
    batchSize: 1,
    invoicesPerLookup: 1,

    async createMany(auth, payments) {
      const results = await oneByOne(payments, (p) => create(auth, p))
      return results.map((r, n): PaymentItemResult =>
        r.ok
          ? { paymentId: payments[n]!.paymentId, ok: true, payment: r.value }
          : { paymentId: payments[n]!.paymentId, ok: false, error: r.error },
      )
    },

    /**
     * Sage cannot list contact_payments by the invoice they settle (only by contact, bank account,
     * type or date), but a sales invoice carries its own `payments_allocations` (shown on request): one read each.
     */
    async findForInvoices(auth, invoiceIds) {
      const found: ProviderPayment[] = []
      for (const id of new Set(invoiceIds)) {
        try {
          // API docs: https://developer.sage.com/accounting/reference/invoicing-sales/#tag/Sales-Invoices/operation/getSalesInvoicesKey
          const path = `/sales_invoices/${encodeURIComponent(id)}`
          found.push(
            ...fromSageInvoicePayments(
              await api.get(
                auth,
                path,
                { attributes: 'all', show_payments_allocations: 'true' },
                SageInvoicePaymentsRaw,
              ),
            ),
          )
        } catch (err) {
          // An invoice gone (a deleted draft) has no payments applied to it.
          if (!(err instanceof ProviderError) || err.kind !== 'not_found') throw err
        }
      }
      return found
    },

    /** A receipt's change (the polling feed names contact_payments) tells its invoices: one read each. */
    async read(auth, paymentIds) {
      const found: ProviderPayment[] = []
      for (const id of new Set(paymentIds)) {
        try {
          // API docs: https://developer.sage.com/accounting/reference/payments/#tag/Contact-Payments/operation/getContactPaymentsKey
          const raw = await api.get(
            auth,
            `/contact_payments/${encodeURIComponent(id)}`,
            {},
            SageContactPaymentRaw,
          )
          for (const a of raw.allocated_artefacts) {
            const payment = fromSagePayment(raw, a.artefact.id)
            if (payment) found.push(payment)
          }
        } catch (err) {
          // A receipt deleted there has nothing left to tell: its invoice's own change is in the feed.
          if (!(err instanceof ProviderError) || err.kind !== 'not_found') throw err
        }
      }
      return found
    },

    async remove(auth, payment) {
      try {
        // API docs: https://developer.sage.com/accounting/reference/payments/#tag/Contact-Payments/operation/deleteContactPaymentsKey
        await api.remove(auth, `/contact_payments/${encodeURIComponent(payment.id)}`)
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err
        // Already deleted (here or by the bookkeeper in Sage): what was asked is done.
        if (err.kind === 'not_found') return
        // Sage keeps a receipt it will not delete (cleared against the bank feed): its reason stands.
        if (err.kind === 'validation') throw asKind(err, 'locked')
        throw err
      }
    },
  }
}
