import { SINGLE_KEY } from '../../shared/mappings.ts'
import { formatMinor } from '../../shared/money.ts'
import type { Db } from '../db/client.ts'
import type { ConnectionRow } from '../connections/token-store.ts'
import type { ProviderLookup } from '../connections/service.ts'
import { AppError } from '../errors.ts'
import type { ProviderAdapter, ProviderError } from '../providers/provider.ts'
import type {
  PaymentInput,
  PaymentMethod,
  ProviderAccount,
  ProviderPayment,
  ProviderSync,
} from '../providers/sync-contract.ts'
import { activeConnectionOf } from './active-connection.ts'
import { createChartReader } from './chart.ts'
import { createContactSync } from './contacts.ts'
import { answeredFault, contentKey, errorBody, invoiceNotSynced, retriesJob } from './error-body.ts'
import { resolve } from './mapping-rules.ts'
import { mayHaveLanded } from './post-documents.ts'
import { syncAdapterOf, type ProviderCalls } from './provider-calls.ts'
import type { PostInvoices } from './push-invoices.ts'
import { paymentLink, syncRepo, type LinkRow, type SyncErrorBody } from './sync-repo.ts'
import type { JobContext } from './worker.ts'

/**
 * The `push_payments` job: up to a batch of one connection's payments to its provider, each
 * applied to its invoice and received into the mapped payment account. Its invoice goes first
 * when the provider has not got it yet. Each payment lands exactly once: its link is written with
 * the provider's answer; one already synced at its version is skipped; after an attempt whose
 * outcome is unknown, the provider's payments on those invoices are claimed (by invoice, amount
 * and date, each for one payment of ours) before anything is written again. A payment the host
 * removed is removed at the provider; one changed there is removed and recorded anew, since Xero
 * cannot edit a payment at all. Runs under the connection's push lock, with invoice pushes.
 */
export interface PaymentsPayload {
  connectionId: string
  paymentIds: string[]
}

interface PaymentForPush {
  id: string
  invoice_id: string
  currency: string
  amount_minor: number
  date: string
  reference: string | null
  method: PaymentMethod
  version: number
  removed_at: number | null
  invoice_number: string
  invoice_push_version: number
  customer_id: string
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')
const money = (minor: number | bigint, currency: string) => `${formatMinor(minor, currency)} ${currency}`

export function createPaymentPush(deps: {
  db: Db
  providers: ProviderLookup
  calls: ProviderCalls
  now: () => number
  /** Posts invoices not at the provider yet (the invoice push's own routine). */
  postInvoices: PostInvoices
}) {
  const { db, calls, now } = deps
  const charts = createChartReader({ db, calls, now })
  const contactsFor = createContactSync({ db, calls, now })

  const fail = (conn: ConnectionRow, p: PaymentForPush, error: SyncErrorBody) =>
    db.transaction((tx) => syncRepo.fail(tx, conn.id, 'payment', p.id, p.version, error, now()))

  /** The payment account, checked against the chart as every push checks its mappings. */
  async function paymentAccount(conn: ConnectionRow, adapter: ProviderAdapter, sync: ProviderSync) {
    const mapped = (await syncRepo.mappings(db, conn.id)).get(`payment_account:${SINGLE_KEY}`)
    const fix = (message: string) =>
      new AppError('mapping_missing', {
        message,
        details: [{ path: 'mappings.paymentAccount', message: 'Choose a bank account for payments' }],
      })
    if (!mapped) throw fix('No account is chosen to receive payments.')
    const { entry, problem } = resolve(
      await charts.of(conn, adapter, sync),
      'payment_account',
      mapped.provider_ref,
    )
    if (problem) throw fix(`The account “${mapped.label}” chosen for payments ${problem}.`)
    return entry as ProviderAccount
  }

  /** After an attempt with no answer: the provider's payments on these invoices, each claimed for one of ours. */
  async function claim(
    conn: ConnectionRow,
    adapter: ProviderAdapter,
    sync: ProviderSync,
    unlinked: PaymentForPush[],
    invoiceLinks: Map<string, LinkRow>,
  ) {
    const at = (p: PaymentForPush) => invoiceLinks.get(p.invoice_id)?.provider_id
    const invoiceIds = [...new Set(unlinked.map(at).filter((id): id is string => Boolean(id)))]
    if (invoiceIds.length === 0) return
    const found = await calls.call(conn, adapter, (a) => sync.payments.findForInvoices(a, invoiceIds))
    if (found.length === 0) return
    const taken = new Set(
      (
        await db.all<{ provider_id: string }>(
          `SELECT provider_id FROM sync_links WHERE connection_id = ? AND record_kind = 'payment' AND provider_id IN (${marks(found.length)})`,
          [conn.id, ...found.map((f) => f.id)],
        )
      ).map((r) => r.provider_id),
    )
    const free: ProviderPayment[] = found.filter((f) => !taken.has(f.id))
    await db.transaction(async (tx) => {
      for (const p of unlinked) {
        const n = free.findIndex(
          (f) => f.invoiceId === at(p) && f.amountMinor === BigInt(p.amount_minor) && f.date === p.date,
        )
        if (n < 0) continue
        const [hit] = free.splice(n, 1)
        // Found as it is now: synced at its version; a removed one still has to be removed.
        await syncRepo.link(tx, paymentLink(conn.id, p.id, hit!, p.removed_at ? 0 : p.version), now())
      }
    })
  }

  /** Removes the provider's copy of payments removed or changed here; answers those that are gone there now. */
  async function removeOutdated(
    ctx: JobContext,
    conn: ConnectionRow,
    adapter: ProviderAdapter,
    sync: ProviderSync,
    due: PaymentForPush[],
    links: Map<string, LinkRow>,
  ) {
    for (const p of due) {
      const link = links.get(p.id)
      if (!link) continue
      if (ctx.signal.aborted) throw new AppError('internal', { message: 'Cancelled' })
      try {
        await calls.call(conn, adapter, (a) =>
          sync.payments.remove(
            a,
            { id: link.provider_id, version: link.provider_version },
            ctx.idempotencyKey(`remove.${p.id}.${p.version}`),
          ),
        )
      } catch (err) {
        if (retriesJob(err)) throw err
        await fail(conn, p, errorBody(err, true, 'payment'))
        continue
      }
      await db.transaction(async (tx) => {
        if (p.removed_at)
          await syncRepo.link(tx, { ...link, provider_url: null, synced_version: p.version }, now())
        // Changed: unlinked until recorded anew, so a retry after an unheard create finds it.
        else
          await tx.run(
            'DELETE FROM sync_links WHERE connection_id = ? AND record_kind = ? AND record_id = ?',
            [conn.id, 'payment', p.id],
          )
      })
    }
  }

  return async function pushPayments(ctx: JobContext) {
    const { connectionId, paymentIds } = ctx.job.payload as PaymentsPayload
    const conn = await activeConnectionOf(db, connectionId)
    const { adapter, sync } = syncAdapterOf(deps.providers, conn.provider)
    const load = async () => {
      const rows = await db.all<PaymentForPush>(
        `SELECT p.id, p.invoice_id, p.currency, p.amount_minor, p.date, p.reference, p.method, p.version, p.removed_at,
                i.number AS invoice_number, i.push_version AS invoice_push_version, i.customer_id
         FROM payments p JOIN invoices i ON i.id = p.invoice_id
         WHERE p.tenant_id = ? AND p.id IN (${marks(paymentIds.length)}) ORDER BY p.id`,
        [conn.tenant_id, ...paymentIds],
      )
      const links = await syncRepo.links(db, conn.id, 'payment', paymentIds)
      return { rows, links }
    }
    let { rows, links } = await load()
    let due = rows.filter((p) => (links.get(p.id)?.synced_version ?? 0) < p.version)
    // A payment removed before it was ever posted has nothing to remove, unless an unheard attempt posted it.
    const uncertain = mayHaveLanded(ctx.job)
    if (!uncertain) due = due.filter((p) => !(p.removed_at && !links.has(p.id)))
    if (due.length === 0) return

    // Each live payment's invoice at the provider, as it is now, first: a payment of an edited
    // total must not meet the provider's older amount due.
    const invoiceIds = [...new Set(due.map((p) => p.invoice_id))]
    let invoiceLinks = await syncRepo.links(db, conn.id, 'invoice', invoiceIds)
    const behind = (p: PaymentForPush) =>
      (invoiceLinks.get(p.invoice_id)?.synced_version ?? 0) < p.invoice_push_version
    const unposted = [...new Set(due.filter((p) => !p.removed_at && behind(p)).map((p) => p.invoice_id))]
    if (unposted.length > 0) {
      await deps.postInvoices(ctx, conn, adapter, sync, unposted)
      invoiceLinks = await syncRepo.links(db, conn.id, 'invoice', invoiceIds)
    }

    if (uncertain) {
      const unlinked = due.filter((p) => !links.has(p.id))
      if (unlinked.length > 0) {
        await claim(conn, adapter, sync, unlinked, invoiceLinks)
        ;({ rows, links } = await load())
        due = rows.filter((p) => (links.get(p.id)?.synced_version ?? 0) < p.version)
        due = due.filter((p) => !(p.removed_at && !links.has(p.id)))
      }
    }

    await removeOutdated(ctx, conn, adapter, sync, due, links)
    links = await syncRepo.links(db, conn.id, 'payment', paymentIds)
    const toRecord = due.filter((p) => !p.removed_at && !links.has(p.id))

    const inputs: { p: PaymentForPush; input: PaymentInput }[] = []
    if (toRecord.length > 0) {
      let account: ProviderAccount
      try {
        account = await paymentAccount(conn, adapter, sync)
      } catch (err) {
        if (retriesJob(err)) throw err
        for (const p of toRecord) await fail(conn, p, errorBody(err, true, 'payment'))
        return finish(ctx, conn)
      }
      const contacts = await contactsFor(
        conn,
        adapter,
        sync,
        toRecord.map((p) => p.customer_id),
        ctx,
      )
      for (const p of toRecord) {
        const invoice = invoiceLinks.get(p.invoice_id)
        const contact = contacts.get(p.customer_id)
        if (!invoice || !contact?.ok) {
          await fail(
            conn,
            p,
            await invoiceNotSynced(
              db,
              conn,
              p.invoice_id,
              p.invoice_number,
              `its payment of ${money(p.amount_minor, p.currency)} was not sent`,
            ),
          )
          continue
        }
        inputs.push({
          p,
          input: {
            paymentId: p.id,
            invoice: { id: invoice.provider_id, version: invoice.provider_version },
            contact: contact.ref,
            account: { id: account.id, code: account.code },
            currency: p.currency,
            amountMinor: BigInt(p.amount_minor),
            date: p.date,
            reference: p.reference,
            method: p.method,
          },
        })
      }
    }

    const transient: { error: ProviderError | null } = { error: null }
    const size = sync.payments.batchSize
    for (let i = 0; i < inputs.length; i += size) {
      if (ctx.signal.aborted) throw new AppError('internal', { message: 'Cancelled' })
      const chunk = inputs.slice(i, i + size)
      const key = ctx.idempotencyKey(`payments.${contentKey(chunk.map((c) => c.p))}`)
      const results = await calls.call(conn, adapter, (a) =>
        sync.payments.createMany(
          a,
          chunk.map((c) => c.input),
          key,
        ),
      )
      await db.transaction(async (tx) => {
        for (const result of results) {
          const item = chunk.find((c) => c.p.id === result.paymentId)!
          if (!result.ok) {
            if (result.error.kind === 'transient' || result.error.kind === 'rate_limited')
              transient.error ??= result.error
            else
              await syncRepo.fail(
                tx,
                conn.id,
                'payment',
                item.p.id,
                item.p.version,
                errorBody(result.error, true, 'payment'),
                now(),
              )
            continue
          }
          await syncRepo.link(tx, paymentLink(conn.id, item.p.id, result.payment, item.p.version), now())
        }
      })
    }
    // The landed ones are linked; the rest go again, under new keys (the provider answered).
    if (transient.error) throw answeredFault(transient.error)
    await finish(ctx, conn)
  }

  function finish(ctx: JobContext, conn: ConnectionRow) {
    return ctx.finish(async (tx) => {
      await tx.run('UPDATE connections SET last_sync_at = ? WHERE id = ?', [now(), conn.id])
    })
  }
}
