import { randomUUID } from 'node:crypto'
import { XERO_MESSAGES } from '../messages.ts'
import type { InvoiceRecord, PaymentRecord } from '../model.ts'
import type { DomainDeps, Outcome } from './deps.ts'
import { findInvoice } from './invoices.ts'
import { readDate, round } from './wire.ts'

export interface PaymentInput {
  Invoice?: { InvoiceID?: string; InvoiceNumber?: string }
  InvoiceNumber?: string
  Account?: { AccountID?: string; Code?: string }
  Date?: string
  Amount?: number
  CurrencyRate?: number
  Reference?: string
  IsReconciled?: boolean
}

function settle(invoice: InvoiceRecord, date: string, now: number) {
  invoice.AmountDue = round(invoice.Total - invoice.AmountPaid - invoice.AmountCredited)
  if (invoice.AmountDue === 0) {
    invoice.Status = 'PAID'
    invoice.FullyPaidOnDate = date
  } else {
    invoice.Status = 'AUTHORISED'
    delete invoice.FullyPaidOnDate
  }
  invoice.UpdatedDateUTC = now
}

/**
 * Applies a payment to an AUTHORISED invoice (PROVIDERS 1.8): to a bank account or one with
 * payments enabled, never above the amount due; a full payment makes the invoice PAID with
 * AmountDue 0 and FullyPaidOnDate. There is no PAYMENT webhook: the invoice raises an UPDATE.
 */
export function applyPayment(deps: DomainDeps, input: PaymentInput): Outcome<PaymentRecord> {
  const { org, now } = deps
  const ref = input.Invoice?.InvoiceID ?? input.Invoice?.InvoiceNumber ?? input.InvoiceNumber
  const invoice = ref ? findInvoice(org, ref) : undefined
  if (!invoice) return { errors: [XERO_MESSAGES.paymentInvoiceMissing] }
  const errors: string[] = []
  if (invoice.Status !== 'AUTHORISED') errors.push(XERO_MESSAGES.paymentDocumentNotAuthorised)
  const account = input.Account?.AccountID
    ? org.accounts.find((a) => a.AccountID === input.Account!.AccountID)
    : input.Account?.Code
      ? org.accounts.find((a) => a.Code === input.Account!.Code)
      : undefined
  if (!input.Account?.AccountID && !input.Account?.Code) errors.push(XERO_MESSAGES.paymentAccountMissing)
  else if (!account || (account.Type !== 'BANK' && !account.EnablePaymentsToAccount)) {
    errors.push(XERO_MESSAGES.paymentAccountInvalid)
  } else if (account.Status !== 'ACTIVE') errors.push(XERO_MESSAGES.accountCodeArchived(account.Code))
  const amount = input.Amount ?? 0
  if (!(amount > 0)) errors.push(XERO_MESSAGES.paymentAmountInvalid)
  else if (round(amount) > invoice.AmountDue) errors.push(XERO_MESSAGES.paymentOverAmountDue)
  const date = input.Date === undefined ? new Date(now).toISOString().slice(0, 10) : readDate(input.Date)
  if (date === null) errors.push(XERO_MESSAGES.dateInvalid(String(input.Date)))
  if (errors.length > 0 || !account || !date) return { errors }

  const payment: PaymentRecord = {
    PaymentID: randomUUID(),
    InvoiceID: invoice.InvoiceID,
    AccountID: account.AccountID,
    Date: date,
    Amount: round(amount),
    CurrencyRate: input.CurrencyRate ?? invoice.CurrencyRate,
    ...(input.Reference !== undefined ? { Reference: input.Reference } : {}),
    IsReconciled: input.IsReconciled ?? false,
    Status: 'AUTHORISED',
    PaymentType: invoice.Type === 'ACCREC' ? 'ACCRECPAYMENT' : 'ACCPAYPAYMENT',
    UpdatedDateUTC: now,
  }
  org.payments.set(payment.PaymentID, payment)
  invoice.PaymentIDs.push(payment.PaymentID)
  invoice.AmountPaid = round(invoice.AmountPaid + payment.Amount)
  settle(invoice, date, now)
  deps.emit('INVOICE', 'UPDATE', invoice.InvoiceID)
  return { ok: payment }
}

/**
 * `POST /Payments/{id}` with `{"Status":"DELETED"}` reverses the payment (PROVIDERS 1.8), unless it
 * has been reconciled against a bank statement line: a bookkeeper unreconciles it in Xero first.
 */
export function deletePayment(deps: DomainDeps, payment: PaymentRecord): Outcome<PaymentRecord> {
  if (payment.Status === 'DELETED') return { errors: [XERO_MESSAGES.paymentAlreadyDeleted] }
  if (payment.IsReconciled) return { errors: [XERO_MESSAGES.paymentReconciled] }
  const invoice = deps.org.invoices.get(payment.InvoiceID)!
  payment.Status = 'DELETED'
  payment.UpdatedDateUTC = deps.now
  invoice.AmountPaid = round(invoice.AmountPaid - payment.Amount)
  settle(invoice, payment.Date, deps.now)
  deps.emit('INVOICE', 'UPDATE', invoice.InvoiceID)
  return { ok: payment }
}

export { settle as settleInvoice }
