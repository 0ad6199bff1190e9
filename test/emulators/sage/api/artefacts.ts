import { Hono } from 'hono'
import { paramErrors, recordInvalid, recordNotFound } from '../errors.ts'
import type { SageState } from '../state.ts'
import type { Artefact, ArtefactKind, Business } from '../types.ts'
import { webOrigin } from '../web.ts'
import { newId } from '../wire.ts'
import { ARTEFACT_KINDS, statusFor } from './artefact-kinds.ts'
import type { ApiEnv } from './env.ts'
import { buildLines, sumLines } from './lines.ts'
import { listPage, sortRows } from './listing.ts'
import { customer, usableCurrency } from './lookups.ts'
import { checkParams, num, readRoot, str, throwIfProblems, type ParamSpec } from './params.ts'
import { renderArtefact } from './render-artefact.ts'

const addDays = (date: string, days: number) =>
  new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10)

const ARTEFACT_SORTS = {
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  date: 'date',
  due_date: 'dueDate',
} as const

function found(business: Business, kind: ArtefactKind, key: string): Artefact {
  const a = business.artefacts.get(key)
  if (!a || a.kind !== kind || a.deletedAt !== null) throw recordNotFound()
  return a
}

/**
 * /sales_invoices and /sales_credit_notes. No idempotency: the same POST twice makes two documents,
 * as with the real API; only an explicit number that is already taken is refused.
 */
export function createArtefactRoutes(state: SageState, kind: ArtefactKind) {
  const k = ARTEFACT_KINDS[kind]
  const spec: ParamSpec = {
    contact_id: { kind: 'string', required: true },
    date: { kind: 'date', required: true },
    [k.lines]: { kind: 'array', required: true },
    due_date: { kind: 'date' },
    reference: { kind: 'string' },
    notes: { kind: 'string' },
    currency_id: { kind: 'string' },
    exchange_rate: { kind: 'number' },
    status_id: { kind: 'string' },
    [k.numberField]: { kind: 'string' },
    original_invoice_id: { kind: 'string' },
  }
  const app = new Hono<ApiEnv>()
  const path = `/${k.collection}`

  /** Applies a create or an update body onto a draft copy; throws before anything is changed. */
  function apply(business: Business, target: Artefact, body: Record<string, unknown>): void {
    const contact = customer(business, str(body.contact_id) ?? target.contactId)
    const currencyId =
      str(body.currency_id) ?? (body.contact_id !== undefined ? contact.currencyId : target.currencyId)
    const currency = usableCurrency(business, currencyId)
    const rate =
      num(body.exchange_rate) ?? (currencyId === target.currencyId ? target.exchangeRate : currency.perGbp)
    if (!(rate > 0)) throw recordInvalid('must be greater than 0', 'exchange_rate')
    const number = str(body[k.numberField])
    const taken = [...business.artefacts.values()].some(
      (a) => a.id !== target.id && a.kind === kind && a.deletedAt === null && a.number === number,
    )
    if (number && taken) throw recordInvalid(`${k.numberLabel} has already been taken.`, k.numberField)
    if (body.original_invoice_id !== undefined) {
      const original = business.artefacts.get(str(body.original_invoice_id)!)
      if (original?.kind !== 'sales_invoice' || original.contactId !== contact.id) throw recordNotFound()
      target.originalInvoiceId = original.id
    }
    if (body[k.lines] !== undefined)
      target.lines = buildLines(business, body[k.lines] as unknown[], `${k.root}[${k.lines}]`, target.lines)
    Object.assign(target, sumLines(target.lines))
    target.contactId = contact.id
    target.currencyId = currency.id
    target.exchangeRate = rate
    if (number) target.number = number
    if (body.date !== undefined) target.date = str(body.date)!
    if (body.reference !== undefined) target.reference = str(body.reference) ?? null
    if (body.notes !== undefined) target.notes = str(body.notes) ?? null
    if (kind === 'sales_invoice')
      target.dueDate =
        str(body.due_date) ??
        (body.date !== undefined ? addDays(target.date, contact.creditDays ?? 30) : target.dueDate)
    target.outstandingMinor = target.status === 'VOID' ? 0 : target.totalMinor
  }

  function nextNumber(business: Business): string {
    const used = new Set([...business.artefacts.values()].filter((a) => a.kind === kind).map((a) => a.number))
    let number: string
    do number = `${k.defaultPrefix}${++business.counters[kind]}`
    while (used.has(number))
    return number
  }

  app.get(path, (c) => {
    const business = c.get('business')
    const q = c.req.query()
    const rows = [...business.artefacts.values()].filter(
      (a) =>
        a.kind === kind &&
        (!q.contact_id || a.contactId === q.contact_id) &&
        (!q.status_id || a.status === q.status_id) &&
        (!q.from_date || a.date >= q.from_date) &&
        (!q.to_date || a.date <= q.to_date) &&
        (!q.search ||
          `${a.reference ?? ''} ${business.contacts.get(a.contactId)?.name ?? ''}`
            .toLowerCase()
            .includes(q.search.toLowerCase())),
    )
    const payments = c.req.query('show_payments_allocations') === 'true'
    return listPage(c, k.collection, sortRows(rows, q.sort, ARTEFACT_SORTS), (a) =>
      renderArtefact(business, a, { web: webOrigin(c), payments }),
    )
  })

  app.get(`${path}/:key`, (c) =>
    c.json(
      renderArtefact(c.get('business'), found(c.get('business'), kind, c.req.param('key')), {
        web: webOrigin(c),
        payments: c.req.query('show_payments_allocations') === 'true',
      }),
    ),
  )

  app.post(path, async (c) => {
    const business = c.get('business')
    const body = await readRoot(c, k.root)
    throwIfProblems(checkParams(body, k.root, spec))
    const now = state.clock.now()
    const draft: Artefact = {
      id: newId(),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      kind,
      number: '',
      contactId: '',
      date: '',
      dueDate: null,
      reference: null,
      notes: null,
      currencyId: business.baseCurrencyId,
      exchangeRate: 1,
      status: str(body.status_id) === 'DRAFT' ? 'DRAFT' : 'UNPAID',
      voidReason: null,
      lines: [],
      netMinor: 0,
      taxMinor: 0,
      totalMinor: 0,
      outstandingMinor: 0,
      lastPaid: null,
      originalInvoiceId: null,
    }
    apply(business, draft, body)
    draft.number ||= nextNumber(business)
    business.artefacts.set(draft.id, draft)
    return c.json(renderArtefact(business, draft, { web: webOrigin(c) }), 201)
  })

  app.put(`${path}/:key`, async (c) => {
    const business = c.get('business')
    const artefact = found(business, kind, c.req.param('key'))
    const body = await readRoot(c, k.root)
    throwIfProblems(checkParams(body, k.root, spec, false))
    if (artefact.status === 'VOID' || artefact.outstandingMinor !== artefact.totalMinor)
      throw recordInvalid(
        `This ${k.transactionType[1].toLowerCase()} cannot be edited because it is void or has payments or allocations.`,
        'base',
      )
    const draft = structuredClone(artefact)
    apply(business, draft, body)
    Object.assign(artefact, draft, { updatedAt: state.clock.now() })
    return c.json(renderArtefact(business, artefact, { web: webOrigin(c) }))
  })

  /** DELETE deletes a draft and voids anything else; `void_reason` is then required. */
  app.delete(`${path}/:key`, (c) => {
    const business = c.get('business')
    const artefact = found(business, kind, c.req.param('key'))
    const now = state.clock.now()
    if (artefact.status === 'DRAFT') {
      artefact.deletedAt = now
      return c.body(null, 204)
    }
    const reason = c.req.query('void_reason')
    if (!reason) throw paramErrors([{ param: 'void_reason', problem: 'is missing' }])
    if (artefact.status === 'VOID' || artefact.outstandingMinor !== artefact.totalMinor)
      throw recordInvalid('Remove the payments and allocations before voiding.', 'base')
    Object.assign(artefact, { status: 'VOID', voidReason: reason, outstandingMinor: 0, updatedAt: now })
    return c.body(null, 204)
  })

  if (kind === 'sales_invoice')
    app.post(`${path}/:key/release`, (c) => {
      const business = c.get('business')
      const artefact = found(business, kind, c.req.param('key'))
      if (artefact.status !== 'DRAFT') throw recordInvalid('Only a draft can be released.', 'base')
      Object.assign(artefact, {
        status: statusFor('UNPAID', artefact.totalMinor, artefact.outstandingMinor),
        updatedAt: state.clock.now(),
      })
      return c.json(renderArtefact(business, artefact, { web: webOrigin(c) }))
    })

  return app
}
