import type { ProviderError, ProviderOrganisation } from './provider.ts'

/**
 * The data half of the adapter contract: what the sync engine asks of every provider. Amounts in
 * integer minor units (bigint) or decimal strings as the host sent them, never floats. Each
 * adapter maps these to its wire format in `mappers.ts` and back; nothing here names a provider.
 */

/** Who and where: a fresh access token (the engine refreshed it) and the organisation. */
export interface ProviderAuth {
  accessToken: string
  organisation: ProviderOrganisation
}

/** A record at the provider. `version` is its optimistic-lock token where it has one (QuickBooks' SyncToken). */
export interface ProviderRef {
  id: string
  version?: string | null
  /** Opens the record in the provider's app, where the provider documents such a link. */
  url?: string | null
}

export interface ContactInput {
  /** Our customer id, stored on the contact where the provider has a field for it (Xero ContactNumber, Sage reference). */
  reference: string
  name: string
  email: string | null
  phone: string | null
  currency: string | null
  /**
   * The contact this customer is linked to, when it has one: update it (name, email, phone) rather
   * than create one. `version` is the token of our last write (QuickBooks' SyncToken).
   */
  existing?: ProviderRef | null
}

/** Customers a page when a host reads the organisation's contacts. */
export const CONTACTS_PAGE = 100

/** A contact as a host imports it: our reference where the provider keeps one. */
export interface ListedContact {
  id: string
  name: string
  email: string | null
  reference: string | null
}

export interface ContactPage {
  contacts: ListedContact[]
  hasMore: boolean
}

export interface ContactMatch extends ProviderRef {
  name: string
  email: string | null
  /** How it was found: the engine records it, and a bookkeeper can see why no contact was created. */
  matchedBy: 'reference' | 'email' | 'name'
}

export interface ContactQuery {
  /** Our customer id. */
  reference: string
  email: string | null
  name: string
}

/** The answer to one query of `findMany`: its match (or none), or that query's own failure. */
export type ContactLookup =
  | { reference: string; ok: true; match: ContactMatch | null }
  | { reference: string; ok: false; error: ProviderError }

/** One contact of `upsertMany`: the provider's record, or that item's own failure. */
export type ContactItemResult =
  | { reference: string; ok: true; contact: ProviderRef }
  | { reference: string; ok: false; error: ProviderError }

export interface InvoiceLineInput {
  /** Our line id: stable across edits, so the provider's line is updated, not replaced. */
  lineId: string
  /** The provider's own line id from the last push (Xero LineItemID, QuickBooks Line.Id). */
  providerLineId: string | null
  description: string
  /** Decimal strings as the host sent them: up to 4 decimals for quantity and unit price. */
  quantity: string
  unitPrice: string
  /** Percentage off the line (decimal string) or an amount off it in minor units; at most one. */
  discountRate: string | null
  discountMinor: bigint | null
  /** Mapped ids: the revenue account (code for Xero, id elsewhere), the tax rate, the item (QuickBooks). */
  accountRef: string
  taxRateRef: string | null
  itemRef: string | null
  /** What we computed for the line, to compare with the provider's answer. */
  netMinor: bigint
  taxMinor: bigint
}

export interface InvoiceInput {
  /** Our invoice id: the idempotency keys and the lookup after an uncertain outcome derive from it. */
  invoiceId: string
  number: string
  reference: string | null
  contact: ProviderRef
  currency: string
  issueDate: string
  dueDate: string | null
  amounts: 'tax_exclusive' | 'tax_inclusive'
  notes: string | null
  lines: InvoiceLineInput[]
  /** Our totals in minor units, computed the way this provider computes them. */
  totals: { subtotalMinor: bigint; taxMinor: bigint; totalMinor: bigint }
  /** Set when the invoice was pushed before: update that one. */
  existing: ProviderRef | null
}

/** The provider's view of an invoice after a write or a lookup. */
export interface ProviderInvoice extends ProviderRef {
  number: string
  status: string
  /** Line ids in the order of the input lines (for the next update). */
  lineIds: string[]
  totals: { subtotalMinor: bigint; taxMinor: bigint; totalMinor: bigint }
  /** Paid or voided: the provider refuses edits. */
  locked: boolean
}

/** One item of a batch: the provider's record, or that item's own failure (the others may have landed). */
export type BatchItemResult =
  | { invoiceId: string; ok: true; invoice: ProviderInvoice }
  | { invoiceId: string; ok: false; error: ProviderError }

export interface CreditNoteInput {
  /** Our credit note id: the idempotency keys and the lookup after an uncertain outcome derive from it. */
  creditNoteId: string
  number: string
  reference: string | null
  contact: ProviderRef
  currency: string
  issueDate: string
  amounts: 'tax_exclusive' | 'tax_inclusive'
  notes: string | null
  /** Built as an invoice's lines are (the same mappings, the same totals rules). */
  lines: InvoiceLineInput[]
  totals: { subtotalMinor: bigint; taxMinor: bigint; totalMinor: bigint }
  /** Set when the credit note was pushed before: update that one. */
  existing: ProviderRef | null
  /** The host voided it: the provider's copy is voided (or deleted where the provider offers no void). */
  voided: boolean
}

/** The provider's view of a credit note after a write or a lookup. */
export interface ProviderCreditNote extends ProviderRef {
  number: string
  status: string
  /** Line ids in the order of the input lines (for the next update). */
  lineIds: string[]
  totals: { subtotalMinor: bigint; taxMinor: bigint; totalMinor: bigint }
  /** What of it is not yet allocated to an invoice (or refunded), in minor units. */
  remainingMinor: bigint
  /** Allocated, voided: the provider refuses edits. */
  locked: boolean
}

export type CreditNoteItemResult =
  | { creditNoteId: string; ok: true; creditNote: ProviderCreditNote }
  | { creditNoteId: string; ok: false; error: ProviderError }

/** Part of a credit note set against an invoice of the same contact and currency. */
export interface AllocationInput {
  creditNote: ProviderRef
  invoice: ProviderRef
  contact: ProviderRef
  currency: string
  amountMinor: bigint
  /** YYYY-MM-DD. */
  date: string
}

/** An allocation at the provider: its own id where it has one (QuickBooks' Payment, Sage's contact_allocation). */
export interface ProviderAllocation {
  id: string | null
  creditNoteId: string
  invoiceId: string
  amountMinor: bigint
}

/** How the host says a payment was made; where a provider keeps a method, the adapter maps it. */
export type PaymentMethod = 'bank_transfer' | 'card' | 'cash' | 'cheque' | 'other'

export interface PaymentInput {
  /** Our payment id: the idempotency keys and the lookup after an uncertain outcome derive from it. */
  paymentId: string
  /** The invoice at the provider it pays (already synced), and that invoice's contact. */
  invoice: ProviderRef
  contact: ProviderRef
  /** The mapped account that receives it: a bank account or one that accepts payments (its id, and its code where it has one). */
  account: { id: string; code: string | null }
  /** The invoice's currency; the amount in its minor units, never above what the invoice has due. */
  currency: string
  amountMinor: bigint
  /** YYYY-MM-DD. */
  date: string
  reference: string | null
  method: PaymentMethod
}

/** A payment at the provider, as a write or a lookup answers it. */
export interface ProviderPayment extends ProviderRef {
  /** The provider's id of the invoice it is applied to. */
  invoiceId: string
  amountMinor: bigint
  date: string
  reference: string | null
}

/** One payment of `createMany`: the provider's record, or that item's own failure (the others may have landed). */
export type PaymentItemResult =
  | { paymentId: string; ok: true; payment: ProviderPayment }
  | { paymentId: string; ok: false; error: ProviderError }

/** One record changed at the provider, as the polling feed reports it. */
export interface ProviderChange {
  entity: 'invoice' | 'payment'
  /** The provider's id of the record. */
  id: string
  /** When it changed there (the provider's own timestamp, ISO 8601), so the same change has one id. */
  changedAt: string
  /** Deleted or voided there (QuickBooks' CDC status Deleted, Sage's deleted_since, Xero's DELETED/VOIDED). */
  deleted: boolean
}

export interface ChangeFeed {
  changes: ProviderChange[]
  /** Where the next pass resumes (opaque to the engine). */
  cursor: string | null
}

export interface ProviderAccount {
  id: string
  code: string | null
  name: string
  /** Revenue accounts are what categories map to; `acceptsPayments` marks where payments can go. */
  kind: 'revenue' | 'bank' | 'other'
  active: boolean
  acceptsPayments: boolean
}

export interface ProviderTaxRate {
  id: string
  name: string
  /** Decimal string percentage, e.g. "20" or "12.5". */
  rate: string
  active: boolean
}

export interface ProviderItem {
  id: string
  name: string
  incomeAccountId: string | null
  active: boolean
}

export interface TotalsInput {
  currency: string
  amounts: 'tax_exclusive' | 'tax_inclusive'
  lines: {
    quantity: string
    unitPrice: string
    discountRate: string | null
    discountMinor: bigint | null
    /** The mapped tax rate's percentage as a decimal string ("20"), or null for no tax. */
    taxRate: string | null
  }[]
}

export interface TotalsOutput {
  lines: { netMinor: bigint; taxMinor: bigint }[]
  subtotalMinor: bigint
  taxMinor: bigint
  totalMinor: bigint
}

/**
 * What the sync needs of a provider. `idempotencyKey` is derived from the job, so a retry sends the
 * same one; a provider without keys (Sage) ignores it, and the engine looks up before writing again.
 */
export interface ProviderSync {
  /**
   * How this provider turns lines into totals (per-line or per-document rounding, inclusive tax
   * backed out of the line), in minor units: pure, no I/O. The engine sends these figures and
   * compares the provider's answer with them; any difference is `total_mismatch`.
   */
  totals(input: TotalsInput): TotalsOutput
  /** Which of a mapped account's keys a line names: Xero lines carry the code, others the id. */
  lineAccount: 'code' | 'id'
  contacts: {
    /**
     * How many queries one `findMany` request carries (a `where` clause, a batch of query items):
     * the engine sends no more in one call, so each call is the one request the limits count.
     */
    lookupBatch: number
    /**
     * Many customers in one or a few requests: for each query, its contact by our reference, then
     * email, then normalised name, as the provider can search. One answer per query, in order; a
     * query whose match is ambiguous or archived answers its own error, the others stand.
     * @example const [r] = await sync.contacts.findMany(auth, [{ reference: 'cus_1', email: null, name: 'Acme' }])
     */
    findMany(auth: ProviderAuth, queries: ContactQuery[]): Promise<ContactLookup[]>
    /**
     * Creates these contacts, or updates those with `existing`, in as few requests as the provider
     * allows (its batch), checking every item: one answer per contact, in order, with the record's
     * new version; a refused item (a duplicate name, a contact gone) fails alone.
     * @example const [r] = await sync.contacts.upsertMany(auth, [contact], ctx.idempotencyKey('contacts.0'))
     */
    upsertMany(
      auth: ProviderAuth,
      contacts: ContactInput[],
      idempotencyKey: string,
    ): Promise<ContactItemResult[]>
    /**
     * One page (1-based) of the organisation's active customers (where the provider keeps one list
     * for customers and suppliers, Xero, its active contacts), `CONTACTS_PAGE` a page in the
     * provider's own order, for a host that imports them; `hasMore` when a next page holds more.
     * @example const { contacts, hasMore } = await sync.contacts.listPage(auth, 1)
     */
    listPage(auth: ProviderAuth, page: number): Promise<ContactPage>
  }
  invoices: {
    /** Creates or updates up to `facts.batchSize` invoices in one request, checking every item. */
    upsertMany(
      auth: ProviderAuth,
      invoices: InvoiceInput[],
      idempotencyKey: string,
    ): Promise<BatchItemResult[]>
    /** Our invoices by number, for the lookup after an uncertain outcome. */
    findByNumbers(auth: ProviderAuth, numbers: string[]): Promise<ProviderInvoice[]>
  }
  creditNotes: {
    /**
     * Creates or updates up to `facts.batchSize` credit notes in one request where the provider
     * allows, checking every item: one answer per credit note, in order; a refused one fails alone.
     * A `voided` one is voided there (or deleted where the provider has no void).
     * @example const [r] = await sync.creditNotes.upsertMany(auth, [note], ctx.idempotencyKey('credit_notes.0'))
     */
    upsertMany(
      auth: ProviderAuth,
      notes: CreditNoteInput[],
      idempotencyKey: string,
    ): Promise<CreditNoteItemResult[]>
    /** Our credit notes by number, for the lookup after an uncertain outcome. */
    findByNumbers(auth: ProviderAuth, numbers: string[]): Promise<ProviderCreditNote[]>
    /**
     * Sets `amountMinor` of the credit note against the invoice (Xero: PUT /CreditNotes/{id}/Allocations;
     * QuickBooks: a Payment of 0 linking the CreditMemo and the Invoice; Sage: a contact_allocation).
     * Never over: more than the credit note has left, or than the invoice has due, is a 'validation'
     * error with both amounts, checked by the adapter where the provider would not refuse it.
     */
    allocate(
      auth: ProviderAuth,
      allocation: AllocationInput,
      idempotencyKey: string,
    ): Promise<ProviderAllocation>
    /** The credit note's live allocations, for the lookup after an uncertain outcome. */
    allocations(auth: ProviderAuth, creditNote: ProviderRef): Promise<ProviderAllocation[]>
  }
  payments: {
    /** How many payments one `createMany` request carries (a batch where the provider has one; 1 where not). */
    batchSize: number
    /**
     * Records up to `batchSize` payments, each applied to its invoice, in one request where the
     * provider allows, checking every item: one answer per payment, in order. A payment the provider
     * refuses (more than the invoice has due, an account that takes no payments, an invoice that is
     * not open) fails alone with the provider's reason as a 'validation' error.
     * @example const [r] = await sync.payments.createMany(auth, [payment], ctx.idempotencyKey('payments.0'))
     */
    createMany(
      auth: ProviderAuth,
      payments: PaymentInput[],
      idempotencyKey: string,
    ): Promise<PaymentItemResult[]>
    /**
     * The live (not removed) payments applied to these provider invoices, for the lookup after an
     * uncertain outcome: the engine claims each one for at most one of ours by invoice, amount and date.
     */
    findForInvoices(auth: ProviderAuth, invoiceIds: string[]): Promise<ProviderPayment[]>
    /**
     * About how many invoices one request of `findForInvoices` covers (Sage reads each invoice): the
     * daily reconciliation sizes its walk to its share of the daily budget with it.
     */
    invoicesPerLookup: number
    /**
     * Payments by id, where an event or the polling feed names one (QuickBooks' webhooks, every
     * provider's change feed): each as it is now, one answer per invoice it is applied to; a
     * payment gone (deleted) answers nothing.
     */
    read(auth: ProviderAuth, paymentIds: string[]): Promise<ProviderPayment[]>
    /**
     * Removes a payment the host removed (Xero marks it DELETED, QuickBooks deletes it, Sage
     * deletes it). One already gone answers as removed. Where the provider refuses (a payment
     * reconciled against the bank), a 'locked' error with the provider's reason.
     */
    remove(auth: ProviderAuth, payment: ProviderRef, idempotencyKey: string): Promise<void>
  }
  /**
   * The polling backstop's feed (webhooks are missed, Sage sends none): what changed there since a
   * cursor, resumed where the last pass stopped.
   */
  changes: {
    /**
     * Provider requests one `since` pass makes when nothing changed (the polling interval is
     * derived from it and the provider's daily budget).
     */
    callsPerPass: number
    /**
     * The invoices and payments created, changed or deleted there since `cursor` (null: since
     * `from`, an ISO instant), paged to the end: each as the provider's id with the instant it
     * changed there, and the cursor to resume from (the provider's own latest change time seen,
     * so no clock of ours is trusted; unchanged when nothing changed). Xero: If-Modified-Since on
     * Invoices and Payments; QuickBooks: Change Data Capture; Sage: updated_or_created_since and
     * deleted_since.
     * @example const { changes, cursor } = await sync.changes.since(auth, null, '2026-11-01T00:00:00Z')
     */
    since(auth: ProviderAuth, cursor: string | null, from: string): Promise<ChangeFeed>
  }
  chart: {
    accounts(auth: ProviderAuth): Promise<ProviderAccount[]>
    taxRates(auth: ProviderAuth): Promise<ProviderTaxRate[]>
    currencies(auth: ProviderAuth): Promise<string[]>
    /** Where lines need a catalogue item (QuickBooks). */
    items?(auth: ProviderAuth): Promise<ProviderItem[]>
    createItem?(
      auth: ProviderAuth,
      item: { name: string; incomeAccountId: string },
      idempotencyKey: string,
    ): Promise<ProviderItem>
  }
}
