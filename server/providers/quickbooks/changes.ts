import { z } from 'zod'
import { createChangeList, instantOf, isoSecond } from '../change-feed.ts'
import type { ProviderChange, ProviderSync } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'
import { QUICKBOOKS_WIRE } from './facts.ts'
import { isVoided } from './mappers.ts'
import { realmAuth } from './queries.ts'

const { lookbackMs, maxObjects } = QUICKBOOKS_WIRE.cdc
/**
 * How far inside the 30 days a pass stays when it has to reach back that far: Intuit's clock may be
 * ahead of the one we stand in for it with, and a changedSince past the 30 days is refused outright.
 */
const LOOKBACK_MARGIN_MS = 60 * 60_000
const SECOND = 1000
const floorSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND

/**
 * A changed entity as CDC answers it: the whole entity, or, deleted, only `Id`, `status: "Deleted"`
 * and `MetaData.LastUpdatedTime` (PROVIDERS 2.9). A voided one keeps its Id with its amounts at zero.
 */
const CdcEntitySchema = z.looseObject({
  Id: z.string(),
  status: z.string().optional(),
  TotalAmt: z.number().optional(),
  PrivateNote: z.string().optional(),
  MetaData: z.looseObject({
    LastUpdatedTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time'),
  }),
})
type CdcEntity = z.infer<typeof CdcEntitySchema>

/** `{"CDCResponse":[{"QueryResponse":[{"Invoice":[…]},{"Payment":[…]}]}]}`; an entity with no change answers `{}`. */
const CdcAnswerSchema = z.looseObject({
  CDCResponse: z.array(
    z.looseObject({
      QueryResponse: z
        .array(
          z.looseObject({
            Invoice: z.array(CdcEntitySchema).optional(),
            Payment: z.array(CdcEntitySchema).optional(),
          }),
        )
        .optional(),
    }),
  ),
})

const ENTITIES = [
  ['Invoice', 'invoice'],
  ['Payment', 'payment'],
] as const

/**
 * The polling backstop's feed by Change Data Capture (PROVIDERS 2.9; CERTIFICATION QB-P13: the
 * engine runs it as a catch-up beside webhooks, hourly). One `GET /cdc?entities=Invoice,Payment`
 * a pass, `changedSince` to the second:
 * - CDC serves only the last 30 days. Intuit's "now" is not known before it answers, so the newest
 *   instant we know stands in for it (our clock, or the cursor or `from` when one is later), and a
 *   `changedSince` further back than 30 days less an hour is moved up to it: what changed before
 *   that CDC cannot tell, and the daily reconciliation is what covers a cursor that old.
 * - A response holds at most 1,000 objects, oldest first: a full one is followed by another from its
 *   latest LastUpdatedTime, until one is not full. Should 1,000 changes share that one second, the
 *   next request starts at the second after it, since asking again would answer the same 1,000.
 * - `changedSince` takes changes at or after it, so the changes at the cursor's second are listed
 *   again on the next pass (the same change, the same changedAt).
 * Deleted entities (status Deleted) and voided ones (amounts zero, memo "Voided") are `deleted`.
 */
export function createQuickBooksChanges(company: CompanyApi): ProviderSync['changes'] {
  return {
    callsPerPass: 1,

    async since(auth, cursor, from) {
      const list = createChangeList(cursor ?? from)
      const intuitNow = Math.max(company.http.now(), list.startMs, instantOf(from))
      let at = floorSecond(Math.max(list.startMs, intuitNow - lookbackMs + LOOKBACK_MARGIN_MS))
      for (;;) {
        // API docs: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
        const { body } = await company.call(realmAuth(auth), 'cdc', CdcAnswerSchema, {
          query: { entities: 'Invoice,Payment', changedSince: isoSecond(at) },
        })
        let count = 0
        let latest = at
        for (const response of body.CDCResponse)
          for (const answer of response.QueryResponse ?? [])
            for (const [name, entity] of ENTITIES)
              for (const row of answer[name] ?? []) {
                count++
                const change = toChange(entity, row)
                latest = Math.max(latest, Date.parse(change.changedAt))
                list.add(change)
              }
        if (count < maxObjects) break
        const next = floorSecond(latest)
        at = next > at ? next : at + SECOND
      }
      return list.feed()
    },
  }
}

function toChange(entity: ProviderChange['entity'], row: CdcEntity): ProviderChange {
  return {
    entity,
    id: row.Id,
    changedAt: new Date(Date.parse(row.MetaData.LastUpdatedTime)).toISOString(),
    deleted: row.status === 'Deleted' || isVoided(row),
  }
}
