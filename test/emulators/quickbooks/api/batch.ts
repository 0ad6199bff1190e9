import type { QboCore } from '../core.ts'
import { isRecord, type Fields, type WriteContext } from '../entities/context.ts'
import { kindOfType } from '../entities/registry.ts'
import { writeEntity } from '../entities/write.ts'
import { faults, QboFault } from '../errors.ts'
import { QBO } from '../facts.ts'
import { runQuery } from './query-run.ts'

function itemResult(core: QboCore, ctx: WriteContext, item: Fields): Fields {
  if (typeof item.Query === 'string') return { QueryResponse: runQuery(ctx.company, core.schema, item.Query) }
  const entityKey = Object.keys(item).find((k) => kindOfType(k))
  if (!entityKey) throw faults.requiredParam('BatchItemRequest entity')
  const kind = kindOfType(entityKey)!
  const operation = typeof item.operation === 'string' ? item.operation : 'create'
  if (!['create', 'update', 'delete', 'void'].includes(operation))
    throw faults.unsupportedOperation(operation, kind.type)
  const entity = writeEntity(core.schema, kind, ctx, item[entityKey], operation)
  if (operation === 'create') ctx.invisible.add(`${kind.type}:${entity.Id}`)
  return { [kind.type]: entity }
}

/**
 * `POST /batch` (2.4): at most 30 items (else Fault 1040 for the whole request), 40 batches a minute
 * per realm, every item metered against the 500-a-minute limit. Items run in order, each answered
 * with its entity or its own Fault; an item cannot reference what an earlier item created.
 */
export function runBatch(core: QboCore, ctx: WriteContext, body: unknown): Fields {
  if (!isRecord(body) || !Array.isArray(body.BatchItemRequest)) throw faults.requiredParam('BatchItemRequest')
  const items = body.BatchItemRequest as unknown[]
  if (items.length > core.limits.batchItems) throw faults.batchTooLarge(core.limits.batchItems)
  const realmId = ctx.company.realmId
  if (!core.limits.batches.take(realmId).ok) throw faults.throttled()
  // The guard counted the batch call as one request; each further item counts as another.
  for (let i = 1; i < items.length; i++) if (!core.limits.minute.take(realmId).ok) throw faults.throttled()

  const BatchItemResponse = items.map((raw) => {
    const item = isRecord(raw) ? raw : {}
    const bId = typeof item.bId === 'string' ? item.bId : undefined
    try {
      if (bId === undefined) throw faults.requiredParam('bId')
      if (bId.length > QBO.limits.bIdMaxLength)
        throw faults.business(`bId ${bId} is longer than 10 characters.`)
      return { bId, ...itemResult(core, ctx, item) }
    } catch (err) {
      if (!(err instanceof QboFault)) throw err
      return { ...(bId ? { bId } : {}), Fault: { Error: err.errors, type: err.type } }
    }
  })
  return { BatchItemResponse }
}
