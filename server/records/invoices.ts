import type { InvoiceRecord as Invoice, InvoiceStatus } from '../../shared/api/invoices.ts'
import type { CreateInvoiceSchema, UpdateInvoiceSchema } from '../../shared/api/invoices.ts'
import type { z } from 'zod'
import { SYNC_STATE_BYTES } from '../../shared/sync-state.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import { invalid, patched, requireOwned, requireTenant, saveChanged } from './common.ts'
import { assertTotalCovers, assertUnlinked } from './balance.ts'
import {
  INVOICES,
  INVOICE_COLUMNS,
  assertTransition,
  loadInvoice,
  settle,
  toInvoice,
  withPushVersion,
  writeInvoice,
  type InvoiceRow,
} from './invoice-rows.ts'
import { DOCUMENT_BYTES, documentAmounts, repriced } from './lines.ts'
import { pageByCursor } from './pages.ts'

/**
 * Where a sent invoice's push is queued: inside the transaction that marks it sent (so a crash
 * between the two loses nothing), then `committed()` wakes this process's workers.
 */
export interface InvoiceOutbox {
  invoiceSent(tx: Queryable, tenantId: string, invoiceId: string): Promise<void>
  committed(): void
}

export function createInvoices(deps: { db: Db; now?: () => number; outbox?: InvoiceOutbox }) {
  const { db, outbox } = deps
  const now = deps.now ?? Date.now
  /** Runs a write; if it sent the invoice, queues the push in the same transaction. */
  async function writing(
    tenantId: string,
    work: (tx: Queryable) => Promise<{ invoice: Invoice; sent: boolean }>,
  ) {
    const { invoice, sent } = await db.transaction(async (tx) => {
      const done = await work(tx)
      if (done.sent && outbox) await outbox.invoiceSent(tx, tenantId, done.invoice.id)
      return done
    })
    if (sent) outbox?.committed()
    return invoice
  }

  return {
    async create(tenantId: string, input: z.output<typeof CreateInvoiceSchema>): Promise<Invoice> {
      return writing(tenantId, async (tx) => {
        await requireTenant(tx, tenantId)
        await requireOwned(tx, 'customers', tenantId, input.customerId, 'customerId')
        const t = now()
        const row: InvoiceRow = {
          id: newId('inv', t),
          tenant_id: tenantId,
          external_id: input.externalId ?? null,
          number: input.number,
          customer_id: input.customerId,
          currency: input.currency,
          issue_date: input.issueDate,
          due_date: input.dueDate,
          reference: input.reference ?? null,
          notes: input.notes ?? null,
          status: input.status,
          ...documentAmounts(input.lines, input.currency),
          amount_paid_minor: 0,
          amount_credited_minor: 0,
          version: 1,
          push_version: 1,
          sent_at: input.status === 'sent' ? t : null,
          paid_at: null,
          created_at: t,
          updated_at: t,
        }
        await writeInvoice(tx, row, 'insert')
        return { invoice: toInvoice(row), sent: row.status === 'sent' }
      })
    },

    async get(tenantId: string, id: string): Promise<Invoice> {
      return toInvoice(await loadInvoice(db, tenantId, id))
    },

    async list(
      tenantId: string,
      query: {
        limit: number
        cursor?: string | undefined
        status?: InvoiceStatus | undefined
        customerId?: string | undefined
      },
    ) {
      await requireTenant(db, tenantId)
      let where = 'tenant_id = ?'
      const args: string[] = [tenantId]
      if (query.status) {
        where += ' AND status = ?'
        args.push(query.status)
      }
      if (query.customerId) {
        where += ' AND customer_id = ?'
        args.push(query.customerId)
      }
      const table = {
        table: 'invoices',
        where,
        args,
        columns: INVOICE_COLUMNS,
        bytes: DOCUMENT_BYTES,
        reserve: SYNC_STATE_BYTES,
      }
      return pageByCursor(db, table, query, toInvoice)
    },

    async update(
      tenantId: string,
      id: string,
      patch: z.output<typeof UpdateInvoiceSchema>,
    ): Promise<Invoice> {
      return writing(tenantId, async (tx) => {
        const row = await loadInvoice(tx, tenantId, id)
        if (row.status === 'void')
          throw new AppError('invalid_state_change', { message: 'A void invoice cannot change.' })
        if (patch.customerId && patch.customerId !== row.customer_id) {
          await requireOwned(tx, 'customers', tenantId, patch.customerId, 'customerId')
          await assertUnlinked(tx, row, 'customerId')
        }
        const currency = patch.currency ?? row.currency
        if (currency !== row.currency) await assertUnlinked(tx, row, 'currency')
        const t = now()
        let next: InvoiceRow = {
          ...row,
          number: patch.number ?? row.number,
          customer_id: patch.customerId ?? row.customer_id,
          currency,
          issue_date: patch.issueDate ?? row.issue_date,
          due_date: patch.dueDate ?? row.due_date,
          reference: patched(patch.reference, row.reference),
          notes: patched(patch.notes, row.notes),
          ...repriced(row, patch.lines, currency),
        }
        if (next.due_date < next.issue_date)
          throw invalid('dueDate', 'The due date cannot be before the issue date')
        assertTotalCovers(row, next.total_minor, 'lines')
        if (patch.status && patch.status !== row.status) {
          assertTransition(row, patch.status)
          next.status = patch.status
          if (patch.status === 'sent') next.sent_at = t
        }
        next = withPushVersion(row, settle(next, t))
        const saved = toInvoice(await saveChanged(tx, INVOICES, row, next, t))
        // An edit of an invoice already sent is pushed again (the provider's copy is updated).
        const resend = row.status !== 'draft' && next.push_version !== row.push_version
        return { invoice: saved, sent: (row.status === 'draft' && next.status === 'sent') || resend }
      })
    },

    /** The host sent the invoice to its customer: with auto-sync on, its push is queued with it. */
    async markSent(tenantId: string, id: string): Promise<Invoice> {
      return writing(tenantId, async (tx) => {
        const row = await loadInvoice(tx, tenantId, id)
        if (row.status !== 'draft') {
          if (row.status === 'sent') return { invoice: toInvoice(row), sent: false }
          throw new AppError('invalid_state_change', { message: `A ${row.status} invoice cannot be sent.` })
        }
        const t = now()
        // Credit notes may already cover a draft: sending it settles it.
        const next = withPushVersion(row, settle({ ...row, status: 'sent', sent_at: t }, t))
        return { invoice: toInvoice(await saveChanged(tx, INVOICES, row, next, t)), sent: true }
      })
    },
  }
}

export type Invoices = ReturnType<typeof createInvoices>
