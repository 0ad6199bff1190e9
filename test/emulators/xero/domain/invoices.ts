import { randomUUID } from 'node:crypto'
import { XERO_MESSAGES } from '../messages.ts'
import type { DocumentStatus, InvoiceRecord, LineAmountTypes, OrganisationStore } from '../model.ts'
import type { ContactInput } from './contacts.ts'
import type { DomainDeps, Outcome } from './deps.ts'
import { checkCurrency, checkStatusChange, resolveContact } from './documents.ts'
import { buildLines } from './lines.ts'
import type { LineInput } from './totals.ts'
import { documentTotals } from './totals.ts'
import { readDate, round } from './wire.ts'

export interface InvoiceInput {
  InvoiceID?: string
  Type?: string
  Contact?: ContactInput
  LineItems?: LineInput[]
  Date?: string
  DueDate?: string
  LineAmountTypes?: LineAmountTypes
  InvoiceNumber?: string
  Reference?: string
  CurrencyCode?: string
  CurrencyRate?: number
  Status?: DocumentStatus
}

/** By InvoiceID or, as Xero's path parameter also allows, by InvoiceNumber. */
export function findInvoice(org: OrganisationStore, idOrNumber: string): InvoiceRecord | undefined {
  return (
    org.invoices.get(idOrNumber) ?? [...org.invoices.values()].find((i) => i.InvoiceNumber === idOrNumber)
  )
}

/** ACCREC numbers are unique, case-insensitively; ACCPAY numbers need not be (PROVIDERS 1.6). */
function numberTaken(org: OrganisationStore, number: string, except?: string): boolean {
  const n = number.trim().toLowerCase()
  return [...org.invoices.values()].some(
    (i) => i.Type === 'ACCREC' && i.InvoiceID !== except && i.InvoiceNumber.toLowerCase() === n,
  )
}

function nextNumber(org: OrganisationStore): string {
  let candidate: string
  do candidate = `INV-${String(++org.sequences.invoice).padStart(4, '0')}`
  while (numberTaken(org, candidate))
  return candidate
}

/**
 * PUT creates (a duplicate number fails); POST updates the invoice named by InvoiceID or, for
 * sales invoices, by InvoiceNumber, else creates. Lines with a LineItemID are kept, others are new,
 * and lines left out are deleted (PROVIDERS 1.6).
 */
export function saveInvoice(
  deps: DomainDeps,
  input: InvoiceInput,
  mode: { kind: 'create' | 'upsert' } | { kind: 'update'; target: InvoiceRecord },
  unitdp: number,
): Outcome<InvoiceRecord> {
  const { org, now } = deps
  const existing =
    mode.kind === 'update'
      ? mode.target
      : mode.kind === 'upsert'
        ? input.InvoiceID
          ? org.invoices.get(input.InvoiceID)
          : input.InvoiceNumber && (input.Type ?? 'ACCREC') === 'ACCREC'
            ? findInvoice(org, input.InvoiceNumber)
            : undefined
        : undefined
  if (mode.kind === 'upsert' && input.InvoiceID && !existing)
    return { errors: [XERO_MESSAGES.invoiceNotFound] }
  const statusError = checkStatusChange(
    existing && {
      Status: existing.Status,
      moneyApplied: existing.AmountPaid > 0 || existing.AmountCredited > 0,
    },
    input.Status,
  )
  if (statusError) return { errors: [statusError] }

  const errors: string[] = []
  const type = (input.Type ?? existing?.Type) as InvoiceRecord['Type'] | undefined
  if (type !== 'ACCREC' && type !== 'ACCPAY') errors.push(XERO_MESSAGES.typeRequired)
  const contact = input.Contact || !existing ? resolveContact(org, input.Contact) : null
  if (contact && 'errors' in contact) errors.push(...contact.errors)
  const currency = input.CurrencyCode ?? existing?.CurrencyCode ?? org.profile.BaseCurrency
  const currencyError = checkCurrency(org, currency)
  if (currencyError) errors.push(currencyError)
  const number = input.InvoiceNumber ?? existing?.InvoiceNumber
  if (type === 'ACCREC' && number && numberTaken(org, number, existing?.InvoiceID)) {
    errors.push(XERO_MESSAGES.invoiceNumberNotUnique())
  }
  const date =
    input.Date !== undefined
      ? readDate(input.Date)
      : (existing?.Date ?? new Date(now).toISOString().slice(0, 10))
  const dueDate = input.DueDate !== undefined ? readDate(input.DueDate) : existing?.DueDate
  if (date === null) errors.push(XERO_MESSAGES.dateInvalid(String(input.Date)))
  if (dueDate === null) errors.push(XERO_MESSAGES.dateInvalid(String(input.DueDate)))
  const amountTypes = input.LineAmountTypes ?? existing?.LineAmountTypes ?? 'Exclusive'
  const built = input.LineItems
    ? buildLines(org, input.LineItems, {
        amountTypes,
        unitdp,
        allowDiscounts: type === 'ACCREC',
        ...(existing ? { existing: existing.LineItems } : {}),
      })
    : { lines: existing?.LineItems ?? [] }
  if ('errors' in built) errors.push(...built.errors)
  if (errors.length > 0 || 'errors' in built || (contact && 'errors' in contact)) return { errors }
  const contactId = contact && 'ok' in contact ? contact.ok.commit(deps).ContactID : existing!.ContactID
  const lines = built.lines
  const totals = documentTotals(lines, amountTypes)
  const status = input.Status ?? existing?.Status ?? 'DRAFT'
  const paid = existing?.AmountPaid ?? 0
  const credited = existing?.AmountCredited ?? 0
  const record: InvoiceRecord = {
    InvoiceID: existing?.InvoiceID ?? randomUUID(),
    Type: type!,
    ContactID: contactId,
    InvoiceNumber: number ?? (type === 'ACCREC' ? nextNumber(org) : ''),
    ...((input.Reference ?? existing?.Reference) !== undefined
      ? { Reference: input.Reference ?? existing?.Reference }
      : {}),
    Date: date!,
    ...(dueDate ? { DueDate: dueDate } : {}),
    Status: status,
    LineAmountTypes: amountTypes,
    LineItems: lines,
    CurrencyCode: currency,
    CurrencyRate: input.CurrencyRate ?? existing?.CurrencyRate ?? 1,
    ...totals,
    AmountPaid: paid,
    AmountCredited: credited,
    AmountDue: status === 'VOIDED' || status === 'DELETED' ? 0 : round(totals.Total - paid - credited),
    PaymentIDs: existing?.PaymentIDs ?? [],
    Allocations: existing?.Allocations ?? [],
    UpdatedDateUTC: now,
  }
  org.invoices.set(record.InvoiceID, record)
  deps.emit('INVOICE', existing ? 'UPDATE' : 'CREATE', record.InvoiceID)
  return { ok: record }
}
