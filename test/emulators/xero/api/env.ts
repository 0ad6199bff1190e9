import type { Grant } from '../identity/store.ts'
import type { OrganisationStore } from '../model.ts'

/** Context variables the API middleware sets for the resource routes. */
export interface ApiEnv {
  Variables: {
    grant: Grant
    tenantId: string
    org: OrganisationStore
    /** The body as parsed (and checked against the spec) by the validation middleware. */
    body: unknown
    query: Record<string, unknown>
    /** The emulator clock when the request arrived. */
    now: number
  }
}
