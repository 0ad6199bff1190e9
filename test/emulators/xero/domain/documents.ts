import { XERO_MESSAGES } from '../messages.ts'
import type { ContactRecord, DocumentStatus, OrganisationStore } from '../model.ts'
import type { ContactInput } from './contacts.ts'
import { findActiveByName, findContact, saveContact } from './contacts.ts'
import type { DomainDeps, Outcome } from './deps.ts'

/**
 * Rules invoices and credit notes share: status transitions (PROVIDERS 1.6), the contact
 * reference, the currency, and the lock once money is applied.
 */
const TRANSITIONS: Record<DocumentStatus, DocumentStatus[]> = {
  DRAFT: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  AUTHORISED: ['AUTHORISED', 'VOIDED'],
  PAID: [],
  VOIDED: [],
  DELETED: [],
}
const CREATABLE: DocumentStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED']

export function checkStatusChange(
  existing: { Status: DocumentStatus; moneyApplied: boolean } | undefined,
  requested: DocumentStatus | undefined,
): string | null {
  if (!existing)
    return requested && !CREATABLE.includes(requested) ? XERO_MESSAGES.invalidStatusForModification : null
  if (existing.moneyApplied || existing.Status === 'PAID') return XERO_MESSAGES.documentHasPayments
  if (!TRANSITIONS[existing.Status].includes(requested ?? existing.Status)) {
    return XERO_MESSAGES.invalidStatusForModification
  }
  return null
}

export function checkCurrency(org: OrganisationStore, code: string): string | null {
  return org.currencies.some((c) => c.Code === code) ? null : XERO_MESSAGES.currencyNotSubscribed(code)
}

/**
 * Resolves `Contact` on a document: ContactID must exist; otherwise ContactNumber or an active
 * contact of that name is used, and a new name creates a contact (PROVIDERS 1.6). Creation is
 * deferred to `commit` so a document that fails creates nothing.
 */
export function resolveContact(
  org: OrganisationStore,
  input: ContactInput | undefined,
): Outcome<{ contact?: ContactRecord; commit(deps: DomainDeps): ContactRecord }> {
  if (!input || (!input.ContactID && !input.Name && !input.ContactNumber)) {
    return { errors: [XERO_MESSAGES.contactRequired] }
  }
  const found = findContact(org, input) ?? (input.Name ? findActiveByName(org, input.Name) : undefined)
  if (found) return { ok: { contact: found, commit: () => found } }
  if (input.ContactID) return { errors: [XERO_MESSAGES.contactNotFound(input.ContactID)] }
  if (!input.Name) return { errors: [XERO_MESSAGES.contactRequired] }
  return {
    ok: {
      commit(deps) {
        const saved = saveContact(
          deps,
          { Name: input.Name!, ...(input.EmailAddress ? { EmailAddress: input.EmailAddress } : {}) },
          'create',
        )
        if ('errors' in saved) throw new Error(saved.errors.join('; '))
        return saved.ok
      },
    },
  }
}
