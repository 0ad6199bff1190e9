import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ProviderAuth, ProviderInvoice, ProviderSync } from '../../server/providers/sync-contract.ts'
import { DEFAULT_COMPANY } from '../emulators/quickbooks/index.ts'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { expected, idsOf, metered, row, rows } from './changes.ts'
import { NOW, expectKind } from './conformance.ts'
import { connectQuickBooksSync, quickBooksInvoice } from './quickbooks-harness.ts'

/**
 * The QuickBooks adapter's change feed (sync-contract.ts `changes`) by Change Data Capture against
 * the emulated company: invoices pushed by the adapter, then paid, voided and deleted in QuickBooks
 * (the control API), read back through `GET /cdc?entities=Invoice,Payment&changedSince=…`.
 */
const REALM = DEFAULT_COMPANY.realmId
const DAY = 86_400_000
let emu: QuickBooksEmulator
let sync: ProviderSync
let auth: ProviderAuth
let seq = 0

beforeAll(async () => {
  ;({ emu, sync, auth } = await connectQuickBooksSync())
})
afterAll(() => emu.close())
// Each case starts a minute on, so the changes of one are not those of the next.
beforeEach(() => emu.control.clock.advance(60_000))

const company = () => emu.control.company(REALM)
const now = () => emu.control.clock.now()
const tick = () => emu.control.clock.advance(1000)
const iso = (ms: number) => new Date(ms).toISOString()
/** When QBO says the entity last changed: MetaData.LastUpdatedTime, to the second. */
const changedAt = (type: 'Invoice' | 'Payment', id: string) =>
  iso(Math.floor(company().updatedAt(type, id) / 1000) * 1000)
const syncToken = (type: 'invoice' | 'payment', id: string) =>
  String(company().get(type === 'invoice' ? 'Invoice' : 'Payment', id)!.SyncToken)
/** Deletes or voids an entity in QuickBooks, as a user would. */
const act = (type: 'invoice' | 'payment', id: string, operation: 'delete' | 'void') =>
  emu.control.write(REALM, type, { Id: id, SyncToken: syncToken(type, id) }, operation)

const cdcCalls = (mark: number) =>
  emu.control
    .requests(REALM)
    .slice(mark)
    .filter((r) => r.path.endsWith('/cdc'))
    .map((r) => r.query)
const mark = () => emu.control.requests(REALM).length

/** Invoices of one 100.00 line at 20% VAT (120.00 due), pushed by the adapter in one batch. */
async function invoices(count: number): Promise<ProviderInvoice[]> {
  const inputs = Array.from({ length: count }, () => {
    const n = ++seq
    return quickBooksInvoice(sync, { invoiceId: `inv_c${n}`, number: `CHG-${n}`, lineId: `line_c${n}` })
  })
  const results = await sync.invoices.upsertMany(auth, inputs, `job-changes-${seq}`)
  return results.map((r) => {
    if (!r.ok) throw r.error
    return r.invoice
  })
}

describe('QuickBooks change feed (Change Data Capture)', () => {
  it('lists the invoices and payments changed since `from`; deleted and voided ones as deleted', async () => {
    const from = iso(now())
    tick()
    const [paid, settled, voided, doomed] = await invoices(4)
    tick()
    const part = emu.control.recordPayment({ realmId: REALM, invoiceId: paid!.id, amount: 10 })
    tick()
    const full = emu.control.recordPayment({ realmId: REALM, invoiceId: settled!.id })
    tick()
    act('payment', full.Id, 'delete')
    const fullGoneAt = iso(now())
    act('invoice', voided!.id, 'void')
    act('invoice', doomed!.id, 'delete')

    const at = mark()
    const result = await sync.changes.since(auth, null, from)
    expect(rows(result)).toEqual(
      expected(
        row('invoice', paid!.id, changedAt('Invoice', paid!.id)),
        row('invoice', settled!.id, changedAt('Invoice', settled!.id)),
        row('invoice', voided!.id, changedAt('Invoice', voided!.id), true),
        row('invoice', doomed!.id, iso(now()), true),
        row('payment', part.Id, changedAt('Payment', part.Id)),
        row('payment', full.Id, fullGoneAt, true),
      ),
    )
    expect(result.cursor).toBe(iso(now()))
    // AUDIT: one CDC call for both entities, from `from`, with minorversion as on every call.
    expect(cdcCalls(at)).toEqual([
      { entities: 'Invoice,Payment', changedSince: from.replace('.000Z', 'Z'), minorversion: '75' },
    ])
  })

  it('resumes from the cursor: the changes of its second again, then what changed after', async () => {
    const from = iso(now())
    tick()
    const [first] = await invoices(1)
    const pass1 = await sync.changes.since(auth, null, from)
    expect(rows(pass1)).toEqual([row('invoice', first!.id, iso(now()))])
    expect(pass1.cursor).toBe(iso(now()))

    // changedSince takes changes at or after it: the one at the cursor, nothing new.
    const at = mark()
    const pass2 = await sync.changes.since(auth, pass1.cursor, from)
    expect(rows(pass2)).toEqual(rows(pass1))
    expect(pass2.cursor).toBe(pass1.cursor)
    expect(cdcCalls(at).map((q) => q.changedSince)).toEqual([pass1.cursor!.replace('.000Z', 'Z')])

    tick()
    const payment = emu.control.recordPayment({ realmId: REALM, invoiceId: first!.id, amount: 5 })
    const pass3 = await sync.changes.since(auth, pass2.cursor, from)
    expect(rows(pass3)).toEqual(
      expected(row('invoice', first!.id, iso(now())), row('payment', payment.Id, iso(now()))),
    )
    expect(pass3.cursor).toBe(iso(now()))
  })

  it('answers the cursor unchanged in one metered request when nothing changed', async () => {
    expect(sync.changes.callsPerPass).toBe(1)
    const cursor = new Date(now() + 5000).toISOString().replace('.000Z', 'Z')
    const at = mark()
    const { result, requests } = await metered(() => sync.changes.since(auth, cursor, '2026-11-01T00:00:00Z'))
    expect(result).toEqual({ changes: [], cursor })
    expect(requests).toBe(1)
    expect(cdcCalls(at)).toHaveLength(1)
  })

  it('asks no further back than CDC reaches: 30 days before the newest time known, less an hour', async () => {
    const from = iso(NOW - 40 * DAY)
    tick()
    const [recent] = await invoices(1)
    const at = mark()
    const result = await sync.changes.since(auth, null, from)
    // The adapter's clock (NOW) is the newest time it knows here: 30 days less an hour before it.
    const floor = iso(NOW - 30 * DAY + 3_600_000).replace('.000Z', 'Z')
    expect(cdcCalls(at).map((q) => q.changedSince)).toEqual([floor])
    expect(result.changes.map((c) => c.id)).toContain(recent!.id)
    expect(result.cursor).toBe(iso(now()))
    // A cursor as old is moved up the same way; `from` plays no part once there is a cursor.
    const at2 = mark()
    const again = await sync.changes.since(auth, iso(NOW - 35 * DAY), iso(NOW - 36 * DAY))
    expect(cdcCalls(at2).map((q) => q.changedSince)).toEqual([floor])
    expect(again.cursor).toBe(result.cursor)
  })

  it('continues after a full response of 1,000 objects from its latest LastUpdatedTime', async () => {
    const from = iso(now())
    tick()
    const [invoice] = await invoices(1)
    const t0 = now()
    // 1,050 payments of 0.01, ten a second: the oldest 1,000 fill the first response.
    const payments = Array.from({ length: 1050 }, (_, i) => {
      if (i > 0 && i % 10 === 0) tick()
      return emu.control.recordPayment({ realmId: REALM, invoiceId: invoice!.id, amount: 0.01 }).Id
    })
    const at = mark()
    const result = await sync.changes.since(auth, from, from)
    expect(idsOf(result, 'payment')).toEqual([...payments].sort())
    // The invoice changed with the last payment: newest of all, it comes in the second response.
    expect(idsOf(result, 'invoice')).toEqual([invoice!.id])
    expect(result.changes).toHaveLength(1051)
    // The 1,000th object (the oldest 1,000 are payments 0..999) changed at t0 + 99 s.
    expect(cdcCalls(at).map((q) => q.changedSince)).toEqual([
      from.replace('.000Z', 'Z'),
      iso(t0 + 99_000).replace('.000Z', 'Z'),
    ])
    expect(result.cursor).toBe(iso(now()))
  })

  it('steps past a second that alone fills a response, rather than asking for it again', async () => {
    const from = iso(now())
    tick()
    const [invoice] = await invoices(1)
    tick()
    const s = now()
    // The invoice and 999 payments all changed in the second s: exactly 1,000 objects.
    const payments = Array.from(
      { length: 999 },
      () => emu.control.recordPayment({ realmId: REALM, invoiceId: invoice!.id, amount: 0.01 }).Id,
    )
    tick()
    payments.push(emu.control.recordPayment({ realmId: REALM, invoiceId: invoice!.id, amount: 0.01 }).Id)
    const at = mark()
    const result = await sync.changes.since(auth, iso(s), from)
    expect(new Set(result.changes.filter((c) => c.entity === 'payment').map((c) => c.id))).toEqual(
      new Set(payments),
    )
    expect(cdcCalls(at).map((q) => q.changedSince)).toEqual([
      iso(s).replace('.000Z', 'Z'),
      iso(s + 1000).replace('.000Z', 'Z'),
    ])
  })

  it("fails as the adapter's other calls do: a 429 is rate_limited", async () => {
    emu.control.forceThrottle(REALM)
    await expectKind(sync.changes.since(auth, null, iso(now())), 'rate_limited')
  })
})
