/**
 * Xero's error texts, in one place so each can be checked against the live service and corrected
 * here alone. Provenance: [spec] = an example in xero_accounting.yaml; [cert] = quoted in
 * CERTIFICATION.md; [3rd] = seen in third-party material; [emu] = wording not found in any source,
 * kept close to Xero's style (README lists these).
 */
export const XERO_MESSAGES = {
  validationException: 'A validation exception occurred', // [spec]
  invoiceNumberNotUnique: () => 'Invoice # must be unique.', // [spec]
  contactNameNotUnique: (name: string) =>
    `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`, // [spec]
  accountCodeInvalid: (code: string) => `Account code '${code}' is not a valid code for this document.`, // [cert]
  accountCodeArchived: (code: string) =>
    `The Account code '${code}' has been archived, or deleted. Each line item must reference a valid account.`, // [3rd]
  taxTypeUnknown: (taxType: string) =>
    `The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`, // [3rd]
  taxTypeNotForAccount: (taxType: string, code: string) =>
    `The TaxType code '${taxType}' cannot be used with account code '${code}'.`, // [3rd]
  currencyNotSubscribed: (code: string) => `Organisation is not subscribed to currency ${code}`, // [3rd]
  contactRequired: 'A Contact must be specified for this type of transaction', // [3rd]
  contactNotFound: (id: string) => `The contact with id ${id} could not be found.`, // [emu]
  contactNameRequired: 'The contact name must be specified', // [emu]
  creditNoteNotFound: 'Credit note could not be found', // [emu]
  invoiceNotFound: 'Invoice could not be found', // [emu]
  dateInvalid: (value: string) => `The date '${value}' is not a valid date`, // [emu]
  typeRequired: 'Invoice Type must be specified', // [emu]
  documentHasPayments: 'This document cannot be edited as it has a payment or credit note allocated to it.', // [3rd]
  invalidStatusForModification: 'Invoice not of valid status for modification', // [3rd]
  discountsOnlyOnSales: 'Discounts are only supported on ACCREC invoices', // [emu] (rule: PROVIDERS 1.7)
  paymentOverAmountDue: 'Payment amount exceeds the amount outstanding on this document', // [3rd]
  paymentDocumentNotAuthorised: 'Payments can only be made against Authorised documents', // [3rd]
  paymentAccountInvalid: 'Account type is invalid for making a payment to/from', // [3rd]
  paymentAccountMissing: 'Account code or ID must be specified', // [emu]
  paymentInvoiceMissing: 'Invoice could not be found', // [emu]
  paymentAmountInvalid: 'Payment amount must be greater than zero', // [emu]
  paymentAlreadyDeleted: 'This payment has already been deleted', // [emu]
  paymentReconciled: 'This payment has been reconciled and cannot be deleted', // [emu]
  creditNoteNumberNotUnique: () => 'Credit Note # must be unique.', // [emu] (after invoiceNumberNotUnique; rule: [spec] CreditNoteNumber)
  creditNoteNotAuthorised: 'Credit Note must be Authorised before it can be allocated', // [emu]
  allocationOverRemainingCredit: 'Allocation amount exceeds the remaining credit on this credit note', // [emu]
  allocationOverAmountDue: 'Credit Note cannot be allocated as amount is greater than amount outstanding', // [3rd] (xeroizer #320)
  allocationInvoicePaid: 'The invoice you are trying to allocate to has already been paid off', // [3rd] (xeroizer #320)
  allocationInvoiceType: 'Credit Note cannot be allocated to an incorrect invoice type', // [3rd] (xeroizer #320, cut off after "invoice t")
  allocationContactMismatch: 'The invoice and credit note must belong to the same contact', // [emu]
  allocationCurrencyMismatch: 'The invoice and credit note must be in the same currency', // [emu]
  idempotencyKeyReused: (key: string) => `Idempotency Key ${key} is used with a different request`, // [3rd] (PROVIDERS 1.5)
  idempotencyKeyTooLong: 'Idempotency-Key must be 128 characters or fewer', // [emu]
  requestTooLarge: 'The request is too large. Requests to the Accounting API must be no larger than 3.5MB', // [emu]
} as const
