import type { Company, EntityType, QboEntity } from '../company/store.ts'
import type { QboCore } from '../core.ts'
import { faults } from '../errors.ts'
import { QBO } from '../facts.ts'
import { intuitDateTime, parseIntuitTime } from '../time.ts'

/** Entities CDC serves here; TaxCode, TaxRate and a few others are not supported by Intuit at all (2.9). */
const CDC_ENTITIES: Record<string, EntityType> = {
  customer: 'Customer',
  invoice: 'Invoice',
  payment: 'Payment',
  creditmemo: 'CreditMemo',
  item: 'Item',
  account: 'Account',
  term: 'Term',
}

/**
 * `GET /cdc?entities=…&changedSince=…` (2.9): what changed since a moment at most 30 days back, oldest
 * first, at most 1,000 objects in all; deletions come back as `{"Id","status":"Deleted"}`.
 */
export function runCdc(core: QboCore, company: Company, entities?: string, changedSince?: string) {
  if (!entities) throw faults.requiredParam('entities')
  if (!changedSince) throw faults.requiredParam('changedSince')
  const since = parseIntuitTime(changedSince)
  if (since === null) throw faults.badPropertyValue('changedSince', `Invalid date/time: ${changedSince}`)
  if (core.clock.now() - since > QBO.limits.cdcLookbackMs)
    throw faults.business('changedSince cannot be more than 30 days in the past.')
  const types = entities.split(',').map((name) => {
    const type = CDC_ENTITIES[name.trim().toLowerCase()]
    if (!type) throw faults.business(`Change data capture is not supported for ${name.trim()}.`)
    return type
  })
  const changed: { type: EntityType; at: number; entity: QboEntity }[] = []
  for (const type of types) {
    for (const entity of company.list(type)) {
      const at = company.updatedAt(type, entity.Id)
      if (at >= since) changed.push({ type, at, entity })
    }
    for (const d of company.deletedSince(type, since))
      changed.push({
        type,
        at: d.at,
        entity: {
          Id: d.id,
          status: 'Deleted',
          domain: 'QBO',
          MetaData: { LastUpdatedTime: intuitDateTime(d.at) },
        } as unknown as QboEntity,
      })
  }
  const kept = changed.sort((a, b) => a.at - b.at).slice(0, QBO.limits.cdcMaxObjects)
  const QueryResponse = types.map((type) => {
    const list = kept.filter((k) => k.type === type).map((k) => k.entity)
    return list.length
      ? { [type]: list, startPosition: 1, maxResults: list.length, totalCount: list.length }
      : {}
  })
  return { CDCResponse: [{ QueryResponse }] }
}
