import type { z } from 'zod'
import type {
  CreateCreditNoteSchema,
  CreditNoteRecord as CreditNote,
  UpdateCreditNoteSchema,
} from '../../shared/api/credit-notes.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import { invalid, notFound, patched, requireOwned, requireTenant, saveChanged, writeRow } from './common.ts'
import { withCredit } from './balance.ts'
import { CREDIT_NOTES, toCreditNote, type CreditNoteRow } from './credit-note-rows.ts'
import { loadInvoice, writeInvoice } from './invoice-rows.ts'
import { DOCUMENT_BYTES, documentAmounts, repriced } from './lines.ts'
import { pageByCursor } from './pages.ts'

const credits = (note: CreditNoteRow | null, invoiceId: string) =>
  note && note.invoice_id === invoiceId && note.status !== 'void' ? note.total_minor : 0

/**
 * Keeps a credit note and its invoice consistent, inside the write's transaction: the invoice is
 * of this tenant, of the same customer, in the same currency and not void, and has room for the
 * credit; each invoice whose amount credited moves (the old link and the new) is re-settled.
 */
async function linkInvoice(
  tx: Queryable,
  tenantId: string,
  before: CreditNoteRow | null,
  after: CreditNoteRow,
  t: number,
) {
  const linking = after.invoice_id !== before?.invoice_id ? after.invoice_id : null
  if (linking) await requireOwned(tx, 'invoices', tenantId, linking, 'invoiceId')
  const ids = new Set([before?.invoice_id, after.invoice_id].filter((id): id is string => !!id))
  for (const id of ids) {
    const inv = await loadInvoice(tx, tenantId, id)
    if (id === after.invoice_id) {
      if (inv.customer_id !== after.customer_id)
        throw invalid('invoiceId', 'The invoice belongs to another customer')
      if (inv.currency !== after.currency) throw invalid('currency', `The invoice is in ${inv.currency}`)
      if (linking === id && inv.status === 'void') throw invalid('invoiceId', 'The invoice is void')
    }
    const [was, will] = [credits(before, id), credits(after, id)]
    if (was !== will) await writeInvoice(tx, withCredit(inv, was, will, t), 'update')
  }
}

const ALLOWED: Record<CreditNote['status'], readonly CreditNote['status'][]> = {
  draft: ['sent', 'void'],
  sent: ['void'],
  void: [],
}

/**
 * Where a credit note's push is queued: inside the transaction that sends it, changes it once sent,
 * or voids it (so a crash between the two loses nothing), then `committed()` wakes the workers.
 */
export interface CreditNoteOutbox {
  creditNoteChanged(tx: Queryable, tenantId: string, creditNoteId: string): Promise<void>
  committed(): void
}

export function createCreditNotes(deps: { db: Db; now?: () => number; outbox?: CreditNoteOutbox }) {
  const { db, outbox } = deps
  const now = deps.now ?? Date.now

  /** Runs a write; when the credit note is (or was) sent and changed, queues its push with it. */
  async function writing(
    tenantId: string,
    work: (tx: Queryable) => Promise<{ note: CreditNoteRow; push: boolean }>,
  ) {
    const { note, push } = await db.transaction(async (tx) => {
      const done = await work(tx)
      if (done.push && outbox) await outbox.creditNoteChanged(tx, tenantId, done.note.id)
      return done
    })
    if (push) outbox?.committed()
    return toCreditNote(note)
  }

  async function load(q: Queryable, tenantId: string, id: string) {
    const row = await q.get<CreditNoteRow>('SELECT * FROM credit_notes WHERE id = ? AND tenant_id = ?', [
      id,
      tenantId,
    ])
    if (!row) throw notFound('credit note')
    return row
  }

  return {
    async create(tenantId: string, input: z.output<typeof CreateCreditNoteSchema>): Promise<CreditNote> {
      return writing(tenantId, async (tx) => {
        await requireTenant(tx, tenantId)
        await requireOwned(tx, 'customers', tenantId, input.customerId, 'customerId')
        const t = now()
        const row: CreditNoteRow = {
          id: newId('crn', t),
          tenant_id: tenantId,
          external_id: input.externalId ?? null,
          number: input.number,
          customer_id: input.customerId,
          invoice_id: input.invoiceId ?? null,
          currency: input.currency,
          issue_date: input.issueDate,
          reference: input.reference ?? null,
          notes: input.notes ?? null,
          status: input.status,
          ...documentAmounts(input.lines, input.currency),
          version: 1,
          sent_at: input.status === 'sent' ? t : null,
          created_at: t,
          updated_at: t,
        }
        await linkInvoice(tx, tenantId, null, row, t)
        await writeRow(tx, CREDIT_NOTES, row, 'insert')
        return { note: row, push: row.status === 'sent' }
      })
    },

    get: async (tenantId: string, id: string) => toCreditNote(await load(db, tenantId, id)),

    async list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
      await requireTenant(db, tenantId)
      const table = { table: 'credit_notes', where: 'tenant_id = ?', args: [tenantId], bytes: DOCUMENT_BYTES }
      return pageByCursor(db, table, page, toCreditNote)
    },

    async update(
      tenantId: string,
      id: string,
      patch: z.output<typeof UpdateCreditNoteSchema>,
    ): Promise<CreditNote> {
      return writing(tenantId, async (tx) => {
        const row = await load(tx, tenantId, id)
        if (row.status === 'void')
          throw new AppError('invalid_state_change', { message: 'A void credit note cannot change.' })
        if (patch.customerId) await requireOwned(tx, 'customers', tenantId, patch.customerId, 'customerId')
        const t = now()
        const currency = patch.currency ?? row.currency
        const next: CreditNoteRow = {
          ...row,
          number: patch.number ?? row.number,
          customer_id: patch.customerId ?? row.customer_id,
          invoice_id: patched(patch.invoiceId, row.invoice_id),
          currency,
          issue_date: patch.issueDate ?? row.issue_date,
          reference: patched(patch.reference, row.reference),
          notes: patched(patch.notes, row.notes),
          ...repriced(row, patch.lines, currency),
        }
        if (patch.status && patch.status !== row.status) {
          if (!ALLOWED[row.status].includes(patch.status))
            throw new AppError('invalid_state_change', {
              message: `A ${row.status} credit note cannot become ${patch.status}.`,
            })
          next.status = patch.status
          if (patch.status === 'sent') next.sent_at = t
        }
        await linkInvoice(tx, tenantId, row, next, t)
        const saved = await saveChanged(tx, CREDIT_NOTES, row, next, t)
        // Sent now, or changed (voided too) since it was sent: the provider's copy follows.
        return {
          note: saved,
          push: saved.version !== row.version && (next.status === 'sent' || row.status === 'sent'),
        }
      })
    },
  }
}

export type CreditNotes = ReturnType<typeof createCreditNotes>
