import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ProviderAuth, ProviderSync } from '../../server/providers/sync-contract.ts'
import { seedIds, standardLine } from '../emulators/sage/fixtures.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { SAGE_DEMO_IDS } from '../emulators/sage/index.ts'
import { apiClient } from '../emulators/sage/testing.ts'
import { expected, metered, row, rows } from './changes.ts'
import { expectKind } from './conformance.ts'
import { pushOneInvoice } from './invoices.ts'
import { connectSageBusiness, sageDocument } from './sage-harness.ts'

/**
 * The Sage adapter's change feed (sync-contract.ts `changes`) against the Sage emulator: invoices
 * pushed by the adapter, receipts entered and deleted in Sage (the control API), an invoice voided
 * and a draft deleted there, read back with `updated_or_created_since` and `deleted_since` on
 * /contact_payments and /sales_invoices, through `$next` to the end.
 */
const BUSINESS = SAGE_DEMO_IDS.hartley
let emu: SageEmulator
let sync: ProviderSync
let auth: ProviderAuth
let sage: ReturnType<typeof apiClient>
let seq = 0

beforeAll(async () => {
  let accessToken: string
  ;({ emu, sync, auth, accessToken } = await connectSageBusiness(BUSINESS))
  sage = apiClient(emu, accessToken, BUSINESS)
})
afterAll(() => emu.close())
// Each case starts a few seconds on, so the changes of one are not those of the next (and the
// 5-minute access token outlives the file).
beforeEach(() => emu.control.advanceClock(5000))

const now = () => emu.control.clock.now()
const tick = () => emu.control.advanceClock(1000)
const iso = (ms: number) => new Date(ms).toISOString()
const business = () => emu.control.business(BUSINESS)
/** When Sage says the record changed: updated_at (or deleted_at), to the second. */
const second = (ms: number) => iso(Math.floor(ms / 1000) * 1000)
const invoiceAt = (id: string) => second(business().artefacts.get(id)!.updatedAt)
const paymentAt = (id: string) => second(business().settlements.get(id)!.updatedAt)
const deletedAt = (id: string) => second(business().settlements.get(id)!.deletedAt!)

/** One-line invoices pushed through the adapter: 100.00 net + 20% VAT = 120.00. */
async function pushInvoice(): Promise<string> {
  const input = {
    ...sageDocument(emu, sync, { lineId: 'line_0' }),
    invoiceId: `inv_ch_${++seq}`,
    number: `CH-${seq}`,
    dueDate: '2026-12-02',
  }
  return (await pushOneInvoice(sync, auth, input, 'ignored-by-sage')).id
}

const pay = (invoiceId: string, amount?: number) =>
  emu.control.recordPayment({ businessId: BUSINESS, invoiceId, ...(amount ? { amount } : {}) }).id as string

const mark = () => emu.control.requests().length
/** The feed's reads since `at`: which list, with which filter, and which page. */
const reads = (at: number) =>
  emu.control
    .requests()
    .slice(at)
    .filter((r) => r.method === 'GET')
    .map((r): Record<string, string | undefined> => ({ path: r.path.replace('/v3.1', ''), ...r.query }))

describe('Sage change feed (updated_or_created_since and deleted_since)', () => {
  it('lists the invoices and receipts changed or deleted since `from`; a voided invoice as deleted', async () => {
    const from = iso(now())
    tick()
    const [paid, settled, voided] = [await pushInvoice(), await pushInvoice(), await pushInvoice()]
    const draft = (await (
      await sage('/sales_invoices', {
        method: 'POST',
        body: {
          sales_invoice: {
            contact_id: seedIds(emu).contact('ACME001'),
            date: '2026-11-02',
            status_id: 'DRAFT',
            invoice_lines: [standardLine(seedIds(emu).ledger(4000))],
          },
        },
      })
    ).json()) as { id: string }
    tick()
    const part = pay(paid, 10)
    tick()
    const gone = pay(settled)
    tick()
    emu.control.deletePayment(BUSINESS, gone)
    expect(
      (await sage(`/sales_invoices/${voided}?void_reason=Raised+in+error`, { method: 'DELETE' })).status,
    ).toBe(204)
    expect((await sage(`/sales_invoices/${draft.id}`, { method: 'DELETE' })).status).toBe(204)

    const at = mark()
    const result = await sync.changes.since(auth, null, from)
    expect(rows(result)).toEqual(
      expected(
        row('invoice', paid, invoiceAt(paid)),
        row('invoice', settled, invoiceAt(settled)),
        row('invoice', voided, invoiceAt(voided), true),
        row('invoice', draft.id, second(now()), true),
        row('payment', part, paymentAt(part)),
        row('payment', gone, deletedAt(gone), true),
      ),
    )
    expect(result.cursor).toBe(iso(now()))
    // AUDIT (SG-07): both lists, changed and deleted, with minimal attributes, 200 a page.
    const since = from.replace('.000Z', 'Z')
    const before = iso(Date.parse(from) - 1000).replace('.000Z', 'Z')
    expect(reads(at)).toEqual([
      {
        path: '/contact_payments',
        items_per_page: '200',
        attributes: 'updated_at',
        transaction_type_id: 'CUSTOMER_RECEIPT',
        updated_or_created_since: since,
      },
      { path: '/contact_payments', items_per_page: '200', deleted_since: before },
      {
        path: '/sales_invoices',
        items_per_page: '200',
        attributes: 'updated_at,status',
        updated_or_created_since: since,
      },
      { path: '/sales_invoices', items_per_page: '200', deleted_since: before },
    ])
  })

  it('resumes from the cursor: the changes of its second again (a deletion in it too), then what changed after', async () => {
    const from = iso(now())
    tick()
    const invoice = await pushInvoice()
    const receipt = pay(invoice, 5)
    const pass1 = await sync.changes.since(auth, null, from)
    expect(rows(pass1)).toEqual(
      expected(row('invoice', invoice, iso(now())), row('payment', receipt, iso(now()))),
    )
    expect(pass1.cursor).toBe(iso(now()))

    // Inclusive of the cursor's second: a receipt deleted in that same second after the pass is
    // found by the next one, beside the changes already listed.
    const at = mark()
    emu.control.deletePayment(BUSINESS, receipt)
    const pass2 = await sync.changes.since(auth, pass1.cursor, from)
    expect(rows(pass2)).toEqual(
      expected(row('invoice', invoice, iso(now())), row('payment', receipt, iso(now()), true)),
    )
    expect(pass2.cursor).toBe(pass1.cursor)
    expect(reads(at).map((r) => r.updated_or_created_since ?? r.deleted_since)).toEqual([
      pass1.cursor!.replace('.000Z', 'Z'),
      iso(Date.parse(pass1.cursor!) - 1000).replace('.000Z', 'Z'),
      pass1.cursor!.replace('.000Z', 'Z'),
      iso(Date.parse(pass1.cursor!) - 1000).replace('.000Z', 'Z'),
    ])

    tick()
    const later = pay(invoice, 7)
    const pass3 = await sync.changes.since(auth, pass2.cursor, from)
    // The deletion in the cursor's second is listed again: deleted_since is asked a second early.
    expect(rows(pass3)).toEqual(
      expected(
        row('invoice', invoice, iso(now())),
        row('payment', later, iso(now())),
        row('payment', receipt, pass2.cursor!, true),
      ),
    )
    expect(pass3.cursor).toBe(iso(now()))
  })

  it('answers the cursor unchanged in four metered requests when nothing changed', async () => {
    expect(sync.changes.callsPerPass).toBe(4)
    const cursor = new Date(now() + 5000).toISOString().replace('.000Z', 'Z')
    const at = mark()
    const { result, requests } = await metered(() => sync.changes.since(auth, cursor, '2026-11-01T00:00:00Z'))
    expect(result).toEqual({ changes: [], cursor })
    expect(requests).toBe(4)
    expect(reads(at)).toHaveLength(4)
  })

  it('follows $next to the end of both lists', async () => {
    const from = iso(now())
    tick()
    const invoice = await pushInvoice()
    // 402 receipts of 0.01; 201 of them deleted: 201 live and 201 deleted, two pages each.
    const receipts = Array.from({ length: 402 }, () => pay(invoice, 0.01))
    tick()
    const deleted = receipts.slice(0, 201)
    for (const id of deleted) emu.control.deletePayment(BUSINESS, id)
    const at = mark()
    const result = await sync.changes.since(auth, null, from)
    const ids = (deletedToo: boolean) =>
      result.changes
        .filter((c) => c.entity === 'payment' && c.deleted === deletedToo)
        .map((c) => c.id)
        .sort()
    expect(ids(false)).toEqual(receipts.slice(201).sort())
    expect(ids(true)).toEqual([...deleted].sort())
    expect(
      reads(at).map((r) => `${r.path} ${r.deleted_since ? 'deleted' : 'updated'} ${r.page ?? '1'}`),
    ).toEqual([
      '/contact_payments updated 1',
      '/contact_payments updated 2',
      '/contact_payments deleted 1',
      '/contact_payments deleted 2',
      '/sales_invoices updated 1',
      '/sales_invoices deleted 1',
    ])
  })

  it("fails as the adapter's other calls do: a 429 is rate_limited", async () => {
    emu.control.forceThrottle(1, BUSINESS)
    await expectKind(sync.changes.since(auth, null, iso(now())), 'rate_limited')
  })
})
