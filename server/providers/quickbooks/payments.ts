import { z } from 'zod'
import { formatMinor } from '../../../shared/money.ts'
import { ProviderError } from '../provider.ts'
import type {
  PaymentInput,
  PaymentItemResult,
  ProviderAuth,
  ProviderPayment,
  ProviderRef,
  ProviderSync,
} from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { createBatch } from './customer-writes.ts'
import { QUICKBOOKS_FACTS } from './facts.ts'
import { amountToCents, fromQboInvoice, fromQboPayment, isPaymentOf, toQboPayment } from './mappers.ts'
import { IDS_PER_QUERY, queryByIds, realmAuth, requestIdFor, SINGLE_REQUEST_ID_MAX } from './queries.ts'
import { assertCurrencyFits } from './totals.ts'
import { DeletedRawSchema, InvoiceRawSchema, PaymentRawSchema, type QboInvoiceRaw } from './wire.ts'

const BATCH_REQUEST_ID_MAX = QUICKBOOKS_FACTS.idempotency.maxLength ?? 36
const DeleteAnswerSchema = z.looseObject({ Payment: DeletedRawSchema })

/** A payment refused before sending; `overdue` when only the amount stood in its way. */
type Refusal = { error: ProviderError; overdue: boolean }

const refused = (kind: 'validation' | 'not_found', message: string, overdue = false): Refusal => ({
  error: new ProviderError('quickbooks', kind, message),
  overdue,
})

/**
 * Checks each payment against its invoice as QBO holds it: there, not voided, in the payment's
 * currency, and owing at least the amount. Payments of one batch to one invoice share its Balance,
 * in order. Those in `recorded` are already applied (the Balance counts them) and pass.
 */
function check(payments: PaymentInput[], invoices: Map<string, QboInvoiceRaw>, recorded: Set<string>) {
  const due = new Map<string, bigint>()
  return payments.map((p): Refusal | null => {
    if (recorded.has(p.paymentId)) return null
    const raw = invoices.get(p.invoice.id)
    if (!raw) return refused('not_found', `Invoice ${p.invoice.id} is no longer in QuickBooks`)
    const invoice = fromQboInvoice(raw)
    if (invoice.status === 'voided')
      return refused('validation', `Invoice ${invoice.number} is voided in QuickBooks and takes no payment`)
    const currency = raw.CurrencyRef?.value ?? p.currency
    if (currency !== p.currency)
      return refused('validation', `Invoice ${invoice.number} is in ${currency}, not ${p.currency}`)
    try {
      assertCurrencyFits(p.currency)
    } catch (error) {
      if (error instanceof ProviderError) return { error, overdue: false }
      throw error
    }
    if (p.amountMinor <= 0n) return refused('validation', `Payment ${p.paymentId} is not more than zero`)
    const left = due.get(raw.Id) ?? amountToCents(raw.Balance ?? raw.TotalAmt)
    if (p.amountMinor > left)
      return refused(
        'validation',
        `Payment ${p.paymentId} of ${p.currency} ${formatMinor(p.amountMinor, p.currency)} is more than the ` +
          `${p.currency} ${formatMinor(left, p.currency)} invoice ${invoice.number} has due in QuickBooks`,
        true,
      )
    due.set(raw.Id, left - p.amountMinor)
    return null
  })
}

/**
 * Payments through `/batch` (PROVIDERS 2.4), each applied to one invoice. QBO keeps what a payment
 * leaves over as UnappliedAmt (PROVIDERS 2.7) and documents no refusal of a line above the invoice's
 * Balance, so before sending, one query reads the batch's invoices and a payment above what its
 * invoice has due is refused here, naming both amounts. Only then are that invoice's payments read:
 * one of ours already there (a retry after a lost answer, the Balance already down) answers as
 * recorded and is not sent again.
 */
export function createQuickBooksPayments(company: CompanyApi): ProviderSync['payments'] {
  const size = QUICKBOOKS_FACTS.batchSize
  const batch = createBatch(company)

  /** The payments applied to these invoices: QBO lists them in each Invoice's LinkedTxn. */
  const linkedTo = (auth: ProviderAuth, invoices: QboInvoiceRaw[]) => {
    const links = invoices.flatMap((i) => (i.LinkedTxn ?? []).filter((t) => t.TxnType === 'Payment'))
    return queryByIds(
      company,
      auth,
      'Payment',
      links.map((t) => t.TxnId),
      PaymentRawSchema,
    )
  }

  async function createChunk(auth: ProviderAuth, payments: PaymentInput[], key: string) {
    const ids = payments.map((p) => p.invoice.id)
    const read = await queryByIds(company, auth, 'Invoice', ids, InvoiceRawSchema)
    const invoices = new Map(read.map((raw) => [raw.Id, raw]))
    let refusals = check(payments, invoices, new Set())
    const recorded = new Map<string, ProviderPayment>()
    const overdue = payments.filter((_, i) => refusals[i]?.overdue).map((p) => invoices.get(p.invoice.id)!)
    if (overdue.length > 0) {
      for (const raw of await linkedTo(auth, overdue)) {
        const ours = payments.find((p) => isPaymentOf(raw, p.paymentId))
        const applied = ours && fromQboPayment(raw).find((x) => x.invoiceId === ours.invoice.id)
        if (ours && applied) recorded.set(ours.paymentId, applied)
      }
      if (recorded.size > 0) refusals = check(payments, invoices, new Set(recorded.keys()))
    }

    const items = payments.flatMap((p, i) =>
      refusals[i] || recorded.has(p.paymentId)
        ? []
        : [{ bId: String(i), operation: 'create', Payment: toQboPayment(p) }],
    )
    // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
    const answer = items.length > 0 ? await batch(auth, items, requestIdFor(key, BATCH_REQUEST_ID_MAX)) : null
    return payments.map((p, i): PaymentItemResult => {
      const refusal = refusals[i]
      if (refusal) return { paymentId: p.paymentId, ok: false, error: refusal.error }
      const known = recorded.get(p.paymentId)
      if (known) return { paymentId: p.paymentId, ok: true, payment: known }
      const a = answer!(String(i))
      if (!a.ok) return { paymentId: p.paymentId, ok: false, error: a.error }
      const raw = PaymentRawSchema.safeParse(a.item.Payment)
      const payment = raw.success ? fromQboPayment(raw.data).find((x) => x.invoiceId === p.invoice.id) : null
      return payment
        ? { paymentId: p.paymentId, ok: true, payment }
        : { paymentId: p.paymentId, ok: false, error: unreadable(i) }
    })
  }

  const current = async (auth: ProviderAuth, id: string) =>
    (await queryByIds(company, auth, 'Payment', [id], PaymentRawSchema))[0] ?? null

  /** One delete at this SyncToken; a payment already gone counts as removed. */
  async function deleteAt(auth: ProviderAuth, id: string, syncToken: string, requestId: string) {
    try {
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
      await company.call(realmAuth(auth), 'payment', DeleteAnswerSchema, {
        body: { Id: id, SyncToken: syncToken },
        query: { operation: 'delete' },
        requestId,
      })
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error
      if (error.kind === 'not_found') return
      if (error.kind !== 'validation') throw error
      // Closed books (6210) and deposited payments (6540) already answer 'locked'; any other refusal too.
      throw new ProviderError('quickbooks', 'locked', error.message, {
        status: error.status,
        correlationId: error.correlationId,
        cause: error,
      })
    }
  }

  return {
    batchSize: size,
    // A query of the invoices, then one of the payments they link to.
    invoicesPerLookup: IDS_PER_QUERY / 2,

    async createMany(auth: ProviderAuth, payments: PaymentInput[], idempotencyKey: string) {
      const results: PaymentItemResult[] = []
      for (let start = 0; start < payments.length; start += size) {
        // More than one batch only if the engine sent more than batchSize: each keeps its own key.
        const key = start === 0 ? idempotencyKey : `${idempotencyKey}:${start / size}`
        results.push(...(await createChunk(auth, payments.slice(start, start + size), key)))
      }
      return results
    },

    async findForInvoices(auth: ProviderAuth, invoiceIds: string[]): Promise<ProviderPayment[]> {
      const wanted = new Set(invoiceIds)
      const invoices = await queryByIds(company, auth, 'Invoice', invoiceIds, InvoiceRawSchema)
      const payments = await linkedTo(auth, invoices)
      return payments.flatMap(fromQboPayment).filter((p) => wanted.has(p.invoiceId))
    },

    async read(auth: ProviderAuth, paymentIds: string[]): Promise<ProviderPayment[]> {
      return (await queryByIds(company, auth, 'Payment', paymentIds, PaymentRawSchema)).flatMap(
        fromQboPayment,
      )
    },

    async remove(auth: ProviderAuth, payment: ProviderRef, idempotencyKey: string) {
      const requestId = requestIdFor(idempotencyKey, SINGLE_REQUEST_ID_MAX)
      const token = payment.version ?? (await current(auth, payment.id))?.SyncToken
      if (token === undefined) return
      try {
        await deleteAt(auth, payment.id, token, requestId)
      } catch (error) {
        // 5010: changed in QuickBooks since (a deposit bumps it): once more at the current SyncToken,
        // under a different requestid, or the first would replay the stale answer (PROVIDERS 2.5).
        if (!(error instanceof ProviderError) || error.kind !== 'conflict') throw error
        const now = await current(auth, payment.id)
        if (!now) return
        const retryId = requestIdFor(`${idempotencyKey}:stale-retry`, SINGLE_REQUEST_ID_MAX)
        await deleteAt(auth, payment.id, now.SyncToken, retryId)
      }
    },
  }
}

const unreadable = (i: number) =>
  new ProviderError(
    'quickbooks',
    'validation',
    `batch item ${i}: an answer without a Payment for the invoice`,
  )
