import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderSync, InvoiceInput, ProviderAuth } from '../../server/providers/sync-contract.ts'
import { DEFAULT_COMPANY } from '../emulators/quickbooks/index.ts'
import type { QuickBooksEmulator } from '../emulators/quickbooks/index.ts'
import { expectKind } from './conformance.ts'
import { connectQuickBooksSync } from './quickbooks-harness.ts'
import { createContact, findContact } from './contacts.ts'

/**
 * The data half of the QuickBooks adapter against its emulator: a UK company (VAT codes per line,
 * the model whose totals a client can reproduce) with multicurrency on and EUR enabled.
 */
const REALM = DEFAULT_COMPANY.realmId
let emu: QuickBooksEmulator
let sync: ProviderSync
let auth: ProviderAuth
let seq = 0

beforeAll(async () => {
  ;({ emu, sync, auth } = await connectQuickBooksSync())
})
afterAll(() => emu.close())

type Line = {
  quantity: string
  unitPrice: string
  taxRate?: string | null
  discountRate?: string
  discountMinor?: bigint
  itemRef?: string
  accountRef?: string
}
const TAX_CODE: Record<string, string> = { '20': '2', '5': '3', '0': '4' }

/** An invoice whose totals are the adapter's own totals(), as the engine builds it. */
function invoice(lines: Line[], o: Partial<InvoiceInput> = {}): InvoiceInput {
  const n = ++seq
  const currency = o.currency ?? 'GBP'
  const amounts = o.amounts ?? 'tax_exclusive'
  const wanted = lines.map((l) => ({
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountRate: l.discountRate ?? null,
    discountMinor: l.discountMinor ?? null,
    taxRate: l.taxRate === undefined ? '20' : l.taxRate,
  }))
  const totals = sync.totals({ currency, amounts, lines: wanted })
  return {
    invoiceId: `inv_${n}`,
    number: `LL-${n}`,
    reference: `PO-${n}`,
    contact: { id: '1' },
    currency,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    amounts,
    notes: 'Thank you',
    lines: wanted.map((w, i) => ({
      ...w,
      lineId: `line_${n}_${i}`,
      providerLineId: null,
      description: `Line ${i + 1}`,
      accountRef: lines[i]!.accountRef ?? '1',
      taxRateRef: w.taxRate === null ? null : TAX_CODE[w.taxRate]!,
      itemRef: lines[i]!.itemRef ?? '1',
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: null,
    ...o,
  }
}

async function push(input: InvoiceInput, key = `job-${input.invoiceId}`) {
  const [result] = await sync.invoices.upsertMany(auth, [input], key)
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.invoice
}

describe('QuickBooks sync: contacts', () => {
  it('finds by email, then by normalised name, and never makes a second customer', async () => {
    const byEmail = await findContact(sync, auth, {
      reference: 'cus_1',
      email: 'BILLING@birchwood.example',
      name: 'x',
    })
    expect(byEmail).toMatchObject({ id: '2', matchedBy: 'email' })
    const byName = await findContact(sync, auth, {
      reference: 'cus_2',
      email: null,
      name: '  cedar &   PINE outfitters ',
    })
    expect(byName).toMatchObject({ id: '3', matchedBy: 'name' })
    expect(await findContact(sync, auth, { reference: 'cus_3', email: 'no@x.example', name: 'Nobody' })).toBe(
      null,
    )
    // The inactive "Elm Court HOA (deleted)" is not a match for "Elm Court HOA".
    expect(await findContact(sync, auth, { reference: 'cus_4', email: null, name: 'Elm Court HOA' })).toBe(
      null,
    )
  })

  it('creates with a requestid: the retry answers the same customer; it is found afterwards', async () => {
    const contact = {
      reference: 'cus_9',
      name: "O'Neill  Tiles",
      email: 'ap@oneill.example',
      phone: null,
      currency: null,
    }
    const a = await createContact(sync, auth, contact, 'job-contact-9')
    const b = await createContact(sync, auth, contact, 'job-contact-9')
    expect(b.id).toBe(a.id)
    const named = emu.control
      .company(REALM)
      .list('Customer')
      .filter((c) => c.DisplayName === "O'Neill Tiles")
    expect(named).toHaveLength(1)
    const found = await findContact(sync, auth, { reference: 'cus_9', email: null, name: "o'neill tiles" })
    expect(found).toMatchObject({ id: a.id, matchedBy: 'name' })
  })

  it('finds many customers with one batch of queries, and creates a batch where a vendor clash fails alone', async () => {
    const batches = () => emu.control.requests().filter((r) => r.path.endsWith('/batch')).length
    const before = batches()
    const found = await sync.contacts.findMany(auth, [
      { reference: 'cus_m1', email: 'billing@BIRCHWOOD.example', name: 'x' },
      { reference: 'cus_m2', email: null, name: 'cedar & pine  outfitters' },
      { reference: 'cus_m3', email: 'none@x.example', name: 'Nobody Batch' },
    ])
    expect(batches() - before).toBe(1)
    expect(found.map((f) => f.ok && f.match?.id)).toEqual(['2', '3', undefined])

    const customers = ['Batch Alpha', 'Harbor Insurance Agency', 'Batch Beta'].map((name, i) => ({
      reference: `cus_m${i + 4}`,
      name,
      email: null,
      phone: null,
      currency: null,
    }))
    const results = await sync.contacts.upsertMany(auth, customers, 'job-customers-batch')
    expect(batches() - before).toBe(2)
    expect(results.map((r) => r.ok)).toEqual([true, false, true])
    const clash = results[1]!
    if (clash.ok) throw new Error('expected the vendor clash')
    expect(clash.error.kind).toBe('conflict')
    expect(clash.error.message).toMatch(/^6240/)
    const names = emu.control
      .company(REALM)
      .list('Customer')
      .map((c) => c.DisplayName)
    expect(names).toEqual(expect.arrayContaining(['Batch Alpha', 'Batch Beta']))
    expect(names).not.toContain('Harbor Insurance Agency')
    // The same requestid answers the same customers: nothing new is created.
    const count = names.length
    await sync.contacts.upsertMany(auth, customers, 'job-customers-batch')
    expect(emu.control.company(REALM).list('Customer')).toHaveLength(count)
  })

  it('answers many customers from one read of a small company’s list; a large one is queried', async () => {
    const since = (n: number) =>
      emu.control
        .requests(REALM)
        .slice(n)
        .map((r) => (r.path.endsWith('/batch') ? 'batch' : (r.query.query ?? '')))
    const queries = [
      { reference: 'cus_l1', email: 'billing@BIRCHWOOD.example', name: 'x' },
      { reference: 'cus_l2', email: null, name: 'cedar & pine  outfitters' },
      { reference: 'cus_l3', email: null, name: 'Elm Court HOA' }, // inactive: no match
      ...Array.from({ length: 17 }, (_, i) => ({
        reference: `cus_ln${i}`,
        email: `ap+${i}@list-customer-${i}.example`,
        name: `List Customer ${i} Ltd`,
      })),
    ]
    const how = (found: Awaited<ReturnType<typeof sync.contacts.findMany>>) =>
      found.map((f) => (f.ok ? (f.match ? `${f.match.id} ${f.match.matchedBy}` : null) : f.error.kind))
    const expected = ['2 email', '3 name', ...Array.from({ length: 18 }, () => null)]

    let before = emu.control.requests(REALM).length
    expect(how(await sync.contacts.findMany(auth, queries))).toEqual(expected)
    // 20 customers would be 40 metered query items in two batches; the list is one call.
    expect(since(before)).toEqual(['select * from Customer STARTPOSITION 1 MAXRESULTS 1000'])

    // A company of more than a page of customers: the list read is left, and the queries asked.
    const company = emu.control.company(REALM)
    const made = Array.from(
      { length: 1000 },
      (_, i) => emu.control.write(REALM, 'customer', { DisplayName: `Other Customer ${i}` }).Id,
    )
    try {
      before = emu.control.requests(REALM).length
      expect(how(await sync.contacts.findMany(auth, queries))).toEqual(expected)
      expect(since(before)).toEqual([
        'select * from Customer STARTPOSITION 1 MAXRESULTS 1000',
        'batch',
        'batch',
      ])
    } finally {
      for (const Id of made) {
        const c = company.get('Customer', Id)!
        emu.control.write(REALM, 'customer', { Id, SyncToken: c.SyncToken, sparse: true, Active: false })
      }
    }
  })

  it('updates a customer sparsely at its SyncToken, and re-reads a stale SyncToken once', async () => {
    const input = {
      reference: 'cus_edit',
      name: 'Edit Me Inc',
      email: 'old@edit.example',
      phone: null,
      currency: null,
    }
    const created = await createContact(sync, auth, input, 'job-edit-1')
    const company = emu.control.company(REALM)
    const before = company.list('Customer').length
    const edited = { ...input, name: 'Edited Inc', email: 'new@edit.example', existing: created }
    const updated = await createContact(sync, auth, edited, 'job-edit-2')
    expect(updated).toMatchObject({ id: created.id, version: String(Number(created.version) + 1) })
    expect(company.get('Customer', created.id)).toMatchObject({
      DisplayName: 'Edited Inc',
      PrimaryEmailAddr: { Address: 'new@edit.example' },
    })
    expect(company.list('Customer')).toHaveLength(before)

    // Someone edits it in QuickBooks: our token is stale (5010); one re-read, one retry.
    const stored = company.get('Customer', created.id)!
    emu.control.write(REALM, 'customer', {
      Id: created.id,
      SyncToken: stored.SyncToken,
      sparse: true,
      Notes: 'in QBO',
    })
    const again = { ...edited, name: 'Edited Again Inc', existing: updated }
    const calls = emu.control.requests(REALM).length
    const retried = await createContact(sync, auth, again, 'job-edit-3')
    const paths = emu.control
      .requests(REALM)
      .slice(calls)
      .map((r) => r.path.split('/').at(-1))
    expect(paths).toEqual(['batch', 'query', 'batch'])
    expect(emu.control.requests(REALM).at(-1)!.query.requestid).not.toBe(
      emu.control.requests(REALM).at(-3)!.query.requestid,
    )
    expect(Number(retried.version)).toBe(Number(updated.version) + 2)
    expect(company.get('Customer', created.id)).toMatchObject({
      DisplayName: 'Edited Again Inc',
      Notes: 'in QBO',
    })
    expect(company.list('Customer')).toHaveLength(before)
  })

  it("answers 'conflict' with Intuit's 6240 when a vendor has the name", async () => {
    const err = await expectKind(
      createContact(
        sync,
        auth,
        { reference: 'c', name: 'Harbor Insurance Agency', email: null, phone: null, currency: null },
        'k-6240',
      ),
      'conflict',
    )
    expect(err.message).toMatch(/^6240 Duplicate Name Exists Error/)
    expect(err.correlationId).not.toBe(null)
  })
})

describe('QuickBooks sync: invoices', () => {
  it('creates, then updates keeping the line ids; totals are the adapter’s own', async () => {
    const input = invoice([
      { quantity: '2', unitPrice: '49.995' },
      { quantity: '1.5', unitPrice: '10' },
      { quantity: '1', unitPrice: '3.33', taxRate: '5' },
    ])
    const created = await push(input)
    expect(created).toMatchObject({
      number: input.number,
      status: 'open',
      locked: false,
      totals: input.totals,
    })
    expect(created.lineIds).toEqual(['1', '2', '3'])
    const stored = emu.control.company(REALM).get('Invoice', created.id)!
    expect(stored).toMatchObject({
      PrivateNote: `Reference: ${input.reference!}`,
      CustomerMemo: { value: 'Thank you' },
    })
    const changed = invoice(
      [
        { quantity: '3', unitPrice: '49.995' },
        { quantity: '1.5', unitPrice: '10' },
        { quantity: '1', unitPrice: '3.33', taxRate: '5' },
      ],
      {
        number: input.number,
        existing: { id: created.id, version: created.version ?? null },
      },
    )
    changed.lines.forEach((l, i) => (l.providerLineId = created.lineIds[i]!))
    const updated = await push(changed, 'job-update')
    expect(updated.id).toBe(created.id)
    expect(updated.lineIds).toEqual(created.lineIds)
    expect(updated.totals).toEqual(changed.totals)
    expect(
      emu.control
        .company(REALM)
        .list('Invoice')
        .filter((i) => i.DocNumber === input.number),
    ).toHaveLength(1)
    const batch = emu.control
      .requests(REALM)
      .filter((r) => r.path.endsWith('/batch'))
      .at(-1)!
    expect(batch.query).toMatchObject({ minorversion: '75', requestid: 'job-update' })
  })

  it('pushes a EUR invoice to a EUR customer; refuses a currency the company has not turned on', async () => {
    const eur = await createContact(
      sync,
      auth,
      { reference: 'c-eur', name: 'Berlin GmbH', email: null, phone: null, currency: 'EUR' },
      'k-eur',
    )
    const pushed = await push(
      invoice([{ quantity: '1', unitPrice: '99.99' }], { currency: 'EUR', contact: eur }),
    )
    expect(emu.control.company(REALM).get('Invoice', pushed.id)!.CurrencyRef).toMatchObject({ value: 'EUR' })
    const [chf] = await sync.invoices.upsertMany(
      auth,
      [invoice([{ quantity: '1', unitPrice: '5' }], { currency: 'CHF' })],
      'k-chf',
    )
    expect(chf).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringMatching(/CHF is not active/) },
    })
  })

  it('carries tax-inclusive, tax-exclusive, untaxed and discounted lines, and 100 lines', async () => {
    for (const amounts of ['tax_inclusive', 'tax_exclusive'] as const) {
      const input = invoice(
        [
          { quantity: '1', unitPrice: '100' },
          { quantity: '3', unitPrice: '0.335', taxRate: '5' },
          { quantity: '2', unitPrice: '7', taxRate: null },
          { quantity: '4', unitPrice: '12.49', discountRate: '12.5' },
          { quantity: '1', unitPrice: '80', discountMinor: 1001n },
        ],
        { amounts },
      )
      expect((await push(input)).totals).toEqual(input.totals)
    }
    const hundred = invoice(
      Array.from({ length: 100 }, (_, i) => ({
        quantity: '1.0005',
        unitPrice: `0.${String(i).padStart(2, '0')}5`,
      })),
    )
    const pushed = await push(hundred)
    expect(pushed.lineIds).toHaveLength(100)
    expect(pushed.totals).toEqual(hundred.totals)
  })

  it('lands the good items of a batch and fails the bad one with its own message', async () => {
    const good = [invoice([{ quantity: '1', unitPrice: '1' }]), invoice([{ quantity: '2', unitPrice: '2' }])]
    const bad = invoice([{ quantity: '1', unitPrice: '1', itemRef: '999' }])
    const archived = invoice([{ quantity: '1', unitPrice: '1', accountRef: '91' }])
    const results = await sync.invoices.upsertMany(auth, [good[0]!, bad, good[1]!, archived], 'job-mixed')
    expect(results.map((r) => [r.invoiceId, r.ok])).toEqual([
      [good[0]!.invoiceId, true],
      [bad.invoiceId, false],
      [good[1]!.invoiceId, true],
      [archived.invoiceId, false],
    ])
    expect(results[1]).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringMatching(/^2500 Invalid Reference Id/) },
    })
    expect(results[3]).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringMatching(/^610 Object Not Found/) },
    })
  })

  it("answers 'locked' for a paid invoice and re-reads a stale SyncToken once", async () => {
    const paid = await push(invoice([{ quantity: '1', unitPrice: '10' }]))
    emu.control.recordPayment({ invoiceId: paid.id })
    const again = invoice([{ quantity: '1', unitPrice: '11' }], {
      existing: { id: paid.id, version: paid.version ?? null },
    })
    const [locked] = await sync.invoices.upsertMany(auth, [again], 'job-paid')
    expect(locked).toMatchObject({ ok: false, error: { kind: 'locked' } })

    const open = await push(invoice([{ quantity: '1', unitPrice: '10' }]))
    const stored = emu.control.company(REALM).get('Invoice', open.id)!
    emu.control.write(REALM, 'invoice', {
      Id: open.id,
      SyncToken: stored.SyncToken,
      sparse: true,
      PrivateNote: 'edited in QBO',
    })
    const edit = invoice([{ quantity: '2', unitPrice: '10' }], {
      existing: { id: open.id, version: open.version ?? null },
    })
    const updated = await push(edit, 'job-stale')
    expect(Number(updated.version)).toBe(Number(open.version) + 2)
    expect(updated.totals).toEqual(edit.totals)
  })

  it("answers 429 as 'rate_limited' with the documented minute", async () => {
    emu.control.forceThrottle(REALM)
    const err = await expectKind(
      sync.invoices.upsertMany(auth, [invoice([{ quantity: '1', unitPrice: '1' }])], 'k-429'),
      'rate_limited',
    )
    expect(err.retryAfterMs).toBe(60_000)
  })

  it('finds a write whose answer was dropped, and the retry with the same key writes nothing new', async () => {
    const input = invoice([{ quantity: '1', unitPrice: '42' }])
    emu.control.injectFault({ kind: 'drop_after' })
    await expectKind(sync.invoices.upsertMany(auth, [input], 'job-drop'), 'transient')
    const [found] = await sync.invoices.findByNumbers(auth, [input.number, 'LL-none'])
    expect(found).toMatchObject({ number: input.number, totals: input.totals })
    expect((await push(input, 'job-drop')).id).toBe(found!.id)
    expect(
      emu.control
        .company(REALM)
        .list('Invoice')
        .filter((i) => i.DocNumber === input.number),
    ).toHaveLength(1)
  })
})

describe('QuickBooks sync: chart', () => {
  it('lists accounts, VAT codes with their rates, currencies, and items; creates an item', async () => {
    const accounts = await sync.chart.accounts(auth)
    expect(accounts.find((a) => a.id === '1')).toMatchObject({
      kind: 'revenue',
      active: true,
      acceptsPayments: false,
    })
    expect(accounts.find((a) => a.id === '35')).toMatchObject({ kind: 'bank', acceptsPayments: true })
    expect(accounts.find((a) => a.id === '91')).toMatchObject({ active: false })
    const rates = await sync.chart.taxRates(auth)
    expect(rates.find((r) => r.id === '2')).toEqual({ id: '2', name: '20.0% S', rate: '20', active: true })
    expect(rates.find((r) => r.id === '6')).toMatchObject({ rate: '17.5', active: false })
    expect(await sync.chart.currencies(auth)).toEqual(expect.arrayContaining(['GBP', 'EUR']))
    const item = await sync.chart.createItem!(
      auth,
      { name: 'SaaS subscription', incomeAccountId: '1' },
      'k-item',
    )
    expect((await sync.chart.items!(auth)).find((i) => i.id === item.id)).toMatchObject({
      incomeAccountId: '1',
      active: true,
    })
    await expectKind(
      sync.chart.createItem!(auth, { name: 'Old', incomeAccountId: '91' }, 'k-item-2'),
      'validation',
    )
  })
})

/** A fixed pseudo-random sequence (mulberry32), so the table is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('QuickBooks sync: the money table (provider total = totals() for every invoice)', () => {
  const next = random(20261120)
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!
  const decimals = (max: number, places: number) =>
    (next() * max).toFixed(places).replace(/\.?0+$/, '') || '0'
  const randomLine = (): Line => {
    const discount = next()
    return {
      quantity: pick(['1', '3', '0.5', decimals(20, 4)]),
      unitPrice: pick(['0.005', '0.015', '1.005', '2.675', decimals(500, 4)]),
      taxRate: pick(['20', '5', '0', null]),
      ...(discount < 0.2 ? { discountRate: pick(['10', '12.5', '33.33']) } : {}),
      ...(discount > 0.9 ? { discountMinor: 1n } : {}),
    }
  }
  const table: [string, () => InvoiceInput][] = [
    [
      '60 lines of 0.005',
      () => invoice(Array.from({ length: 60 }, () => ({ quantity: '1', unitPrice: '0.005' }))),
    ],
    [
      '0.005s tax-inclusive',
      () =>
        invoice(
          Array.from({ length: 30 }, () => ({ quantity: '1', unitPrice: '0.035' })),
          { amounts: 'tax_inclusive' },
        ),
    ],
    [
      '4-decimal quantities',
      () =>
        invoice([
          { quantity: '0.3333', unitPrice: '2.9999' },
          { quantity: '1.0001', unitPrice: '0.0049', taxRate: '5' },
        ]),
    ],
    [
      'discounts',
      () =>
        invoice([
          { quantity: '3', unitPrice: '33.335', discountRate: '33.33' },
          { quantity: '1', unitPrice: '0.99', discountMinor: 33n },
        ]),
    ],
    ['100 mixed lines', () => invoice(Array.from({ length: 100 }, randomLine))],
    ...Array.from({ length: 24 }, (_, i): [string, () => InvoiceInput] => [
      `random #${i + 1}`,
      () =>
        invoice(Array.from({ length: 1 + Math.floor(next() * 12) }, randomLine), {
          amounts: pick(['tax_inclusive', 'tax_exclusive'] as const),
        }),
    ]),
  ]

  it.each(table)('%s', async (_name, build) => {
    // A batch a case: keep under QBO's 40 batches a minute by letting the emulator's minute pass.
    emu.control.clock.advance(60_000)
    const input = build()
    const pushed = await push(input)
    expect(pushed.totals).toEqual(input.totals)
    const stored = emu.control.company(REALM).get('Invoice', pushed.id)!
    expect(BigInt(Math.round(Number(stored.TotalAmt) * 100))).toBe(input.totals.totalMinor)
  })

  it.each(['JPY', 'KWD'])(
    'refuses %s: QBO keeps amounts to the cent, so totals could not match',
    (currency) => {
      const lines = [
        { quantity: '1', unitPrice: '100', discountRate: null, discountMinor: null, taxRate: '20' },
      ]
      expect(() => sync.totals({ currency, amounts: 'tax_exclusive', lines })).toThrow(
        /keeps amounts to 2 decimals/,
      )
    },
  )
})
