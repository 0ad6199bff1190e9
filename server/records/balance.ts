import { formatMinor } from '../../shared/money.ts'
import type { Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { settle, type InvoiceRow } from './invoice-rows.ts'

/**
 * What stands against an invoice's total: its payments and its credit notes (draft or sent, until
 * voided). Paid + credited never passes the total, and the customer and currency of an invoice
 * stay those of the records linked to it. Every write that moves one of these checks it inside its
 * own transaction, against what that transaction reads, so two concurrent writes cannot both take
 * the same room.
 */

const money = (minor: number, currency: string) => `${formatMinor(minor, currency)} ${currency}`

function standing(inv: InvoiceRow, creditedMinor = inv.amount_credited_minor) {
  const m = (minor: number) => formatMinor(minor, inv.currency)
  return `total ${m(inv.total_minor)}, paid ${m(inv.amount_paid_minor)}, credited ${m(creditedMinor)}`
}

/** The invoice once its amounts moved: settled, with its version bumped (its answer changed). */
function moved(inv: InvoiceRow, paid: number, credited: number, t: number): InvoiceRow {
  const next = { ...inv, amount_paid_minor: paid, amount_credited_minor: credited }
  return settle({ ...next, version: inv.version + 1, updated_at: t }, t)
}

/** The invoice after a payment of `deltaMinor` (negative when a payment was lowered). */
export function withPayment(inv: InvoiceRow, deltaMinor: number, t: number): InvoiceRow {
  if (inv.status === 'draft')
    throw new AppError('invalid_state_change', {
      message: 'Send the invoice before recording a payment against it.',
    })
  if (inv.status === 'void')
    throw new AppError('invalid_state_change', { message: 'A void invoice cannot take payments.' })
  const due = inv.total_minor - inv.amount_paid_minor - inv.amount_credited_minor
  if (deltaMinor > 0 && deltaMinor > due)
    throw new AppError('payment_exceeds_due', {
      message: `The payment is more than the ${money(due, inv.currency)} still due on invoice ${inv.number} (${standing(inv)}).`,
      details: [{ path: 'amount', message: `More than the ${money(due, inv.currency)} due` }],
    })
  return moved(inv, inv.amount_paid_minor + deltaMinor, inv.amount_credited_minor, t)
}

/**
 * The invoice after one of its credit notes went from crediting `beforeMinor` to `afterMinor`
 * (0 when it was not linked, or is void). Refuses a credit note larger than what remains to credit.
 */
export function withCredit(inv: InvoiceRow, beforeMinor: number, afterMinor: number, t: number) {
  const others = inv.amount_credited_minor - beforeMinor
  const remaining = inv.total_minor - inv.amount_paid_minor - others
  if (afterMinor > beforeMinor && afterMinor > remaining)
    throw new AppError('credit_exceeds_remaining', {
      message:
        `The credit note's ${money(afterMinor, inv.currency)} is more than the ${money(Math.max(remaining, 0), inv.currency)} ` +
        `that remains to credit on invoice ${inv.number} (${standing(inv, others)}).`,
      details: [
        {
          path: 'lines',
          message: `More than the ${money(Math.max(remaining, 0), inv.currency)} left to credit`,
        },
      ],
    })
  return moved(inv, inv.amount_paid_minor, others + afterMinor, t)
}

/** Refuses a new total below what is already paid and credited. */
export function assertTotalCovers(inv: InvoiceRow, totalMinor: number, path: string) {
  const covered = inv.amount_paid_minor + inv.amount_credited_minor
  if (totalMinor < covered && totalMinor < inv.total_minor)
    throw new AppError('invalid_state_change', {
      message:
        `The new total ${money(totalMinor, inv.currency)} would be less than the ${money(covered, inv.currency)} ` +
        `already paid and credited on invoice ${inv.number} (${standing(inv)}).`,
      details: [{ path, message: `Less than the ${money(covered, inv.currency)} paid and credited` }],
    })
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

/**
 * Refuses a change of the invoice's customer or currency while credit notes (void ones too: the
 * link is their history) or payments point at it, naming them.
 */
export async function assertUnlinked(tx: Queryable, inv: InvoiceRow, field: 'customerId' | 'currency') {
  const notes = await tx.all<{ number: string }>(
    'SELECT number FROM credit_notes WHERE invoice_id = ? ORDER BY id',
    [inv.id],
  )
  const payments =
    (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM payments WHERE invoice_id = ?', [inv.id]))?.n ?? 0
  if (notes.length === 0 && payments === 0) return
  const listed =
    notes
      .slice(0, 5)
      .map((n) => n.number)
      .join(', ') + (notes.length > 5 ? ', …' : '')
  const what = [
    ...(notes.length ? [`${count(notes.length, 'credit note')} (${listed})`] : []),
    ...(payments ? [count(payments, 'payment')] : []),
  ].join(' and ')
  const noun = field === 'customerId' ? 'customer' : 'currency'
  throw new AppError('invalid_state_change', {
    message: `Invoice ${inv.number} has ${what} linked to it, so its ${noun} cannot change.`,
    details: [{ path: field, message: `Fixed by the ${what} linked to this invoice` }],
  })
}
