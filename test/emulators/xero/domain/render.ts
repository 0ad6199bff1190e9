import type {
  AccountRecord,
  CreditNoteRecord,
  InvoiceRecord,
  LineItemRecord,
  OrganisationStore,
  PaymentRecord,
  TaxRateRecord,
} from '../model.ts'
import { documentDate, msDate, utcString } from './wire.ts'

/** Wire shapes of the [spec] schemas, built from the stored records. */

function contactRef(org: OrganisationStore, id: string) {
  const c = org.contacts.get(id)
  return { ContactID: id, Name: c?.Name ?? '', HasValidationErrors: false }
}

const renderLine = ({ Tracking, ...line }: LineItemRecord) => ({ ...line, Tracking })

export function renderInvoice(org: OrganisationStore, inv: InvoiceRecord, withLines: boolean) {
  const date = documentDate(inv.Date)
  const due = inv.DueDate ? documentDate(inv.DueDate) : undefined
  return {
    Type: inv.Type,
    InvoiceID: inv.InvoiceID,
    InvoiceNumber: inv.InvoiceNumber,
    Reference: inv.Reference ?? '',
    Payments: inv.PaymentIDs.map((id) => org.payments.get(id)!)
      .filter((p) => p.Status === 'AUTHORISED')
      .map((p) => ({
        PaymentID: p.PaymentID,
        Date: documentDate(p.Date).date,
        Amount: p.Amount,
        CurrencyRate: p.CurrencyRate,
        HasAccount: false,
        HasValidationErrors: false,
      })),
    CreditNotes: inv.Allocations.map((a) => ({
      CreditNoteID: a.CreditNoteID,
      CreditNoteNumber: org.creditNotes.get(a.CreditNoteID)?.CreditNoteNumber,
      AppliedAmount: a.Amount,
      DateString: documentDate(a.Date).dateString,
      Date: documentDate(a.Date).date,
    })),
    Prepayments: [],
    Overpayments: [],
    AmountDue: inv.AmountDue,
    AmountPaid: inv.AmountPaid,
    AmountCredited: inv.AmountCredited,
    CurrencyRate: inv.CurrencyRate,
    IsDiscounted: inv.TotalDiscount > 0,
    HasAttachments: false,
    HasErrors: false,
    Contact: contactRef(org, inv.ContactID),
    DateString: date.dateString,
    Date: date.date,
    ...(due ? { DueDateString: due.dateString, DueDate: due.date } : {}),
    Status: inv.Status,
    LineAmountTypes: inv.LineAmountTypes,
    LineItems: withLines ? inv.LineItems.map(renderLine) : [],
    SubTotal: inv.SubTotal,
    TotalTax: inv.TotalTax,
    Total: inv.Total,
    ...(inv.TotalDiscount > 0 ? { TotalDiscount: inv.TotalDiscount } : {}),
    UpdatedDateUTC: msDate(inv.UpdatedDateUTC),
    UpdatedDateUTCString: utcString(inv.UpdatedDateUTC),
    CurrencyCode: inv.CurrencyCode,
    ...(inv.FullyPaidOnDate ? { FullyPaidOnDate: documentDate(inv.FullyPaidOnDate).date } : {}),
  }
}

export function renderCreditNote(org: OrganisationStore, cn: CreditNoteRecord, withLines = true) {
  const date = documentDate(cn.Date)
  return {
    Type: cn.Type,
    CreditNoteID: cn.CreditNoteID,
    CreditNoteNumber: cn.CreditNoteNumber,
    Reference: cn.Reference ?? '',
    Contact: contactRef(org, cn.ContactID),
    DateString: date.dateString,
    Date: date.date,
    Status: cn.Status,
    LineAmountTypes: cn.LineAmountTypes,
    LineItems: withLines ? cn.LineItems.map(renderLine) : [],
    SubTotal: cn.SubTotal,
    TotalTax: cn.TotalTax,
    Total: cn.Total,
    RemainingCredit: cn.RemainingCredit,
    Allocations: cn.Allocations.map((a) => ({
      AllocationID: a.AllocationID,
      Amount: a.Amount,
      Date: documentDate(a.Date).date,
      Invoice: { InvoiceID: a.InvoiceID, InvoiceNumber: org.invoices.get(a.InvoiceID)?.InvoiceNumber },
    })),
    CurrencyCode: cn.CurrencyCode,
    CurrencyRate: cn.CurrencyRate,
    UpdatedDateUTC: msDate(cn.UpdatedDateUTC),
    HasErrors: false,
  }
}

export function renderPayment(org: OrganisationStore, p: PaymentRecord) {
  const inv = org.invoices.get(p.InvoiceID)
  const account = org.accounts.find((a) => a.AccountID === p.AccountID)
  return {
    PaymentID: p.PaymentID,
    Date: documentDate(p.Date).date,
    Amount: p.Amount,
    BankAmount: p.Amount,
    CurrencyRate: p.CurrencyRate,
    Reference: p.Reference ?? '',
    IsReconciled: p.IsReconciled,
    Status: p.Status,
    PaymentType: p.PaymentType,
    UpdatedDateUTC: msDate(p.UpdatedDateUTC),
    HasAccount: true,
    HasValidationErrors: false,
    Account: { AccountID: p.AccountID, Code: account?.Code },
    Invoice: inv && {
      Type: inv.Type,
      InvoiceID: inv.InvoiceID,
      InvoiceNumber: inv.InvoiceNumber,
      Contact: contactRef(org, inv.ContactID),
      CurrencyCode: inv.CurrencyCode,
    },
  }
}

export const renderAccount = ({ UpdatedDateUTC, ...a }: AccountRecord) => ({
  ...a,
  ReportingCode: a.Class.slice(0, 3),
  HasAttachments: false,
  AddToWatchlist: false,
  UpdatedDateUTC: msDate(UpdatedDateUTC),
})

export const renderTaxRate = ({ EffectiveRate, ...r }: TaxRateRecord) => ({
  ...r,
  TaxComponents: [{ Name: r.Name, Rate: EffectiveRate, IsCompound: false, IsNonRecoverable: false }],
  DisplayTaxRate: EffectiveRate,
  EffectiveRate,
})

export function renderOrganisation(org: OrganisationStore) {
  const p = org.profile
  return {
    ...p,
    APIKey: '',
    PaysTax: true,
    OrganisationType: 'COMPANY',
    OrganisationEntityType: 'COMPANY',
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    Class: 'STANDARD',
    Edition: 'BUSINESS',
    LineOfBusiness: 'Software',
    ...(p.PeriodLockDate ? { PeriodLockDate: documentDate(p.PeriodLockDate).date } : {}),
    ...(p.EndOfYearLockDate ? { EndOfYearLockDate: documentDate(p.EndOfYearLockDate).date } : {}),
    CreatedDateUTC: msDate(p.CreatedDateUTC),
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  }
}
