import { randomUUID } from 'node:crypto'
import type { AccountRecord, OrganisationStore } from './model.ts'
import { classOfType } from './seed/charts.ts'

/**
 * A bookkeeper changing the chart in Xero, with Xero's rules (API docs: accounting/accounts):
 * codes unique and at most 10 characters, names unique; system accounts can be neither archived nor
 * deleted; an account used on a transaction cannot be deleted, only archived, and stays listed by
 * GET /Accounts with Status ARCHIVED.
 */
export function createXeroChartControl(org: (tenantId: string) => OrganisationStore, now: () => number) {
  const account = (tenantId: string, code: string) => {
    const found = org(tenantId).accounts.find((a) => a.Code === code)
    if (!found) throw new Error(`no account with code ${code}`)
    return found
  }
  const usedOn = (store: OrganisationStore, a: AccountRecord) =>
    [...store.invoices.values(), ...store.creditNotes.values()].some((d) =>
      d.LineItems.some((l) => l.AccountCode === a.Code),
    ) || [...store.payments.values()].some((p) => p.AccountID === a.AccountID)

  return {
    addAccount(
      tenantId: string,
      a: { Code: string; Name: string; Type: string; TaxType?: string; EnablePaymentsToAccount?: boolean },
    ): AccountRecord {
      const store = org(tenantId)
      if (a.Code.length > 10) throw new Error('Account code must be 10 characters or fewer')
      if (store.accounts.some((x) => x.Code === a.Code)) throw new Error('Please enter a unique Code.')
      if (store.accounts.some((x) => x.Name.toLowerCase() === a.Name.toLowerCase()))
        throw new Error('Please enter a unique Name.')
      const record: AccountRecord = {
        AccountID: randomUUID(),
        Code: a.Code,
        Name: a.Name,
        Type: a.Type,
        TaxType: a.TaxType ?? 'NONE',
        Class: classOfType(a.Type),
        Status: 'ACTIVE',
        EnablePaymentsToAccount: a.EnablePaymentsToAccount ?? false,
        UpdatedDateUTC: now(),
      }
      store.accounts.push(record)
      return record
    },
    archiveAccount(tenantId: string, code: string) {
      const found = account(tenantId, code)
      if (found.SystemAccount) throw new Error('System accounts cannot be archived')
      found.Status = 'ARCHIVED'
      found.UpdatedDateUTC = now()
    },
    deleteAccount(tenantId: string, code: string) {
      const store = org(tenantId)
      const found = account(tenantId, code)
      if (found.SystemAccount) throw new Error('System accounts cannot be deleted')
      if (usedOn(store, found)) throw new Error('This account has transactions: archive it instead')
      store.accounts.splice(store.accounts.indexOf(found), 1)
    },
  }
}
