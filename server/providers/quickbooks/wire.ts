import { z } from 'zod'

/**
 * The QuickBooks Online wire format of what the sync reads and writes, from Intuit's XSD
 * (`qbo-xsd/Finance.xsd`, `IntuitNamesTypes.xsd`) and PROVIDERS.md 2.7. Loose objects: Intuit adds
 * fields with every minor version, and an unknown field must never fail a sync. Amounts are JSON
 * numbers with at most 2 decimals (QBO keeps line and document amounts to the cent).
 */
export const RefSchema = z.looseObject({ value: z.string(), name: z.string().optional() })
export type QboRef = z.infer<typeof RefSchema>

export const CustomerRawSchema = z.looseObject({
  Id: z.string(),
  SyncToken: z.string(),
  DisplayName: z.string(),
  Active: z.boolean().optional(),
  PrimaryEmailAddr: z.looseObject({ Address: z.string().optional() }).optional(),
  CurrencyRef: RefSchema.optional(),
})
export type QboCustomerRaw = z.infer<typeof CustomerRawSchema>

export const LineRawSchema = z.looseObject({
  Id: z.string().optional(),
  DetailType: z.string(),
  Amount: z.number().optional(),
  Description: z.string().optional(),
  SalesItemLineDetail: z
    .looseObject({
      ItemRef: RefSchema.optional(),
      Qty: z.number().optional(),
      UnitPrice: z.number().optional(),
      TaxCodeRef: RefSchema.optional(),
      ItemAccountRef: RefSchema.optional(),
    })
    .optional(),
})
export type QboLineRaw = z.infer<typeof LineRawSchema>

/** A link between transactions: on an Invoice, the Payments applied to it; on a Payment line, what it pays. */
export const LinkedTxnSchema = z.looseObject({ TxnId: z.string(), TxnType: z.string() })

/** An Invoice; a CreditMemo is the same sales form with RemainingCredit (PROVIDERS 2.7). */
export const InvoiceRawSchema = z.looseObject({
  Id: z.string(),
  SyncToken: z.string(),
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  CustomerRef: RefSchema.optional(),
  CurrencyRef: RefSchema.optional(),
  TotalAmt: z.number(),
  Balance: z.number().optional(),
  PrivateNote: z.string().optional(),
  TxnTaxDetail: z.looseObject({ TotalTax: z.number().optional() }).optional(),
  Line: z.array(LineRawSchema),
  LinkedTxn: z.array(LinkedTxnSchema).optional(),
})
export type QboInvoiceRaw = z.infer<typeof InvoiceRawSchema>

/** Finance.xsd CreditMemo: RemainingCredit is what is not yet applied (read-only); LinkedTxn the Payments applying it. */
export const CreditMemoRawSchema = InvoiceRawSchema.extend({ RemainingCredit: z.number().optional() })
export type QboCreditMemoRaw = z.infer<typeof CreditMemoRawSchema>

/** A received payment: each line applies its Amount to the document its LinkedTxn names (PROVIDERS 2.7). */
export const PaymentRawSchema = z.looseObject({
  Id: z.string(),
  SyncToken: z.string(),
  TxnDate: z.string().optional(),
  TotalAmt: z.number(),
  CustomerRef: RefSchema.optional(),
  CurrencyRef: RefSchema.optional(),
  DepositToAccountRef: RefSchema.optional(),
  PaymentRefNum: z.string().optional(),
  PrivateNote: z.string().optional(),
  UnappliedAmt: z.number().optional(),
  Line: z
    .array(z.looseObject({ Amount: z.number().optional(), LinkedTxn: z.array(LinkedTxnSchema).optional() }))
    .optional(),
})
export type QboPaymentRaw = z.infer<typeof PaymentRawSchema>

/** What `?operation=delete` answers: the entity reduced to its Id and `"status":"Deleted"`. */
export const DeletedRawSchema = z.looseObject({ Id: z.string(), status: z.string().optional() })

export const AccountRawSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  AcctNum: z.string().optional(),
  Active: z.boolean().optional(),
  AccountType: z.string().optional(),
  AccountSubType: z.string().optional(),
  Classification: z.string().optional(),
})
export type QboAccountRaw = z.infer<typeof AccountRawSchema>

export const TaxRateRawSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  RateValue: z.number().optional(),
  Active: z.boolean().optional(),
})
export type QboTaxRateRaw = z.infer<typeof TaxRateRawSchema>

export const TaxCodeRawSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  Active: z.boolean().optional(),
  SalesTaxRateList: z
    .looseObject({
      TaxRateDetail: z.array(z.looseObject({ TaxRateRef: RefSchema })).optional(),
    })
    .optional(),
})
export type QboTaxCodeRaw = z.infer<typeof TaxCodeRawSchema>

export const ItemRawSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  Active: z.boolean().optional(),
  IncomeAccountRef: RefSchema.optional(),
})
export type QboItemRaw = z.infer<typeof ItemRawSchema>

export const CompanyCurrencyRawSchema = z.looseObject({ Code: z.string(), Active: z.boolean().optional() })

export const PreferencesRawSchema = z.looseObject({
  CurrencyPrefs: z
    .looseObject({ MultiCurrencyEnabled: z.boolean().optional(), HomeCurrency: RefSchema.optional() })
    .optional(),
})

/** `{"Fault":{"Error":[…],"type":…}}`, whole-request or per batch item (PROVIDERS 2.6). */
export const FaultErrorSchema = z.looseObject({
  code: z.string().optional(),
  Message: z.string().optional(),
  Detail: z.string().optional(),
  element: z.string().optional(),
})
export const FaultSchema = z.looseObject({ Error: z.array(FaultErrorSchema), type: z.string().optional() })
export type QboFaultRaw = z.infer<typeof FaultSchema>

export const BatchResponseSchema = z.looseObject({
  BatchItemResponse: z.array(
    z.looseObject({ bId: z.string().optional(), Fault: FaultSchema.optional() }).catchall(z.unknown()),
  ),
})
