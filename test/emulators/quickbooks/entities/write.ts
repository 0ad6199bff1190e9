import type { QboEntity } from '../company/store.ts'
import { faults } from '../errors.ts'
import type { XsdSchema } from '../xsd/schema.ts'
import { shapeViolations } from '../xsd/validate.ts'
import { assertPeriodOpen, isRecord, refValue, text, type Fields, type WriteContext } from './context.ts'
import type { EntityKind } from './registry.ts'
import { settleCustomer } from './ledger.ts'

/** Refuses a body the XSD does not describe, with the 2010 fault Jackson produces for it. */
export function assertShape(schema: XsdSchema, type: string, body: unknown): asserts body is Fields {
  if (!isRecord(body)) throw faults.malformedJson()
  const [first] = shapeViolations(schema, type, body)
  if (!first) return
  throw first.kind === 'unknown-property'
    ? faults.unsupportedProperty(first.property, first.type)
    : faults.badPropertyValue(first.property, first.detail)
}

function current(ctx: WriteContext, kind: EntityKind, body: Fields): QboEntity {
  const id = body.Id === undefined ? undefined : text(body.Id)
  if (id === undefined) throw faults.requiredParam('Id')
  const existing = ctx.company.get(kind.type, id)
  if (!existing || ctx.invisible.has(`${kind.type}:${id}`)) throw faults.notFound(kind.type, id)
  if (body.SyncToken === undefined) throw faults.requiredParam('SyncToken')
  // 5010: the SyncToken must be the current one (PROVIDERS 2.7 Updates).
  if (text(body.SyncToken) !== existing.SyncToken) throw faults.staleObject(ctx.company.adminName)
  return existing
}

function voided(kind: EntityKind, existing: QboEntity): Fields {
  // Voiding zeroes amounts and quantities and prefixes PrivateNote with "Voided" (Intuit blog, 2016-04-06).
  const zero = (line: Fields) => {
    const detail = isRecord(line.SalesItemLineDetail) ? { ...line.SalesItemLineDetail, Qty: 0 } : undefined
    return { ...line, Amount: 0, ...(detail ? { SalesItemLineDetail: detail } : {}) }
  }
  const note = typeof existing.PrivateNote === 'string' ? `Voided - ${existing.PrivateNote}` : 'Voided'
  const base = { ...existing, PrivateNote: note, TotalAmt: 0, Line: (existing.Line as Fields[]).map(zero) }
  return kind.type === 'Payment'
    ? { ...base, UnappliedAmt: 0 }
    : { ...base, Balance: 0, TxnTaxDetail: { TotalTax: 0 } }
}

/**
 * One create, update (full or sparse), delete or void, as `POST /{entity}[?operation=…]` performs it.
 * Returns the entity the response wraps.
 */
export function writeEntity(
  schema: XsdSchema,
  kind: EntityKind,
  ctx: WriteContext,
  body: unknown,
  operation: string | undefined,
): QboEntity {
  assertShape(schema, kind.type, body)
  const { company } = ctx
  const op = operation?.toLowerCase() ?? (body.Id !== undefined ? 'update' : 'create')
  const settle = (...entities: (QboEntity | undefined)[]) => {
    if (!kind.transaction) return
    for (const id of new Set(entities.map((e) => refValue(e?.CustomerRef))))
      if (id) settleCustomer(company, id)
  }
  if (!kind.build) throw faults.unsupportedOperation(op, kind.type)
  switch (op) {
    case 'create': {
      const created = company.insert(kind.type, kind.build(ctx, body))
      settle(created)
      return company.get(kind.type, created.Id)!
    }
    case 'update': {
      const existing = current(ctx, kind, body)
      const input = body.sparse === true ? { ...existing, ...body } : body
      const updated = company.replace(kind.type, {
        ...kind.build(ctx, input, existing),
        Id: existing.Id,
      } as QboEntity)
      settle(existing, updated)
      return company.get(kind.type, updated.Id)!
    }
    case 'delete': {
      if (!kind.deletable) throw faults.unsupportedOperation('delete', kind.type)
      const existing = current(ctx, kind, body)
      assertPeriodOpen(ctx, existing.TxnDate)
      company.remove(kind.type, existing.Id)
      settle(existing)
      return { status: 'Deleted', domain: 'QBO', Id: existing.Id } as unknown as QboEntity
    }
    case 'void': {
      if (!kind.voidable) throw faults.unsupportedOperation('void', kind.type)
      const existing = current(ctx, kind, body)
      assertPeriodOpen(ctx, existing.TxnDate)
      const saved = company.replace(kind.type, voided(kind, existing) as QboEntity, 'Void')
      settle(saved)
      return company.get(kind.type, saved.Id)!
    }
    default:
      throw faults.unsupportedOperation(op, kind.type)
  }
}
