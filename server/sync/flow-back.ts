import type { PaymentRecord } from '../../shared/api/payments.ts'
import type { Db, Queryable } from '../db/client.ts'
import { emitEvent } from '../events/log.ts'
import type { ProviderLookup } from '../connections/service.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { Logger } from '../logging/logger.ts'
import type { ProviderPayment } from '../providers/sync-contract.ts'
import type { Payments } from '../records/payments.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import type { EventConnection, StoredEvent } from './provider-events.ts'
import { refusal, readSettings } from './settings.ts'
import { paymentLink, syncRepo } from './sync-repo.ts'

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** What a payment event says of the payment. */
const paymentFacts = (p: PaymentRecord) => ({
  paymentId: p.id,
  invoiceId: p.invoiceId,
  amount: p.amount,
  currency: p.currency,
  date: p.date,
})

/** What applying a connection's events came to: events to try again later, and figures for the log. */
export interface Applied {
  /** Events whose invoice has a push of its payments under way: applied once that push settles. */
  deferred: string[]
  recorded: number
  removed: number
  /** Payments there that cannot stand here (more than is due here, a void invoice): logged, left alone. */
  refused: number
}

interface LocalPayment {
  id: string
  removed_at: number | null
  provider_id: string | null
}

/**
 * Changes made in the provider, brought back: for the invoices the events name (directly, or
 * through the payments they name), the provider's live payments are read and compared with ours.
 * A payment there that no payment here is linked to was entered there: it is recorded here as it
 * is there (origin `provider`, linked, so it is not sent back). A payment here, linked and live,
 * that is gone there was removed there: it is removed here. Each invoice is compared and written
 * in one transaction, so a replayed event finds nothing left to do.
 *
 * Never against a push in flight: while a push of an invoice's payments is queued or running, a
 * payment of ours may have landed there with its link not yet written (the push's answer, or its
 * lookup after a lost answer, writes it), and counting it as entered there would record it twice
 * and leave the push's own claim to find it taken. Such an invoice waits (its events are deferred)
 * until the push settles; the check and the writes share a transaction with the push's commit of
 * its links, so one of the two always sees the other.
 */
export function createFlowBack(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  payments: Payments
  log: Logger
  now: () => number
}) {
  const { db, calls, now } = deps

  /** Local invoices (linked at this connection) by their provider id. */
  async function oursAmong(connectionId: string, providerIds: string[]) {
    if (providerIds.length === 0) return new Map<string, string>()
    const rows = await db.all<{ record_id: string; provider_id: string }>(
      `SELECT record_id, provider_id FROM sync_links
        WHERE connection_id = ? AND record_kind = 'invoice' AND provider_id IN (${marks(providerIds.length)})`,
      [connectionId, ...providerIds],
    )
    return new Map(rows.map((r) => [r.provider_id, r.record_id]))
  }

  /** The provider invoices each payment event is about: through our links, else by reading the payment. */
  async function invoicesOfPayments(
    conn: ConnectionRow,
    adapter: ReturnType<typeof syncAdapterOf>,
    paymentIds: string[],
  ): Promise<Map<string, string[]>> {
    const byPayment = new Map<string, string[]>()
    if (paymentIds.length === 0) return byPayment
    const linked = await db.all<{ provider_id: string; invoice_provider_id: string }>(
      `SELECT pl.provider_id, il.provider_id AS invoice_provider_id
         FROM sync_links pl
         JOIN payments p ON p.id = pl.record_id
         JOIN sync_links il ON il.connection_id = pl.connection_id AND il.record_kind = 'invoice' AND il.record_id = p.invoice_id
        WHERE pl.connection_id = ? AND pl.record_kind = 'payment' AND pl.provider_id IN (${marks(paymentIds.length)})`,
      [conn.id, ...paymentIds],
    )
    for (const l of linked) byPayment.set(l.provider_id, [l.invoice_provider_id])
    const unknown = paymentIds.filter((id) => !byPayment.has(id))
    const { payments } = adapter.sync
    if (unknown.length) {
      const found = await calls.call(conn, adapter.adapter, (a) => payments.read(a, unknown))
      for (const p of found) byPayment.set(p.id, [...(byPayment.get(p.id) ?? []), p.invoiceId])
    }
    return byPayment
  }

  /** A push of this invoice's payments queued or running (its payments' links may be on their way). */
  const pushInFlight = async (tx: Queryable, connectionId: string, invoiceId: string) =>
    Boolean(
      await tx.get(
        `SELECT 1 AS busy FROM job_records jr
           JOIN jobs j ON j.id = jr.job_id
           JOIN payments p ON p.id = jr.record_id
          WHERE jr.record_kind = 'payment' AND p.invoice_id = ? AND j.connection_id = ?
            AND j.state IN ('queued', 'running')
          LIMIT 1`,
        [invoiceId, connectionId],
      ),
    )

  /** One invoice: its payments here against its live payments there, in the caller's transaction. */
  async function reconcile(
    tx: Queryable,
    conn: ConnectionRow,
    invoiceId: string,
    there: ProviderPayment[],
    applied: Applied,
  ) {
    const here = await tx.all<LocalPayment>(
      `SELECT p.id, p.removed_at, l.provider_id FROM payments p
         LEFT JOIN sync_links l ON l.connection_id = ? AND l.record_kind = 'payment' AND l.record_id = p.id
        WHERE p.invoice_id = ? ORDER BY p.id`,
      [conn.id, invoiceId],
    )
    const linked = new Set(here.map((p) => p.provider_id).filter((id) => id !== null))
    const live = new Set(there.map((p) => p.id))
    for (const p of there) {
      if (linked.has(p.id)) continue
      // Linked to another record of ours (a payment moved between invoices there): not new.
      const elsewhere = await tx.get(
        "SELECT 1 AS taken FROM sync_links WHERE connection_id = ? AND record_kind = 'payment' AND provider_id = ?",
        [conn.id, p.id],
      )
      if (elsewhere) continue
      const result = await deps.payments.fromProvider.recorded(tx, conn.tenant_id, invoiceId, {
        amountMinor: Number(p.amountMinor),
        date: p.date,
        reference: p.reference,
      })
      if ('refused' in result) {
        applied.refused++
        deps.log.warn('a payment entered in the accounting software cannot be recorded here', {
          connectionId: conn.id,
          invoiceId,
          providerPaymentId: p.id,
          reason: result.refused,
        })
        continue
      }
      await syncRepo.link(tx, paymentLink(conn.id, result.payment.id, p, result.payment.version), now(), {
        quiet: true,
      })
      await emitEvent(
        tx,
        { connectionId: conn.id },
        'payment.recorded',
        { kind: 'payment', id: result.payment.id },
        { ...paymentFacts(result.payment), providerId: p.id, direction: 'from_provider' },
        now(),
      )
      applied.recorded++
    }
    for (const p of here) {
      if (p.removed_at !== null || p.provider_id === null || live.has(p.provider_id)) continue
      const removed = await deps.payments.fromProvider.removed(tx, conn.tenant_id, p.id)
      // Gone there, removed here: in step, so nothing is left to send.
      await tx.run(
        "UPDATE sync_links SET synced_version = ?, synced_at = ? WHERE connection_id = ? AND record_kind = 'payment' AND record_id = ?",
        [removed.version, now(), conn.id, p.id],
      )
      await emitEvent(
        tx,
        { connectionId: conn.id },
        'payment.removed',
        { kind: 'payment', id: p.id },
        { ...paymentFacts(removed), providerId: p.provider_id, direction: 'from_provider' },
        now(),
      )
      applied.removed++
    }
  }

  return async function apply(connection: EventConnection, events: StoredEvent[]): Promise<Applied> {
    const applied: Applied = { deferred: [], recorded: 0, removed: 0, refused: 0 }
    const conn = await db.get<ConnectionRow>("SELECT * FROM connections WHERE id = ? AND status = 'active'", [
      connection.id,
    ])
    if (!conn) return applied
    // Payments sync turned off (or all sync): nothing comes back either.
    if (refusal(await readSettings(db, conn.tenant_id), 'payment')) return applied
    const adapter = syncAdapterOf(deps.providers, conn.provider)

    const paymentEvents = events.filter((e) => e.entity === 'payment')
    const byPayment = await invoicesOfPayments(conn, adapter, [
      ...new Set(paymentEvents.map((e) => e.resourceId)),
    ])
    /** Each event's provider invoices. */
    const invoicesOf = (e: StoredEvent) =>
      e.entity === 'invoice'
        ? [e.resourceId]
        : e.entity === 'payment'
          ? (byPayment.get(e.resourceId) ?? [])
          : []
    const ours = await oursAmong(conn.id, [...new Set(events.flatMap(invoicesOf))])
    if (ours.size === 0) return applied

    const there = await calls.call(conn, adapter.adapter, (a) =>
      adapter.sync.payments.findForInvoices(a, [...ours.keys()]),
    )
    const waiting = new Set<string>()
    await db.transaction(async (tx) => {
      for (const [providerId, invoiceId] of ours) {
        if (await pushInFlight(tx, conn.id, invoiceId)) {
          waiting.add(providerId)
          continue
        }
        await reconcile(
          tx,
          conn,
          invoiceId,
          there.filter((p) => p.invoiceId === providerId),
          applied,
        )
      }
    })
    applied.deferred = events.filter((e) => invoicesOf(e).some((id) => waiting.has(id))).map((e) => e.eventId)
    return applied
  }
}
