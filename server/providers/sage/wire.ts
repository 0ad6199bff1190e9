import { z } from 'zod'

/**
 * Sage v3.1 wire shapes, field names from the v3.1 swagger as the SDK docs give them (PROVIDERS
 * 3.3). Loose objects: Sage answers many more attributes than the sync reads.
 */
const Ref = z.looseObject({ id: z.string(), displayed_as: z.string().nullish() })

export const SageContactRaw = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  reference: z.string().nullish(),
  email: z.string().nullish(),
  main_contact_person: z.looseObject({ email: z.string().nullish() }).nullish(),
})
export type SageContactRaw = z.infer<typeof SageContactRaw>

const SageLineRaw = z.looseObject({ id: z.string() })

export const SageInvoiceRaw = z.looseObject({
  id: z.string(),
  invoice_number: z.string(),
  status: Ref,
  editable: z.boolean().nullish(),
  currency: Ref,
  net_amount: z.number(),
  tax_amount: z.number(),
  total_amount: z.number(),
  invoice_lines: z.array(SageLineRaw),
})
export type SageInvoiceRaw = z.infer<typeof SageInvoiceRaw>

/** What a lean listing answers with `attributes=invoice_number`. */
export const SageInvoiceListItem = z.looseObject({ id: z.string(), invoice_number: z.string() })

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
