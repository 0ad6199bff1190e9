import type { Context } from 'hono'
import type { ArtefactKind, Contact } from './types.ts'

/**
 * Where Sage's web app shows a record, as every v3.1 answer links it: `links: [{ href, rel:
 * "alternate", type: "text/html" }]` ("a link to the invoice's representation in the Accounting web
 * UI", Sage's guide to sales invoicing). Sage's host differs by region
 * (https://accounts-extra.sageone.com, https://accounting.na.sageone.com); the emulator's is its own
 * origin, where pages.ts serves those pages.
 */
export const WEB_PATHS = {
  sales_invoice: '/invoicing/sales_invoices/',
  sales_credit_note: '/invoicing/sales_credit_notes/',
  customer: '/contacts/customers/',
  supplier: '/contacts/suppliers/',
} as const

export const webOrigin = (c: Context) => new URL(c.req.url).origin

export const artefactPath = (kind: ArtefactKind, id: string) => `${WEB_PATHS[kind]}${id}`
export const contactPath = (c: Pick<Contact, 'id' | 'contactTypeIds'>) =>
  `${c.contactTypeIds.includes('CUSTOMER') ? WEB_PATHS.customer : WEB_PATHS.supplier}${c.id}`

/** The `links` attribute of a record at this web path. */
export const webLinks = (origin: string, path: string) => [
  { href: `${origin}${path}`, rel: 'alternate', type: 'text/html' },
]
