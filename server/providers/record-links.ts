import type { ProviderAuth, ProviderRef, ProviderSync } from './sync-contract.ts'

/**
 * Where a provider's web app opens a record, built from the record's id (and the organisation it
 * is in). A kind left out has no page there, and its records keep the url they came with.
 *
 * @example { invoice: (auth, id) => `https://app.qbo.intuit.com/app/invoice?txnId=${id}` }
 */
export interface RecordLinks {
  invoice?: (auth: ProviderAuth, id: string) => string
  creditNote?: (auth: ProviderAuth, id: string) => string
  contact?: (auth: ProviderAuth, id: string) => string
}

type Link = keyof RecordLinks

/**
 * Links made of a path prefix per kind and the record's id, opened by `open` (the app's base URL
 * before the path, or an organisation's sign-in page that redirects to it).
 *
 * @example linksByPath({ invoice: '/app/invoice?txnId=' }, (_auth, path) => `https://app.qbo.intuit.com${path}`)
 */
export function linksByPath(
  paths: Partial<Record<Link, string>>,
  open: (auth: ProviderAuth, path: string) => string,
): RecordLinks {
  return Object.fromEntries(
    Object.entries(paths).map(([kind, prefix]) => [
      kind,
      (auth: ProviderAuth, id: string) => open(auth, `${prefix}${encodeURIComponent(id)}`),
    ]),
  )
}

/**
 * The sync half with every invoice, credit note and contact it answers carrying the link that
 * opens it in the provider's app (ProviderRef.url), so no code path that returns one can forget it.
 *
 * @example return withRecordLinks(sync, quickBooksLinks(options.urls.app))
 */
export function withRecordLinks(sync: ProviderSync, links: RecordLinks): ProviderSync {
  const linked =
    (kind: Link, auth: ProviderAuth) =>
    <R extends ProviderRef>(ref: R): R => {
      const link = links[kind]
      return link ? { ...ref, url: link(auth, ref.id) } : ref
    }
  const { contacts, invoices, creditNotes } = sync
  return {
    ...sync,
    contacts: {
      ...contacts,
      findMany: async (auth, queries) =>
        (await contacts.findMany(auth, queries)).map((r) =>
          r.ok && r.match ? { ...r, match: linked('contact', auth)(r.match) } : r,
        ),
      upsertMany: async (auth, items, key) =>
        (await contacts.upsertMany(auth, items, key)).map((r) =>
          r.ok ? { ...r, contact: linked('contact', auth)(r.contact) } : r,
        ),
    },
    invoices: {
      ...invoices,
      upsertMany: async (auth, items, key) =>
        (await invoices.upsertMany(auth, items, key)).map((r) =>
          r.ok ? { ...r, invoice: linked('invoice', auth)(r.invoice) } : r,
        ),
      findByNumbers: async (auth, numbers) =>
        (await invoices.findByNumbers(auth, numbers)).map(linked('invoice', auth)),
    },
    creditNotes: {
      ...creditNotes,
      upsertMany: async (auth, items, key) =>
        (await creditNotes.upsertMany(auth, items, key)).map((r) =>
          r.ok ? { ...r, creditNote: linked('creditNote', auth)(r.creditNote) } : r,
        ),
      findByNumbers: async (auth, numbers) =>
        (await creditNotes.findByNumbers(auth, numbers)).map(linked('creditNote', auth)),
    },
  }
}
