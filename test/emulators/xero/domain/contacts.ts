import { randomUUID } from 'node:crypto'
import { XERO_MESSAGES } from '../messages.ts'
import type { ContactRecord, OrganisationStore } from '../model.ts'
import type { DomainDeps, Outcome } from './deps.ts'
import { msDate } from './wire.ts'

export type ContactInput = Partial<Omit<ContactRecord, 'UpdatedDateUTC'>>

const WRITABLE = [
  'Name',
  'ContactNumber',
  'AccountNumber',
  'FirstName',
  'LastName',
  'EmailAddress',
  'TaxNumber',
  'DefaultCurrency',
  'ContactStatus',
  'Addresses',
  'Phones',
] as const

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/** Names must be unique among ACTIVE contacts (PROVIDERS 1.6); archived ones do not count. */
export function findActiveByName(org: OrganisationStore, name: string, except?: string) {
  return [...org.contacts.values()].find(
    (c) => c.ContactStatus === 'ACTIVE' && c.ContactID !== except && sameName(c.Name, name),
  )
}

/** Find by ContactID, else (for POST) by ContactNumber, the API-only external key (PROVIDERS 1.6). */
export function findContact(org: OrganisationStore, input: ContactInput): ContactRecord | undefined {
  if (input.ContactID) return org.contacts.get(input.ContactID)
  if (input.ContactNumber)
    return [...org.contacts.values()].find((c) => c.ContactNumber === input.ContactNumber)
  return undefined
}

/** PUT creates; POST updates the matched contact or creates one. */
export function saveContact(
  deps: DomainDeps,
  input: ContactInput,
  mode: 'create' | 'upsert',
): Outcome<ContactRecord> {
  const { org, now } = deps
  const existing = mode === 'upsert' ? findContact(org, input) : undefined
  if (mode === 'upsert' && input.ContactID && !existing)
    return { errors: [XERO_MESSAGES.contactNotFound(input.ContactID)] }
  const name = input.Name ?? existing?.Name
  if (!name?.trim()) return { errors: [XERO_MESSAGES.contactNameRequired] }
  const status = input.ContactStatus ?? existing?.ContactStatus ?? 'ACTIVE'
  if (status === 'ACTIVE' && findActiveByName(org, name, existing?.ContactID)) {
    return { errors: [XERO_MESSAGES.contactNameNotUnique(name)] }
  }
  const record: ContactRecord = existing ?? {
    ContactID: randomUUID(),
    Name: name,
    ContactStatus: 'ACTIVE',
    IsCustomer: false,
    IsSupplier: false,
    Addresses: [],
    Phones: [],
    UpdatedDateUTC: now,
  }
  for (const key of WRITABLE) if (input[key] !== undefined) Object.assign(record, { [key]: input[key] })
  record.UpdatedDateUTC = now
  org.contacts.set(record.ContactID, record)
  deps.emit('CONTACT', existing ? 'UPDATE' : 'CREATE', record.ContactID)
  return { ok: record }
}

export function renderContact(c: ContactRecord, summaryOnly = false) {
  const base = {
    ContactID: c.ContactID,
    ContactStatus: c.ContactStatus,
    Name: c.Name,
    ...(c.ContactNumber ? { ContactNumber: c.ContactNumber } : {}),
    ...(c.EmailAddress ? { EmailAddress: c.EmailAddress } : {}),
    UpdatedDateUTC: msDate(c.UpdatedDateUTC),
    IsSupplier: c.IsSupplier,
    IsCustomer: c.IsCustomer,
  }
  if (summaryOnly) return base
  return {
    ...base,
    ...(c.AccountNumber ? { AccountNumber: c.AccountNumber } : {}),
    ...(c.FirstName ? { FirstName: c.FirstName } : {}),
    ...(c.LastName ? { LastName: c.LastName } : {}),
    ...(c.TaxNumber ? { TaxNumber: c.TaxNumber } : {}),
    ...(c.DefaultCurrency ? { DefaultCurrency: c.DefaultCurrency } : {}),
    Addresses: c.Addresses,
    Phones: c.Phones,
    ContactGroups: [],
    ContactPersons: [],
    HasAttachments: false,
    HasValidationErrors: false,
  }
}
