import { z } from 'zod'

/**
 * Sage v3.1 wire shapes, field names from the v3.1 swagger as the SDK docs give them (PROVIDERS
 * 3.3). Loose objects: Sage answers many more attributes than the sync reads.
 */
const Ref = z.looseObject({ id: z.string(), displayed_as: z.string().nullish() })

/**
 * `links` (the Link schema: href, rel, type): among them the record's page in Sage's web app, as
 * `rel: "alternate", type: "text/html"` (facts.ts SAGE_APP).
 */
const Links = z.array(
  z.looseObject({ href: z.string(), rel: z.string().nullish(), type: z.string().nullish() }),
)

export const SageContactRaw = z.looseObject({
  id: z.string(),
  links: Links.nullish(),
  name: z.string().nullish(),
  reference: z.string().nullish(),
  email: z.string().nullish(),
  main_contact_person: z.looseObject({ email: z.string().nullish() }).nullish(),
})
export type SageContactRaw = z.infer<typeof SageContactRaw>

const SageLineRaw = z.looseObject({ id: z.string() })

/** What a sales invoice and a sales credit note share (the SalesInvoice / SalesCreditNote schemas). */
const SageArtefactFields = {
  id: z.string(),
  links: Links.nullish(),
  status: Ref,
  editable: z.boolean().nullish(),
  currency: Ref,
  net_amount: z.number(),
  tax_amount: z.number(),
  total_amount: z.number(),
}

export const SageInvoiceRaw = z.looseObject({
  ...SageArtefactFields,
  invoice_number: z.string(),
  invoice_lines: z.array(SageLineRaw),
})
export type SageInvoiceRaw = z.infer<typeof SageInvoiceRaw>

/** What a lean listing answers with `attributes=invoice_number`. */
export const SageInvoiceListItem = z.looseObject({ id: z.string(), invoice_number: z.string() })

/** `outstanding_amount` is what is not yet allocated to an invoice or refunded. */
export const SageCreditNoteRaw = z.looseObject({
  ...SageArtefactFields,
  credit_note_number: z.string(),
  credit_note_lines: z.array(SageLineRaw),
  outstanding_amount: z.number(),
})
export type SageCreditNoteRaw = z.infer<typeof SageCreditNoteRaw>

/** What a lean listing answers with `attributes=credit_note_number`. */
export const SageCreditNoteListItem = z.looseObject({ id: z.string(), credit_note_number: z.string() })

export const SageLedgerAccountRaw = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  displayed_as: z.string(),
  nominal_code: z.number().nullish(),
  ledger_account_type: Ref.nullish(),
  included_in_chart: z.boolean().nullish(),
  visible_in_sales: z.boolean().nullish(),
})

export const SageBankAccountRaw = z.looseObject({
  id: z.string(),
  displayed_as: z.string(),
  nominal_code: z.number().nullish(),
  bank_account_details: z.looseObject({ account_name: z.string().nullish() }).nullish(),
})

export const SageTaxRateRaw = z.looseObject({
  id: z.string(),
  displayed_as: z.string(),
  percentage: z.number(),
  is_visible: z.boolean().nullish(),
})

export const SageFinancialSettingsRaw = z.looseObject({
  base_currency: Ref,
  multi_currency_enabled: z.boolean().nullish(),
})

export const SageBusinessRateRaw = z.looseObject({ currency: Ref })

/** One of `allocated_artefacts` as Sage answers it (AllocatedPaymentArtefact schema). */
const SageAllocatedArtefactRaw = z.looseObject({ artefact: Ref, amount: z.number() })

/** A customer receipt as POST /contact_payments answers it (ContactPayment schema). */
export const SageContactPaymentRaw = z.looseObject({
  id: z.string(),
  date: z.string(),
  reference: z.string().nullish(),
  currency: Ref,
  allocated_artefacts: z.array(SageAllocatedArtefactRaw),
})
export type SageContactPaymentRaw = z.infer<typeof SageContactPaymentRaw>

/**
 * A sales invoice or credit note read for what settles it: `payments_allocations` (PaymentAllocation
 * schema) holds each live receipt or refund (`contact_payment`) or allocation (`contact_allocation`)
 * with the amount set against this document. Required: without it, "none" could not be told from
 * "not answered", and a retry would pay or allocate twice.
 */
export const SagePaymentsAllocationsRaw = z.looseObject({
  id: z.string(),
  currency: Ref,
  payments_allocations: z.array(
    z.looseObject({
      date: z.string(),
      reference: z.string().nullish(),
      amount: z.number(),
      contact_payment: Ref.nullish(),
      contact_allocation: Ref.nullish(),
    }),
  ),
})
export type SagePaymentsAllocationsRaw = z.infer<typeof SagePaymentsAllocationsRaw>
/** The same read of a sales invoice, under the name payments.ts knows it by. */
export const SageInvoicePaymentsRaw = SagePaymentsAllocationsRaw
export type SageInvoicePaymentsRaw = SagePaymentsAllocationsRaw

/**
 * A contact_allocation (ContactAllocation schema) as POST and GET /contact_allocations answer it:
 * the documents it sets against each other, signed as Sage signs them (an invoice positive, a
 * credit note negative), summing to zero.
 */
export const SageContactAllocationRaw = z.looseObject({
  id: z.string(),
  allocated_artefacts: z.array(SageAllocatedArtefactRaw),
})
export type SageContactAllocationRaw = z.infer<typeof SageContactAllocationRaw>
