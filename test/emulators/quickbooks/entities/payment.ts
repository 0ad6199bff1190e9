import type { QboEntity } from '../company/store.ts'
import { faults } from '../errors.ts'
import { QBO } from '../facts.ts'
import {
  assertPeriodOpen,
  fromCents,
  isRecord,
  named,
  resolveRef,
  text,
  today,
  toCents,
  type Fields,
  type WriteContext,
} from './context.ts'
import { applications } from './ledger.ts'
import { transactionCurrency } from './sales-form.ts'

/** Account types a received payment may be deposited to (Undeposited Funds is an Other Current Asset). */
const DEPOSIT_ACCOUNT_TYPES = new Set(['Bank', 'Other Current Asset'])
const UNDEPOSITED_FUNDS = '4'
const PAYMENT_REF_NUM_MAX = QBO.limits.paymentRefNumMaxLength

/**
 * Builds a Payment (PROVIDERS 2.7): lines apply amounts to the customer's invoices and credit memos
 * through LinkedTxn; no line may apply more than the document's open amount; credits apply only
 * against the payment's own invoice lines (a zero Payment sets a credit memo against an invoice);
 * whatever TotalAmt leaves over becomes UnappliedAmt; the deposit account must be able to take a deposit; PaymentRefNum
 * holds at most 21 characters.
 */
export function buildPayment(ctx: WriteContext, input: Fields, existing?: QboEntity): Fields {
  if (input.CustomerRef === undefined) throw faults.requiredParam('CustomerRef')
  if (input.TotalAmt === undefined) throw faults.requiredParam('TotalAmt')
  const customer = resolveRef(ctx, 'Customer', input.CustomerRef, 'CustomerRef')
  if (typeof input.PaymentRefNum === 'string' && input.PaymentRefNum.length > PAYMENT_REF_NUM_MAX)
    throw faults.stringLength('PaymentRefNum', PAYMENT_REF_NUM_MAX, input.PaymentRefNum.length)
  const totalCents = toCents(input.TotalAmt)
  if (totalCents < 0) throw faults.business('The payment amount cannot be negative.')
  const TxnDate = typeof input.TxnDate === 'string' ? input.TxnDate : text(existing?.TxnDate ?? today(ctx))
  assertPeriodOpen(ctx, TxnDate)
  if (existing) assertPeriodOpen(ctx, existing.TxnDate)
  const account = input.DepositToAccountRef
    ? resolveRef(ctx, 'Account', input.DepositToAccountRef, 'DepositToAccountRef')
    : ctx.company.get('Account', UNDEPOSITED_FUNDS)!
  if (!DEPOSIT_ACCOUNT_TYPES.has(String(account.AccountType)))
    throw faults.business(`Account ${String(account.Name)} cannot receive a payment deposit.`)

  const previous = applications(existing)
  let appliedCents = 0
  const Line = ((input.Line as unknown[] | undefined) ?? []).map((raw) => {
    if (!isRecord(raw) || raw.Amount === undefined) throw faults.requiredParam('Line.Amount')
    const links = Array.isArray(raw.LinkedTxn) ? (raw.LinkedTxn as unknown[]) : []
    const link = links[0]
    if (!isRecord(link) || links.length !== 1) throw faults.requiredParam('Line.LinkedTxn')
    const type = link.TxnType
    if (type !== 'Invoice' && type !== 'CreditMemo')
      throw faults.business(`A payment cannot be linked to a ${String(type)}.`)
    const doc = resolveRef(ctx, type, { value: link.TxnId }, 'Line.LinkedTxn.TxnId')
    if (String((doc.CustomerRef as Fields).value) !== customer.Id)
      throw faults.business(`${type} ${String(doc.DocNumber)} belongs to another customer.`)
    const cents = toCents(raw.Amount)
    const open = toCents(doc.Balance) + (previous.get(`${type}:${doc.Id}`) ?? 0)
    if (cents < 0) throw faults.business('A payment line amount cannot be negative.')
    if (cents > open)
      throw faults.business(
        `The amount applied to ${type} ${String(doc.DocNumber)} (${fromCents(cents)}) is more than its open balance (${fromCents(open)}).`,
      )
    appliedCents += type === 'Invoice' ? cents : -cents
    return { Amount: fromCents(cents), LinkedTxn: [{ TxnId: doc.Id, TxnType: type }] }
  })
  if (appliedCents > totalCents)
    throw faults.business('The amounts applied to transactions are more than the total payment amount.')
  // Credits are used against the charges of the same payment, never paid out: a payment whose credit
  // lines apply more than its invoice lines would leave unapplied money nobody received.
  if (appliedCents < 0)
    throw faults.business('The credits applied are more than the charges they are applied to.')

  const payment: Fields = {
    ...input,
    CustomerRef: named(customer, 'DisplayName'),
    CurrencyRef: transactionCurrency(ctx, input, customer),
    DepositToAccountRef: named(account),
    TxnDate,
    TotalAmt: fromCents(totalCents),
    UnappliedAmt: fromCents(totalCents - appliedCents),
    ProcessPayment: false,
    Line,
  }
  for (const key of ['Id', 'SyncToken', 'MetaData', 'sparse', 'domain', 'status']) delete payment[key]
  return payment
}
