import type { z } from 'zod'
import type {
  CreateCreditNoteSchema,
  CreditNote,
  UpdateCreditNoteSchema,
} from '../../shared/api/credit-notes.ts'
import { formatMinor } from '../../shared/money.ts'
import type { Db, Queryable } from '../db/client.ts'
import { AppError } from '../errors.ts'
import { newId } from '../ids.ts'
import {
  invalid,
  iso,
  isoOrNull,
  EXTERNAL_ID,
  writeRow,
  notFound,
  pageByCursor,
  requireOwned,
  requireTenant,
} from './common.ts'
import { priceLines, toLineInputs, toLines } from './lines.ts'

interface CreditNoteRow {
  id: string
  tenant_id: string
  external_id: string | null
  number: string
  customer_id: string
  invoice_id: string | null
  currency: string
  issue_date: string
  reference: string | null
  notes: string | null
  status: CreditNote['status']
  lines: string
  subtotal_minor: number
  tax_minor: number
  total_minor: number
  version: number
  sent_at: number | null
  created_at: number
  updated_at: number
}

export function toCreditNote(r: CreditNoteRow): CreditNote {
  return {
    id: r.id,
    externalId: r.external_id,
    number: r.number,
    customerId: r.customer_id,
    invoiceId: r.invoice_id,
    currency: r.currency,
    issueDate: r.issue_date,
    reference: r.reference,
    notes: r.notes,
    status: r.status,
    lines: toLines(r.lines, r.currency),
    subtotal: formatMinor(r.subtotal_minor, r.currency),
    taxTotal: formatMinor(r.tax_minor, r.currency),
    total: formatMinor(r.total_minor, r.currency),
    version: r.version,
    sentAt: isoOrNull(r.sent_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }
}

const COLUMNS = [
  'id',
  'tenant_id',
  'external_id',
  'number',
  'customer_id',
  'invoice_id',
  'currency',
  'issue_date',
  'reference',
  'notes',
  'status',
  'lines',
  'subtotal_minor',
  'tax_minor',
  'total_minor',
  'version',
  'sent_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof CreditNoteRow)[]

const TARGET = {
  table: 'credit_notes',
  columns: COLUMNS,
  noun: 'A credit note',
  unique: [['number', 'number'], EXTERNAL_ID],
} as const

const write = (tx: Queryable, row: CreditNoteRow, mode: 'insert' | 'update') =>
  writeRow(tx, TARGET, row, mode)

/** A credit note corrects an invoice of the same customer, in the same currency. */
async function checkInvoice(tx: Queryable, tenantId: string, row: CreditNoteRow) {
  if (!row.invoice_id) return
  await requireOwned(tx, 'invoices', tenantId, row.invoice_id, 'invoiceId')
  const inv = await tx.get<{ customer_id: string; currency: string }>(
    'SELECT customer_id, currency FROM invoices WHERE id = ?',
    [row.invoice_id],
  )
  if (inv?.customer_id !== row.customer_id)
    throw invalid('invoiceId', 'The invoice belongs to another customer')
  if (inv.currency !== row.currency) throw invalid('currency', `The invoice is in ${inv.currency}`)
}

const ALLOWED: Record<CreditNote['status'], readonly CreditNote['status'][]> = {
  draft: ['sent', 'void'],
  sent: ['void'],
  void: [],
}

export function createCreditNotes(deps: { db: Db; now?: () => number }) {
  const { db } = deps
  const now = deps.now ?? Date.now

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
      return db.transaction(async (tx) => {
        await requireTenant(tx, tenantId)
        await requireOwned(tx, 'customers', tenantId, input.customerId, 'customerId')
        const t = now()
        const priced = priceLines(input.lines, input.currency)
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
          lines: JSON.stringify(priced.lines),
          subtotal_minor: priced.subtotalMinor,
          tax_minor: priced.taxMinor,
          total_minor: priced.totalMinor,
          version: 1,
          sent_at: input.status === 'sent' ? t : null,
          created_at: t,
          updated_at: t,
        }
        await checkInvoice(tx, tenantId, row)
        await write(tx, row, 'insert')
        return toCreditNote(row)
      })
    },

    get: async (tenantId: string, id: string) => toCreditNote(await load(db, tenantId, id)),

    async list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
      await requireTenant(db, tenantId)
      const { rows, nextCursor } = await pageByCursor<CreditNoteRow>(
        db,
        { sql: 'SELECT * FROM credit_notes WHERE tenant_id = ?', args: [tenantId] },
        page,
      )
      return { data: rows.map(toCreditNote), nextCursor }
    },

    async update(
      tenantId: string,
      id: string,
      patch: z.output<typeof UpdateCreditNoteSchema>,
    ): Promise<CreditNote> {
      return db.transaction(async (tx) => {
        const row = await load(tx, tenantId, id)
        if (row.status === 'void')
          throw new AppError('invalid_state_change', { message: 'A void credit note cannot change.' })
        if (patch.customerId) await requireOwned(tx, 'customers', tenantId, patch.customerId, 'customerId')
        const t = now()
        let next: CreditNoteRow = {
          ...row,
          number: patch.number ?? row.number,
          customer_id: patch.customerId ?? row.customer_id,
          invoice_id: patch.invoiceId === undefined ? row.invoice_id : patch.invoiceId,
          currency: patch.currency ?? row.currency,
          issue_date: patch.issueDate ?? row.issue_date,
          reference: patch.reference === undefined ? row.reference : patch.reference,
          notes: patch.notes === undefined ? row.notes : patch.notes,
        }
        if (patch.lines || patch.currency) {
          const priced = priceLines(patch.lines ?? toLineInputs(row.lines), next.currency)
          next = {
            ...next,
            lines: JSON.stringify(priced.lines),
            subtotal_minor: priced.subtotalMinor,
            tax_minor: priced.taxMinor,
            total_minor: priced.totalMinor,
          }
        }
        if (patch.status && patch.status !== row.status) {
          if (!ALLOWED[row.status].includes(patch.status))
            throw new AppError('invalid_state_change', {
              message: `A ${row.status} credit note cannot become ${patch.status}.`,
            })
          next.status = patch.status
          if (patch.status === 'sent') next.sent_at = t
        }
        await checkInvoice(tx, tenantId, next)
        if (JSON.stringify(next) === JSON.stringify(row)) return toCreditNote(row)
        next = { ...next, version: row.version + 1, updated_at: t }
        await write(tx, next, 'update')
        return toCreditNote(next)
      })
    },
  }
}

export type CreditNotes = ReturnType<typeof createCreditNotes>
