import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderAuth, ProviderInvoice, ProviderSync } from '../../server/providers/sync-contract.ts'
import type { XeroEmulator } from '../emulators/xero/index.ts'
import { buildInvoice } from '../emulators/xero/sync-testing.ts'
import { UK, api, line } from '../emulators/xero/testing.ts'
import { expected, idsOf, metered, row, rows } from './changes.ts'
import { expectKind } from './conformance.ts'
import { pushOneInvoice } from './invoices.ts'
import { connectXeroSync, standardSpec } from './xero-harness.ts'

/**
 * The Xero adapter's change feed (sync-contract.ts `changes`) against the emulated Xero: what a
 * bookkeeper changes there (payments entered and deleted, an invoice voided, a bill) and what the
 * adapter pushes, read back through GET /Payments and GET /Invoices with If-Modified-Since.
 */
let emu: XeroEmulator
let sync: ProviderSync
let uk: ProviderAuth
let rates: Map<string, string>
let acme: string
let n = 0

beforeAll(async () => {
  ;({ emu, sync, auth: uk, rates, acme } = await connectXeroSync([UK]))
})
afterAll(() => emu.close())

const feed = () => sync.changes
const now = () => emu.control.clock.now()
const iso = (ms: number) => new Date(ms).toISOString()
const org = () => emu.control.organisation(UK)
const invoiceAt = (id: string) => iso(org().invoices.get(id)!.UpdatedDateUTC)
const paymentAt = (id: string) => iso(org().payments.get(id)!.UpdatedDateUTC)

/** An AUTHORISED sales invoice of 118.80 GBP, pushed by the adapter. */
const invoice = (): Promise<ProviderInvoice> =>
  pushOneInvoice(sync, uk, buildInvoice(sync, rates, standardSpec(`XCH-${++n}`, acme)), `job-ch-${n}`)

/** The feed's requests since `mark` (an index into the request log). */
const reads = (mark: number) =>
  emu.control
    .requests()
    .slice(mark)
    .filter((r) => r.method === 'GET')
    .map((r) => ({
      path: r.path.replace('/api.xro/2.0', ''),
      since: r.headers['if-modified-since'],
      page: r.query.page,
      summaryOnly: r.query.summaryOnly,
    }))

describe('Xero change feed (If-Modified-Since on Invoices and Payments)', () => {
  it('lists the sales invoices and payments changed since `from`; deleted and voided ones as deleted; bills left out', async () => {
    emu.control.advanceClock(60_000)
    // A bill and its payment: a supplier's, changed before the sales changes below.
    const bill = await api(emu, uk.accessToken, 'PUT', '/Invoices', {
      body: {
        Invoices: [
          {
            Type: 'ACCPAY',
            Contact: { ContactID: acme },
            Status: 'AUTHORISED',
            LineItems: [line({ AccountCode: '400' })],
          },
        ],
      },
    })
    expect(bill.status).toBe(200)
    const billId = bill.body.Invoices[0].InvoiceID as string
    const billPayment = emu.control.payInvoice(UK, billId, { Amount: 10 })
    expect(billPayment.PaymentType).toBe('ACCPAYPAYMENT')
    const from = iso(now() - 1000)

    emu.control.advanceClock(1000)
    const paid = await invoice()
    const settled = await invoice()
    const voided = await invoice()
    emu.control.advanceClock(1000)
    const part = emu.control.payInvoice(UK, paid.id, { Amount: 10 })
    emu.control.advanceClock(1000)
    const gone = emu.control.payInvoice(UK, settled.id)
    emu.control.advanceClock(1000)
    emu.control.deletePayment(UK, gone.PaymentID)
    const voiding = await api(emu, uk.accessToken, 'POST', `/Invoices/${voided.id}`, {
      body: { Invoices: [{ Status: 'VOIDED' }] },
    })
    expect(voiding.status).toBe(200)

    const mark = emu.control.requests().length
    const result = await feed().since(uk, null, from)
    expect(rows(result)).toEqual(
      expected(
        row('invoice', paid.id, invoiceAt(paid.id)),
        row('invoice', settled.id, invoiceAt(settled.id)),
        row('invoice', voided.id, invoiceAt(voided.id), true),
        row('payment', part.PaymentID, paymentAt(part.PaymentID)),
        row('payment', gone.PaymentID, paymentAt(gone.PaymentID), true),
      ),
    )
    // The payment deleted moved its invoice too, and the void came last: both at the latest instant.
    expect(result.cursor).toBe(iso(now()))
    // AUDIT (XR-D09, XR-R04): both lists carry If-Modified-Since = `from`, Invoices in summary.
    expect(reads(mark)).toEqual([
      { path: '/Payments', since: from, page: '1', summaryOnly: undefined },
      { path: '/Invoices', since: from, page: '1', summaryOnly: 'true' },
    ])
  })

  it('resumes from the cursor: the changes at its instant again, then what changed after', async () => {
    emu.control.advanceClock(60_000)
    const from = iso(now())
    emu.control.advanceClock(1000)
    const first = await invoice()
    const pass1 = await feed().since(uk, null, from)
    expect(rows(pass1)).toEqual([row('invoice', first.id, iso(now()))])
    expect(pass1.cursor).toBe(iso(now()))

    // If-Modified-Since takes what changed at or after it: the change at the cursor, nothing new.
    const mark = emu.control.requests().length
    const pass2 = await feed().since(uk, pass1.cursor, from)
    expect(rows(pass2)).toEqual(rows(pass1))
    expect(pass2.cursor).toBe(pass1.cursor)
    expect(reads(mark).map((r) => r.since)).toEqual([pass1.cursor, pass1.cursor])

    emu.control.advanceClock(1000)
    const payment = emu.control.payInvoice(UK, first.id, { Amount: 5 })
    const second = await invoice()
    const pass3 = await feed().since(uk, pass2.cursor, from)
    expect(rows(pass3)).toEqual(
      expected(
        row('invoice', first.id, iso(now())),
        row('invoice', second.id, iso(now())),
        row('payment', payment.PaymentID, iso(now())),
      ),
    )
    expect(pass3.cursor).toBe(iso(now()))
  })

  it('answers the cursor unchanged, in two requests, when nothing changed', async () => {
    emu.control.advanceClock(60_000)
    const from = iso(now() + 1)
    expect(feed().callsPerPass).toBe(2)
    const mark = emu.control.requests().length
    const { result: empty, requests } = await metered(() => feed().since(uk, null, from))
    expect(empty).toEqual({ changes: [], cursor: from })
    // Every request went through the metered path the engine's limiter counts.
    expect(requests).toBe(2)
    expect(reads(mark)).toHaveLength(2)
    // A cursor is answered as it came, not rewritten, when nothing changed after it.
    const cursor = new Date(now() + 5000).toISOString().replace('.000Z', 'Z')
    expect(await feed().since(uk, cursor, '2026-11-01T00:00:00Z')).toEqual({ changes: [], cursor })
  })

  it('pages both lists to the end', async () => {
    emu.control.advanceClock(60_000)
    const from = iso(now())
    emu.control.advanceClock(1000)
    const made: ProviderInvoice[] = []
    for (let batch = 0; batch < 3; batch++) {
      const inputs = Array.from({ length: batch < 2 ? 50 : 1 }, () =>
        buildInvoice(sync, rates, {
          number: `XCH-${++n}`,
          contactId: acme,
          currency: 'GBP',
          lines: [{ q: '1', p: '100', tax: 'OUTPUT2' }],
        }),
      )
      const results = await sync.invoices.upsertMany(uk, inputs, `job-ch-page-${n}`)
      for (const r of results) if (r.ok) made.push(r.invoice)
    }
    expect(made).toHaveLength(101)
    // 101 payments of 1.00 on one invoice of 120.00.
    const payments = Array.from({ length: 101 }, () => emu.control.payInvoice(UK, made[0]!.id, { Amount: 1 }))

    const mark = emu.control.requests().length
    const result = await feed().since(uk, null, from)
    expect(idsOf(result, 'invoice')).toEqual(made.map((i) => i.id).sort())
    expect(idsOf(result, 'payment')).toEqual(payments.map((p) => p.PaymentID).sort())
    expect(reads(mark).map((r) => `${r.path} ${r.page}`)).toEqual([
      '/Payments 1',
      '/Payments 2',
      '/Invoices 1',
      '/Invoices 2',
    ])
  })

  it("fails as the adapter's other calls do: a 429 is rate_limited", async () => {
    emu.control.force429(UK, 'minute', { retryAfterSeconds: 30 })
    const err = await expectKind(feed().since(uk, null, iso(now())), 'rate_limited')
    expect(err.retryAfterMs).toBe(30_000)
    // A cursor that names no instant is the caller's bug, refused before any request.
    await expect(feed().since(uk, 'not a time', iso(now()))).rejects.toBeInstanceOf(RangeError)
  })
})
