import type { OrganisationStore } from '../model.ts'

export type EventCategory = 'INVOICE' | 'CONTACT' | 'CREDITNOTE'

/** What a domain operation needs: the organisation, the time, and a way to raise a webhook event. */
export interface DomainDeps {
  org: OrganisationStore
  now: number
  emit(
    category: EventCategory,
    type: 'CREATE' | 'UPDATE',
    resourceId: string,
    data?: Record<string, string>,
  ): void
}

/** An element either succeeds with its stored record or fails with Xero's messages. */
export type Outcome<T> = { ok: T } | { errors: string[] }
