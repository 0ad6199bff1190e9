import { ProviderError } from '../provider.ts'
import type {
  PaymentInput,
  PaymentItemResult,
  ProviderAuth,
  ProviderPayment,
  ProviderSync,
} from '../sync-contract.ts'
import type { XeroApiClient } from './client.ts'
import { xeroIdempotencyKey } from './client.ts'
import { XERO_FACTS } from './facts.ts'
import { elementError, elementFailed, fromXeroPayment, toXeroPayment } from './mappers.ts'
import type { XeroPaymentRaw, XeroPaymentWrite } from './wire.ts'
import { PaymentsEnvelopeSchema } from './wire.ts'

/**
 * Invoices per lookup: a `where` of this many `Invoice.InvoiceID==guid("…")` clauses is about
 * 1,700 characters, under 3 KB once encoded, well inside the 8 KB request line servers accept.
 */
const INVOICES_PER_LOOKUP = 25
const PAGE_SIZE = 100
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const LIVE = 'AUTHORISED'

/**
 * [spec]'s createPayments example answers a refused payment with a PaymentID beside its
 * ValidationErrors, so the errors decide, not the id.
 */
const refused = (e: XeroPaymentRaw) => elementFailed(e) || Boolean(e.ValidationErrors?.length) || !e.PaymentID

/**
 * Payments applied to invoices (PROVIDERS 1.8). A batch is one PUT /Payments with
 * summarizeErrors=false: a payment Xero refuses (over the amount due, an account that takes no
 * payments, an invoice that is not AUTHORISED) fails alone and the others land. Removing one is
 * POST /Payments/{id} with Status DELETED: Xero keeps it as DELETED and restores the amount due.
 */
export function createXeroPayments(api: XeroApiClient): ProviderSync['payments'] {
  async function send(
    auth: ProviderAuth,
    batch: { input: PaymentInput; body: XeroPaymentWrite }[],
    idempotencyKey: string,
  ): Promise<PaymentItemResult[]> {
    // API docs: https://developer.xero.com/documentation/api/accounting/payments#put-payments
    const { data, correlationId } = await api.write(
      auth,
      'PUT',
      '/Payments',
      { summarizeErrors: false },
      { Payments: batch.map((b) => b.body) },
      xeroIdempotencyKey(idempotencyKey, 'payments'),
      PaymentsEnvelopeSchema,
    )
    if (data.Payments.length !== batch.length) {
      throw new ProviderError(
        'xero',
        'validation',
        `Xero answered ${data.Payments.length} payments for ${batch.length} sent`,
        { correlationId },
      )
    }
    // Elements come back in the order they were sent.
    return batch.map(({ input }, i): PaymentItemResult => {
      const element = data.Payments[i]!
      if (refused(element))
        return { paymentId: input.paymentId, ok: false, error: elementError(element, correlationId) }
      return { paymentId: input.paymentId, ok: true, payment: fromXeroPayment(element, input.currency) }
    })
  }

  /** After a refused delete: whether the payment is already gone (deleted, or unknown to Xero). */
  async function gone(auth: ProviderAuth, path: string): Promise<boolean> {
    try {
      // API docs: https://developer.xero.com/documentation/api/accounting/payments#get-payments
      const { data } = await api.get(auth, path, {}, PaymentsEnvelopeSchema)
      return !data.Payments.some((p) => p.Status === LIVE)
    } catch (err) {
      if (err instanceof ProviderError && err.kind === 'not_found') return true
      throw err
    }
  }

  return {
    batchSize: XERO_FACTS.batchSize,
    invoicesPerLookup: INVOICES_PER_LOOKUP,

    /** The polling feed names payments: each read for the invoice it pays (a deleted one answers nothing). */
    async read(auth, paymentIds) {
      const found: ProviderPayment[] = []
      for (const id of new Set(paymentIds)) {
        if (!GUID.test(id)) throw new RangeError(`not a Xero PaymentID: ${id}`)
        try {
          // API docs: https://developer.xero.com/documentation/api/accounting/payments#get-payments
          const { data } = await api.get(auth, `/Payments/${id}`, {}, PaymentsEnvelopeSchema)
          for (const raw of data.Payments) if (raw.Status === LIVE) found.push(fromXeroPayment(raw))
        } catch (err) {
          if (!(err instanceof ProviderError) || err.kind !== 'not_found') throw err
        }
      }
      return found
    },

    async createMany(auth, payments, idempotencyKey) {
      if (payments.length > XERO_FACTS.batchSize) {
        throw new RangeError(
          `at most ${XERO_FACTS.batchSize} payments per Xero request, got ${payments.length}`,
        )
      }
      // An amount Xero cannot carry (a third KWD decimal) fails its own payment, before the request.
      const prepared = payments.map((input) => {
        try {
          return { input, body: toXeroPayment(input) }
        } catch (error) {
          if (error instanceof ProviderError) return { input, error }
          throw error
        }
      })
      const batch = prepared.flatMap((p) => (p.body ? [{ input: p.input, body: p.body }] : []))
      const answers = batch.length > 0 ? await send(auth, batch, idempotencyKey) : []
      let next = 0
      return prepared.map((p): PaymentItemResult =>
        p.error ? { paymentId: p.input.paymentId, ok: false, error: p.error } : answers[next++]!,
      )
    },

    async findForInvoices(auth, invoiceIds) {
      const ids = [...new Set(invoiceIds)]
      const bad = ids.find((id) => !GUID.test(id))
      if (bad !== undefined) throw new RangeError(`not a Xero InvoiceID: ${bad}`)
      const found: ProviderPayment[] = []
      for (let at = 0; at < ids.length; at += INVOICES_PER_LOOKUP) {
        // Xero optimises Invoice.InvoiceID in an OR, Status alone or in an AND (API docs:
        // accounting/payments, "Optimised filtering"), so the status is checked here, not mixed in.
        const where = ids
          .slice(at, at + INVOICES_PER_LOOKUP)
          .map((id) => `Invoice.InvoiceID==guid("${id}")`)
          .join(' OR ')
        for (let page = 1; ; page++) {
          // API docs: https://developer.xero.com/documentation/api/accounting/payments#get-payments
          const { data } = await api.get(
            auth,
            '/Payments',
            { where, page, pageSize: PAGE_SIZE },
            PaymentsEnvelopeSchema,
          )
          for (const raw of data.Payments) if (raw.Status === LIVE) found.push(fromXeroPayment(raw))
          if (!data.pagination || page >= data.pagination.pageCount) break
        }
      }
      return found
    },

    async remove(auth, payment, idempotencyKey) {
      const path = `/Payments/${encodeURIComponent(payment.id)}`
      let answer
      try {
        // API docs: https://developer.xero.com/documentation/api/accounting/payments#post-payments
        answer = await api.write(
          auth,
          'POST',
          path,
          {},
          { Status: 'DELETED' },
          xeroIdempotencyKey(idempotencyKey, 'delete'),
          PaymentsEnvelopeSchema,
        )
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err
        if (err.kind === 'not_found') return
        if (err.status !== 400) throw err
        // Xero gives a refusal no code, so the payment as it now stands says what it meant:
        // already deleted, or live and kept (reconciled against the bank, in a locked period).
        if (await gone(auth, path)) return
        throw new ProviderError('xero', 'locked', err.message, {
          status: err.status,
          correlationId: err.correlationId,
          cause: err,
        })
      }
      if (answer.data.Payments[0]?.Status !== 'DELETED') {
        throw new ProviderError('xero', 'validation', `Xero did not mark payment ${payment.id} DELETED`, {
          correlationId: answer.correlationId,
        })
      }
    },
  }
}
