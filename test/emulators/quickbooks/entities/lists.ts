import type { QboEntity } from '../company/store.ts'
import { homeCurrency } from '../company/seed-uk.ts'
import { faults } from '../errors.ts'
import { refValue, required, resolveRef, named, text, type Fields, type WriteContext } from './context.ts'

const INTERNAL = ['Id', 'SyncToken', 'MetaData', 'sparse', 'domain', 'status']
const strip = (fields: Fields) => {
  for (const key of INTERNAL) delete fields[key]
  return fields
}
const NAMES: Record<string, string> = { USD: 'United States Dollar', GBP: 'British Pound Sterling' }
export const currencyName = (code: string) => NAMES[code] ?? code
const same = (a: unknown, b: string) =>
  typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase()

/** QBO renames an inactive name-list entry "X (deleted)", freeing "X" for reuse. */
const DELETED_SUFFIX = ' (deleted)'
function deactivated(name: string, active: unknown, wasActive: boolean): string {
  return active === false && wasActive && !name.endsWith(DELETED_SUFFIX) ? `${name}${DELETED_SUFFIX}` : name
}

/**
 * Customer (PROVIDERS 2.7): DisplayName defaults to the person's name parts (6080 if none), must be
 * unique across customers, vendors and employees, case-insensitively (6240); CurrencyRef is set once.
 */
export function buildCustomer(ctx: WriteContext, input: Fields, existing?: QboEntity): Fields {
  const parts = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix']
    .map((k) => input[k])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
  const given =
    typeof input.DisplayName === 'string' && input.DisplayName.trim() !== '' ? input.DisplayName : null
  let DisplayName = given ?? (parts.length > 0 ? parts.join(' ') : null)
  if (DisplayName === null) throw faults.noName()
  DisplayName = deactivated(
    DisplayName.trim(),
    input.Active,
    existing?.Active !== false && existing !== undefined,
  )
  for (const type of ['Customer', 'Vendor', 'Employee'] as const) {
    const self = (e: QboEntity) => type === 'Customer' && e.Id === existing?.Id
    if (ctx.company.list(type).some((e) => same(e.DisplayName, DisplayName) && !self(e)))
      throw faults.duplicateName(type.toLowerCase())
  }
  const home = homeCurrency(ctx.company)
  const currency = refValue(input.CurrencyRef) ?? refValue(existing?.CurrencyRef) ?? home
  if (existing && currency !== refValue(existing.CurrencyRef))
    throw faults.business('You cannot change the currency of a customer once it is set.')
  if (currency !== home && !ctx.company.list('CompanyCurrency').some((c) => c.Code === currency && c.Active))
    throw faults.business(`The currency ${currency} is not active in this company.`)
  return strip({
    Taxable: true,
    Job: false,
    BillWithParent: false,
    PreferredDeliveryMethod: 'Print',
    Active: true,
    ...input,
    DisplayName,
    FullyQualifiedName: DisplayName,
    PrintOnCheckName: input.PrintOnCheckName ?? DisplayName,
    CurrencyRef: { value: currency, name: currencyName(currency) },
    Balance: existing?.Balance ?? 0,
    BalanceWithJobs: existing?.BalanceWithJobs ?? 0,
  })
}

/** Item: Name unique among items (6240); Service and NonInventory items need an income account. */
export function buildItem(ctx: WriteContext, input: Fields, existing?: QboEntity): Fields {
  const Name = deactivated(
    text(required(input, 'Name')).trim(),
    input.Active,
    existing !== undefined && existing.Active !== false,
  )
  if (ctx.company.list('Item').some((i) => same(i.Name, Name) && i.Id !== existing?.Id))
    throw faults.duplicateName('product or service')
  const Type = input.Type ?? existing?.Type ?? 'Service'
  const refs: Fields = {}
  for (const key of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef'])
    if (input[key] !== undefined) refs[key] = named(resolveRef(ctx, 'Account', input[key], key))
  if ((Type === 'Service' || Type === 'NonInventory') && !refs.IncomeAccountRef)
    throw faults.requiredParam('IncomeAccountRef')
  if (Type === 'Inventory')
    for (const key of ['AssetAccountRef', 'ExpenseAccountRef', 'QtyOnHand', 'InvStartDate'])
      if (input[key] === undefined) throw faults.requiredParam(key)
  return strip({
    Active: true,
    Taxable: false,
    UnitPrice: 0,
    PurchaseCost: 0,
    TrackQtyOnHand: Type === 'Inventory',
    ...input,
    ...refs,
    Name,
    FullyQualifiedName: Name,
    Type,
  })
}

const CLASSIFICATION: Record<string, string> = {
  Bank: 'Asset',
  'Accounts Receivable': 'Asset',
  'Other Current Asset': 'Asset',
  'Fixed Asset': 'Asset',
  'Other Asset': 'Asset',
  'Accounts Payable': 'Liability',
  'Credit Card': 'Liability',
  'Other Current Liability': 'Liability',
  'Long Term Liability': 'Liability',
  Equity: 'Equity',
  Income: 'Revenue',
  'Other Income': 'Revenue',
  'Cost of Goods Sold': 'Expense',
  Expense: 'Expense',
  'Other Expense': 'Expense',
}

/** Account: Name unique (6240); AccountType or AccountSubType required (6010). */
export function buildAccount(ctx: WriteContext, input: Fields, existing?: QboEntity): Fields {
  const Name = text(required(input, 'Name')).trim()
  if (ctx.company.list('Account').some((a) => same(a.Name, Name) && a.Id !== existing?.Id))
    throw faults.duplicateName('account')
  const AccountType = input.AccountType ?? existing?.AccountType
  if (AccountType === undefined && input.AccountSubType === undefined) throw faults.accountTypeMissing()
  return strip({
    SubAccount: false,
    Active: true,
    CurrentBalance: 0,
    CurrentBalanceWithSubAccounts: 0,
    CurrencyRef: { value: homeCurrency(ctx.company), name: currencyName(homeCurrency(ctx.company)) },
    ...input,
    Name,
    FullyQualifiedName: Name,
    AccountType: AccountType ?? 'Income',
    Classification: CLASSIFICATION[text(AccountType ?? 'Income')],
  })
}
