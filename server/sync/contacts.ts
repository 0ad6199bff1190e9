import type { Db } from '../db/client.ts'
import { AppError } from '../errors.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import { ProviderError, type ProviderAdapter } from '../providers/provider.ts'
import type { ContactInput, ProviderRef, ProviderSync } from '../providers/sync-contract.ts'
import { errorBody, retriesJob } from './error-body.ts'
import type { ProviderCalls } from './provider-calls.ts'
import { syncRepo } from './sync-repo.ts'
import type { JobContext } from './worker.ts'

/**
 * The provider's contacts for a set of our customers, in as few calls as the provider allows:
 * stored links first, then one batched lookup (reference, email, normalised name), then one batched
 * create for the rest. Each customer is linked to exactly one contact per connection, and never
 * gets a second: a create refused as a duplicate name is looked up again and that contact linked.
 * With `updateOutdated` (customer pushes, not invoice pushes), a linked customer edited since
 * its contact was written has that contact updated and its link moved to its version.
 * Faults the job retries on are thrown; a customer's own failure is its answer (and recorded).
 */
export type ContactAnswer = { ok: true; ref: ProviderRef } | { ok: false; error: Error }

interface CustomerRow {
  id: string
  name: string
  email: string | null
  phone: string | null
  currency: string | null
  version: number
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')
const input = (c: CustomerRow): ContactInput => ({
  reference: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  currency: c.currency,
})
const query = (c: CustomerRow) => ({ reference: c.id, email: c.email, name: c.name })

export function createContactSync(deps: { db: Db; calls: ProviderCalls; now: () => number }) {
  const { db, calls, now } = deps

  return async function contactsFor(
    conn: ConnectionRow,
    adapter: ProviderAdapter,
    sync: ProviderSync,
    customerIds: readonly string[],
    ctx: JobContext,
    options: { updateOutdated?: boolean } = {},
  ): Promise<Map<string, ContactAnswer>> {
    const ids = [...new Set(customerIds)]
    const answers = new Map<string, ContactAnswer>()
    const links = await syncRepo.links(db, conn.id, 'customer', ids)
    for (const [id, l] of links)
      answers.set(id, { ok: true, ref: { id: l.provider_id, version: l.provider_version } })
    // Linked customers are read too when their contacts are to be brought up to date.
    const wanted = options.updateOutdated ? ids : ids.filter((id) => !links.has(id))
    if (wanted.length === 0) return answers
    const rows = await db.all<CustomerRow>(
      `SELECT id, name, email, phone, currency, version FROM customers WHERE tenant_id = ? AND id IN (${marks(wanted.length)})`,
      [conn.tenant_id, ...wanted],
    )
    for (const id of wanted)
      if (!links.has(id) && !rows.some((c) => c.id === id))
        answers.set(id, {
          ok: false,
          error: new AppError('not_found', { message: 'The customer no longer exists.' }),
        })
    const customers = rows.filter((c) => !links.has(c.id))
    const outdated = rows.filter((c) => (links.get(c.id)?.synced_version ?? c.version) < c.version)
    if (customers.length === 0 && outdated.length === 0) return answers

    // Each call is one request: a lookup of `lookupBatch` customers, a create of a provider batch.
    const chunks = (rows: CustomerRow[], size = adapter.facts.batchSize) =>
      Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size))
    const found = new Map<string, ProviderRef>()
    const failed = new Map<string, Error>()

    async function lookUp(rows: CustomerRow[]) {
      for (const chunk of chunks(rows, sync.contacts.lookupBatch)) {
        const results = await calls.call(conn, adapter, (a) => sync.contacts.findMany(a, chunk.map(query)))
        for (const r of results) {
          if (!r.ok) {
            if (retriesJob(r.error)) throw r.error
            failed.set(r.reference, r.error)
          } else if (r.match) found.set(r.reference, r.match)
        }
      }
    }

    // Edited since their contact was written: update it in place (never a second contact). A
    // refusal (a name another contact holds) is that customer's error; the link keeps its version.
    for (const [n, chunk] of chunks(outdated).entries()) {
      const existing = (c: CustomerRow) => {
        const l = links.get(c.id)!
        return { ...input(c), existing: { id: l.provider_id, version: l.provider_version } }
      }
      const results = await calls.call(conn, adapter, (a) =>
        sync.contacts.upsertMany(a, chunk.map(existing), ctx.idempotencyKey(`contacts.update.${n}`)),
      )
      for (const r of results) {
        if (r.ok) found.set(r.reference, r.contact)
        else if (retriesJob(r.error)) throw r.error
        else failed.set(r.reference, r.error)
      }
    }

    await lookUp(customers)
    const toCreate = customers.filter((c) => !found.has(c.id) && !failed.has(c.id))
    const clashes: CustomerRow[] = []
    for (const [n, chunk] of chunks(toCreate).entries()) {
      const results = await calls.call(conn, adapter, (a) =>
        sync.contacts.upsertMany(a, chunk.map(input), ctx.idempotencyKey(`contacts.${n}`)),
      )
      for (const r of results) {
        if (r.ok) found.set(r.reference, r.contact)
        else if (retriesJob(r.error)) throw r.error
        else if (r.error.kind === 'conflict') clashes.push(chunk.find((c) => c.id === r.reference)!)
        else failed.set(r.reference, r.error)
      }
    }
    if (clashes.length > 0) {
      // A duplicate name: most often a contact our lookup missed (spelt differently, or made since).
      await lookUp(clashes)
      for (const c of clashes)
        if (!found.has(c.id) && !failed.has(c.id))
          failed.set(
            c.id,
            new ProviderError(
              adapter.id,
              'conflict',
              `${adapter.facts.name} already has a record named ${c.name} that is not a customer we can link: rename one of them`,
            ),
          )
    }

    await db.transaction(async (tx) => {
      for (const c of [...customers, ...outdated]) {
        const ref = found.get(c.id)
        const holder = ref
          ? await tx.get<{ record_id: string }>(
              "SELECT record_id FROM sync_links WHERE connection_id = ? AND record_kind = 'customer' AND provider_id = ?",
              [conn.id, ref.id],
            )
          : undefined
        if (ref && (!holder || holder.record_id === c.id)) {
          const row = {
            connection_id: conn.id,
            record_kind: 'customer' as const,
            record_id: c.id,
            provider_id: ref.id,
            provider_version: ref.version ?? null,
            provider_url: ref.url ?? links.get(c.id)?.provider_url ?? null,
            line_ids: null,
            synced_version: c.version,
          }
          await syncRepo.link(tx, row, now())
          answers.set(c.id, { ok: true, ref })
          continue
        }
        // One contact is one customer's: a second customer matching it is for the bookkeeper to settle.
        const error =
          failed.get(c.id) ??
          new ProviderError(
            adapter.id,
            'conflict',
            `The ${adapter.facts.name} contact that matches ${c.name} is already linked to another customer: merge the two customers or give this one its own email`,
          )
        // A contact that could not be updated is still this customer's contact.
        if (!links.has(c.id)) answers.set(c.id, { ok: false, error })
        await syncRepo.fail(tx, conn.id, 'customer', c.id, c.version, errorBody(error, true), now())
      }
    })
    return answers
  }
}

export type ContactSync = ReturnType<typeof createContactSync>
