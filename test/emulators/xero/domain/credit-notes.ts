import { randomUUID } from 'node:crypto'
import { XERO_MESSAGES } from '../messages.ts'
import type { CreditNoteRecord, DocumentStatus, LineAmountTypes, OrganisationStore } from '../model.ts'
import type { ContactInput } from './contacts.ts'
import type { DomainDeps, Outcome } from './deps.ts'
import { checkCurrency, checkStatusChange, resolveContact } from './documents.ts'
import { buildLines } from './lines.ts'
import { settleInvoice } from './payments.ts'
import type { LineInput } from './totals.ts'
import { documentTotals } from './totals.ts'
import { readDate, round } from './wire.ts'

export interface CreditNoteInput {
  CreditNoteID?: string
  Type?: string
  Contact?: ContactInput
  LineItems?: LineInput[]
  Date?: string
  LineAmountTypes?: LineAmountTypes
  CreditNoteNumber?: string
  Reference?: string
  CurrencyCode?: string
  CurrencyRate?: number
  Status?: DocumentStatus
}

const emitCreditNote = (deps: DomainDeps, cn: CreditNoteRecord, type: 'CREATE' | 'UPDATE') =>
  deps.emit('CREDITNOTE', type, cn.CreditNoteID, { Type: cn.Type, Status: cn.Status })

/** ACCRECCREDIT numbers are unique ([spec] CreditNoteNumber), case-insensitively as invoice numbers are. */
function numberTaken(org: OrganisationStore, number: string, except?: string): boolean {
  const n = number.trim().toLowerCase()
  return [...org.creditNotes.values()].some(
    (c) => c.Type === 'ACCRECCREDIT' && c.CreditNoteID !== except && c.CreditNoteNumber.toLowerCase() === n,
  )
}

function nextNumber(org: OrganisationStore): string {
  let candidate: string
  do candidate = `CN-${String(++org.sequences.creditNote).padStart(4, '0')}`
  while (numberTaken(org, candidate))
  return candidate
}

/** Credit notes follow the invoice rules without discounts (PROVIDERS 1.7, 1.8). */
export function saveCreditNote(
  deps: DomainDeps,
  input: CreditNoteInput,
  unitdp: number,
): Outcome<CreditNoteRecord> {
  const { org, now } = deps
  const existing = input.CreditNoteID ? org.creditNotes.get(input.CreditNoteID) : undefined
  if (input.CreditNoteID && !existing) return { errors: [XERO_MESSAGES.creditNoteNotFound] }
  const statusError = checkStatusChange(
    existing && { Status: existing.Status, moneyApplied: existing.Allocations.length > 0 },
    input.Status,
  )
  if (statusError) return { errors: [statusError] }
  const errors: string[] = []
  const type = (input.Type ?? existing?.Type) as CreditNoteRecord['Type'] | undefined
  if (type !== 'ACCRECCREDIT' && type !== 'ACCPAYCREDIT') errors.push(XERO_MESSAGES.typeRequired)
  const contact = input.Contact || !existing ? resolveContact(org, input.Contact) : null
  if (contact && 'errors' in contact) errors.push(...contact.errors)
  const currency = input.CurrencyCode ?? existing?.CurrencyCode ?? org.profile.BaseCurrency
  const currencyError = checkCurrency(org, currency)
  if (currencyError) errors.push(currencyError)
  const date =
    input.Date !== undefined
      ? readDate(input.Date)
      : (existing?.Date ?? new Date(now).toISOString().slice(0, 10))
  if (date === null) errors.push(XERO_MESSAGES.dateInvalid(String(input.Date)))
  const number = input.CreditNoteNumber ?? existing?.CreditNoteNumber
  if (type === 'ACCRECCREDIT' && number && numberTaken(org, number, existing?.CreditNoteID)) {
    errors.push(XERO_MESSAGES.creditNoteNumberNotUnique())
  }
  const amountTypes = input.LineAmountTypes ?? existing?.LineAmountTypes ?? 'Exclusive'
  const built = input.LineItems
    ? buildLines(org, input.LineItems, {
        amountTypes,
        unitdp,
        allowDiscounts: false,
        ...(existing ? { existing: existing.LineItems } : {}),
      })
    : { lines: existing?.LineItems ?? [] }
  if ('errors' in built) errors.push(...built.errors)
  if (errors.length > 0 || 'errors' in built || (contact && 'errors' in contact)) return { errors }

  const totals = documentTotals(built.lines, amountTypes)
  const status = input.Status ?? existing?.Status ?? 'DRAFT'
  const record: CreditNoteRecord = {
    CreditNoteID: existing?.CreditNoteID ?? randomUUID(),
    Type: type!,
    ContactID: contact && 'ok' in contact ? contact.ok.commit(deps).ContactID : existing!.ContactID,
    CreditNoteNumber: number ?? nextNumber(org),
    ...((input.Reference ?? existing?.Reference) !== undefined
      ? { Reference: input.Reference ?? existing?.Reference }
      : {}),
    Date: date!,
    Status: status,
    LineAmountTypes: amountTypes,
    LineItems: built.lines,
    CurrencyCode: currency,
    CurrencyRate: input.CurrencyRate ?? existing?.CurrencyRate ?? 1,
    ...totals,
    // Only a note without allocations is saved (checkStatusChange), so all of it is left; a voided
    // or deleted one has none to give, as a voided invoice has nothing due.
    RemainingCredit: status === 'VOIDED' || status === 'DELETED' ? 0 : totals.Total,
    Allocations: existing?.Allocations ?? [],
    UpdatedDateUTC: now,
  }
  org.creditNotes.set(record.CreditNoteID, record)
  emitCreditNote(deps, record, existing ? 'UPDATE' : 'CREATE')
  return { ok: record }
}

export interface AllocationInput {
  Invoice?: { InvoiceID?: string }
  Amount?: number
  Date?: string
}

/**
 * `PUT /CreditNotes/{id}/Allocations`: moves credit from an AUTHORISED credit note onto an
 * AUTHORISED invoice of the matching type (ACCRECCREDIT to ACCREC), the same contact and the same
 * currency, never more than the note has left nor than the invoice has due.
 */
export function allocateCreditNote(
  deps: DomainDeps,
  cn: CreditNoteRecord,
  input: AllocationInput,
): Outcome<CreditNoteRecord['Allocations'][number]> {
  const invoice = input.Invoice?.InvoiceID ? deps.org.invoices.get(input.Invoice.InvoiceID) : undefined
  const amount = round(input.Amount ?? 0)
  const date = readDate(input.Date)
  const errors: string[] = []
  if (cn.Status !== 'AUTHORISED') errors.push(XERO_MESSAGES.creditNoteNotAuthorised)
  if (!invoice) errors.push(XERO_MESSAGES.paymentInvoiceMissing)
  else {
    if (invoice.Type !== (cn.Type === 'ACCRECCREDIT' ? 'ACCREC' : 'ACCPAY'))
      errors.push(XERO_MESSAGES.allocationInvoiceType)
    if (invoice.Status === 'PAID') errors.push(XERO_MESSAGES.allocationInvoicePaid)
    else if (invoice.Status !== 'AUTHORISED') errors.push(XERO_MESSAGES.paymentDocumentNotAuthorised)
    if (invoice.ContactID !== cn.ContactID) errors.push(XERO_MESSAGES.allocationContactMismatch)
    if (invoice.CurrencyCode !== cn.CurrencyCode) errors.push(XERO_MESSAGES.allocationCurrencyMismatch)
    if (amount > invoice.AmountDue) errors.push(XERO_MESSAGES.allocationOverAmountDue)
  }
  if (amount > cn.RemainingCredit) errors.push(XERO_MESSAGES.allocationOverRemainingCredit)
  if (!(amount > 0)) errors.push(XERO_MESSAGES.paymentAmountInvalid)
  if (date === null) errors.push(XERO_MESSAGES.dateInvalid(String(input.Date)))
  if (errors.length > 0 || !invoice || !date) return { errors }

  const allocation = { AllocationID: randomUUID(), InvoiceID: invoice.InvoiceID, Amount: amount, Date: date }
  cn.Allocations.push(allocation)
  cn.RemainingCredit = round(cn.RemainingCredit - amount)
  if (cn.RemainingCredit === 0) cn.Status = 'PAID'
  cn.UpdatedDateUTC = deps.now
  invoice.Allocations.push({ CreditNoteID: cn.CreditNoteID, Amount: amount, Date: date })
  invoice.AmountCredited = round(invoice.AmountCredited + amount)
  settleInvoice(invoice, date, deps.now)
  emitCreditNote(deps, cn, 'UPDATE')
  deps.emit('INVOICE', 'UPDATE', invoice.InvoiceID)
  return { ok: allocation }
}
