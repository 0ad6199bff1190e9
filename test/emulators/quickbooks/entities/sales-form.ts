import type { QboEntity } from '../company/store.ts'
import { homeCurrency, isUsCompany } from '../company/seed-uk.ts'
import { faults } from '../errors.ts'
import { addDays } from '../time.ts'
import {
  assertPeriodOpen,
  fromCents,
  isRecord,
  named,
  refValue,
  resolveRef,
  text,
  today,
  type Fields,
  type WriteContext,
} from './context.ts'
import { currencyName } from './lists.ts'
import { normalizeSalesLines } from './sales-lines.ts'
import { computeSalesTax } from './sales-tax.ts'
import { globalTaxDetail } from './sales-tax-global.ts'

/** Checks the transaction currency against the company and the customer (PROVIDERS 2.7 Invoice). */
export function transactionCurrency(ctx: WriteContext, input: Fields, customer: QboEntity): Fields {
  const home = homeCurrency(ctx.company)
  const customerCurrency = refValue(customer.CurrencyRef) ?? home
  const wanted = refValue(input.CurrencyRef) ?? customerCurrency
  const prefs = ctx.company.preferences().CurrencyPrefs as Fields
  if (wanted !== home && prefs.MultiCurrencyEnabled !== true)
    throw faults.business(`Multicurrency is not turned on; ${wanted} cannot be used in this company.`)
  const enabled = ctx.company.list('CompanyCurrency').some((c) => c.Code === wanted && c.Active === true)
  if (wanted !== home && !enabled)
    throw faults.business(`The currency ${wanted} is not active in this company.`)
  if (wanted !== customerCurrency)
    throw faults.business(
      `The transaction currency ${wanted} must match the customer's currency ${customerCurrency}.`,
    )
  return { value: wanted, name: currencyName(wanted) }
}

/**
 * Builds the stored Invoice or CreditMemo from a request: required CustomerRef and Line (2020),
 * references (2500/610), currency, closed books (6210), DocNumber (auto, or 6140 on a duplicate
 * invoice number unless include=allowduplicatedocnum), DueDate from terms, tax and totals.
 */
export function buildSalesForm(
  kind: 'Invoice' | 'CreditMemo',
  ctx: WriteContext,
  input: Fields,
  existing?: QboEntity,
): Fields {
  if (input.CustomerRef === undefined) throw faults.requiredParam('CustomerRef')
  const customer = resolveRef(ctx, 'Customer', input.CustomerRef, 'CustomerRef')
  const CurrencyRef = transactionCurrency(ctx, input, customer)
  const TxnDate = typeof input.TxnDate === 'string' ? input.TxnDate : text(existing?.TxnDate ?? today(ctx))
  assertPeriodOpen(ctx, TxnDate)
  if (existing) assertPeriodOpen(ctx, existing.TxnDate)
  const us = isUsCompany(ctx.company)
  // GlobalTaxCalculation is for non-US companies (PROVIDERS 2.7); AST decides for US ones.
  const GlobalTaxCalculation = us ? undefined : text(input.GlobalTaxCalculation ?? 'TaxExcluded')
  const inclusive = GlobalTaxCalculation === 'TaxInclusive'
  const sales = normalizeSalesLines(ctx, input.Line, { previous: existing?.Line, inclusive })

  let DocNumber = input.DocNumber as string | undefined
  const custom = (ctx.company.preferences().SalesFormsPrefs as Fields).CustomTxnNumbers === true
  if (DocNumber === undefined || !custom) DocNumber = existing?.DocNumber as string | undefined
  DocNumber ??= ctx.company.nextDocNumber()
  if (kind === 'Invoice' && !ctx.include.has('allowduplicatedocnum')) {
    const clash = ctx.company.list('Invoice').find((i) => i.DocNumber === DocNumber && i.Id !== existing?.Id)
    if (clash) throw faults.duplicateDocNumber(DocNumber, 'Invoice', clash.Id)
  }

  const address = input.ShipAddr ?? input.BillAddr ?? customer.ShipAddr ?? customer.BillAddr
  const taxBase =
    input.ApplyTaxAfterDiscount === true && sales.subtotalCents > 0
      ? sales.taxableCents - Math.round((sales.discountCents * sales.taxableCents) / sales.subtotalCents)
      : sales.taxableCents
  const tax = us
    ? computeSalesTax(ctx.company, {
        taxableCents: taxBase,
        address: isRecord(address) ? address : ctx.company.info().CompanyAddr,
        customerTaxable: customer.Taxable !== false,
      })
    : globalTaxDetail(ctx, sales.taxed)
  // Tax-inclusive line amounts already hold their tax.
  const totalCents = sales.subtotalCents - sales.discountCents + (inclusive ? 0 : tax.totalCents)

  const form: Fields = {
    ...input,
    DocNumber,
    TxnDate,
    CurrencyRef,
    CustomerRef: named(customer, 'DisplayName'),
    Line: sales.lines,
    TxnTaxDetail: tax.detail,
    TotalAmt: fromCents(totalCents),
    ApplyTaxAfterDiscount: input.ApplyTaxAfterDiscount === true,
    ...(GlobalTaxCalculation ? { GlobalTaxCalculation } : {}),
    PrintStatus: input.PrintStatus ?? 'NeedToPrint',
    EmailStatus: input.EmailStatus ?? 'NotSet',
    BillAddr: input.BillAddr ?? customer.BillAddr,
    BillEmail: input.BillEmail ?? customer.PrimaryEmailAddr,
    Balance: fromCents(totalCents),
    LinkedTxn: [],
  }
  for (const key of ['Id', 'SyncToken', 'MetaData', 'sparse', 'domain', 'status']) delete form[key]
  if (form.BillAddr === undefined) delete form.BillAddr
  if (form.BillEmail === undefined) delete form.BillEmail
  if (kind === 'Invoice') {
    const defaults = ctx.company.preferences().SalesFormsPrefs as Fields
    const termId =
      refValue(input.SalesTermRef) ?? refValue(customer.SalesTermRef) ?? refValue(defaults.DefaultTerms)
    const term = termId ? ctx.company.get('Term', termId) : undefined
    if (input.SalesTermRef !== undefined && !term) throw faults.invalidReference('SalesTermRef')
    form.SalesTermRef = term ? { value: term.Id, name: term.Name } : undefined
    form.DueDate = input.DueDate ?? addDays(TxnDate, Number(term?.DueDays ?? 0))
    form.Deposit = 0
    form.AllowOnlineCreditCardPayment = false
    form.AllowOnlineACHPayment = false
  } else {
    form.RemainingCredit = form.TotalAmt
  }
  return form
}
