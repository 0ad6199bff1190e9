import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InvoiceInput, ProviderAuth, ProviderSync } from '../../server/providers/sync-contract.ts'
import type { SageEmulator } from '../emulators/sage/index.ts'
import { SAGE_DEMO_IDS } from '../emulators/sage/index.ts'
import { createContact, findContact } from './contacts.ts'
import { expectKind } from './conformance.ts'
import { connectSageSync } from './sage-harness.ts'

/**
 * The data half of the Sage adapter against the Sage emulator: contacts, invoices, the chart, and
 * a money table whose totals Sage must agree with to the penny. The emulator's clock is frozen, so
 * its per-minute limit is raised: these tests make a few hundred calls inside one frozen minute.
 */
let emu: SageEmulator
let sync: ProviderSync
let auth: ProviderAuth
let lean: ProviderAuth // Brightwater: not VAT-registered, no multi-currency

beforeAll(async () => {
  const connected = await connectSageSync()
  ;({ emu, sync } = connected)
  const org = (id: string) => connected.organisations.find((o) => o.id === id)!
  auth = { accessToken: connected.accessToken, organisation: org(SAGE_DEMO_IDS.hartley) }
  lean = { accessToken: connected.accessToken, organisation: org(SAGE_DEMO_IDS.brightwater) }
})
afterAll(() => emu.close())

const business = () => emu.control.business(SAGE_DEMO_IDS.hartley)
const ledger = (code: number) => business().ledgerAccounts.find((a) => a.nominalCode === code)!.id
const contactId = (reference: string) =>
  [...business().contacts.values()].find((c) => c.reference === reference)!.id
const TAX = { '20': 'GB_STANDARD', '5': 'GB_REDUCED', '0': 'GB_ZERO' } as const

interface Line {
  q: string
  p: string
  tax: keyof typeof TAX
  rate?: string
  off?: bigint
  account?: string
  providerLineId?: string
}
let seq = 0

/** An invoice as the engine hands it over: line figures and totals from the adapter's own totals(). */
function invoice(
  lines: Line[],
  o: { currency?: string; amounts?: InvoiceInput['amounts']; contact?: string; existing?: InvoiceInput } = {},
): InvoiceInput {
  const currency = o.currency ?? 'GBP'
  const amounts = o.amounts ?? 'tax_exclusive'
  const totals = sync.totals({
    currency,
    amounts,
    lines: lines.map((l) => ({
      quantity: l.q,
      unitPrice: l.p,
      discountRate: l.rate ?? null,
      discountMinor: l.off ?? null,
      taxRate: l.tax,
    })),
  })
  const id = o.existing?.invoiceId ?? `inv_${++seq}`
  return {
    invoiceId: id,
    number: o.existing?.number ?? `LL-${seq}`,
    reference: `ref ${id}`,
    contact: { id: contactId(o.contact ?? 'ACME001') },
    currency,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    amounts,
    notes: 'Thank you',
    lines: lines.map((l, i) => ({
      lineId: `line_${i}`,
      providerLineId: l.providerLineId ?? null,
      description: `Line ${i + 1}`,
      quantity: l.q,
      unitPrice: l.p,
      discountRate: l.rate ?? null,
      discountMinor: l.off ?? null,
      accountRef: l.account ?? ledger(4000),
      taxRateRef: TAX[l.tax],
      itemRef: null,
      netMinor: totals.lines[i]!.netMinor,
      taxMinor: totals.lines[i]!.taxMinor,
    })),
    totals: { subtotalMinor: totals.subtotalMinor, taxMinor: totals.taxMinor, totalMinor: totals.totalMinor },
    existing: null,
  }
}

async function pushOne(inv: InvoiceInput, as = auth) {
  const [result] = await sync.invoices.upsertMany(as, [inv], 'ignored-by-sage')
  if (!result!.ok) throw result!.error
  return result!.invoice
}

describe('totals()', () => {
  it('rounds quantity × price per line, then the tax per line on the discounted amount', () => {
    const t = sync.totals({
      currency: 'GBP',
      amounts: 'tax_exclusive',
      lines: [
        { quantity: '3', unitPrice: '0.335', discountRate: null, discountMinor: null, taxRate: '20' },
        { quantity: '1.5', unitPrice: '19.99', discountRate: '10', discountMinor: null, taxRate: '20' },
      ],
    })
    // 1.005 → 1.01, tax 0.202 → 0.20; 29.985 → 29.99, less 2.999 → 3.00 = 26.99, tax 5.398 → 5.40
    expect(t.lines).toEqual([
      { netMinor: 101n, taxMinor: 20n },
      { netMinor: 2699n, taxMinor: 540n },
    ])
    expect(t).toMatchObject({ subtotalMinor: 2800n, taxMinor: 560n, totalMinor: 3360n })
  })

  it('backs the tax out of a tax-inclusive line: 9.99 at 20% is 8.32 + 1.67', () => {
    const t = sync.totals({
      currency: 'GBP',
      amounts: 'tax_inclusive',
      lines: [{ quantity: '1', unitPrice: '9.99', discountRate: null, discountMinor: null, taxRate: '20' }],
    })
    expect(t).toMatchObject({ subtotalMinor: 832n, taxMinor: 167n, totalMinor: 999n })
  })
})

describe('contacts', () => {
  const count = () => business().contacts.size

  it('finds by stored reference, then e-mail, then normalised name, and never creates a second', async () => {
    const before = count()
    const byRef = await findContact(sync, auth, { reference: 'acme001', email: null, name: 'Someone Else' })
    expect(byRef).toMatchObject({ id: contactId('ACME001'), matchedBy: 'reference' })
    const byEmail = await findContact(sync, auth, {
      reference: 'cus_unknown',
      email: 'AP@Northwind.example',
      name: 'x',
    })
    expect(byEmail).toMatchObject({
      id: contactId('NORTH001'),
      matchedBy: 'email',
      email: 'ap@northwind.example',
    })
    const byName = await findContact(sync, auth, {
      reference: 'cus_x',
      email: null,
      name: '  globex   GMBH ',
    })
    expect(byName).toMatchObject({ id: contactId('GLOBEX01'), matchedBy: 'name' })
    expect(
      await findContact(sync, auth, { reference: 'cus_y', email: 'no@one.example', name: 'Nobody' }),
    ).toBe(null)
    // A supplier of that name is not a customer to invoice.
    expect(
      await findContact(sync, auth, { reference: 'cus_z', email: null, name: 'Paper Supplies Co' }),
    ).toBe(null)
    expect(count()).toBe(before)
  })

  it('creates with our reference and the e-mail under the main contact person, then finds it again', async () => {
    const input = {
      reference: 'CUS_42',
      name: 'Wayne Enterprises',
      email: 'ap@wayne.example',
      phone: '+44 117 000',
      currency: 'GBP',
    }
    const created = await createContact(sync, auth, input, 'key-ignored')
    const stored = business().contacts.get(created.id)!
    expect(stored).toMatchObject({ reference: 'CUS_42', email: 'ap@wayne.example', telephone: '+44 117 000' })
    const body = JSON.parse(emu.control.requests().findLast((r) => r.method === 'POST')!.body) as {
      contact: { main_contact_person: { email: string } }
    }
    expect(body.contact.main_contact_person.email).toBe('ap@wayne.example')
    expect(await findContact(sync, auth, { reference: 'CUS_42', email: null, name: 'x' })).toMatchObject({
      id: created.id,
      matchedBy: 'reference',
    })
    expect(
      await findContact(sync, auth, { reference: 'cus_q', email: input.email, name: 'x' }),
    ).toMatchObject({
      id: created.id,
      matchedBy: 'email',
    })
  })

  it("answers many customers from one read of a small business's list, the same way as one by one", async () => {
    const queries = [
      { reference: 'acme001', email: null, name: 'Someone Else' },
      { reference: 'cus_unknown', email: 'AP@Northwind.example', name: 'x' },
      { reference: 'cus_x', email: null, name: '  globex   GMBH ' },
      { reference: 'cus_y', email: 'no@one.example', name: 'Nobody' },
      // A supplier of that name is not a customer to invoice.
      { reference: 'cus_z', email: null, name: 'Paper Supplies Co' },
    ]
    const how = (found: Awaited<ReturnType<typeof sync.contacts.findMany>>) =>
      found.map((f) => (f.ok ? (f.match ? `${f.match.id} ${f.match.matchedBy}` : null) : f.error.kind))
    const expected = [
      `${contactId('ACME001')} reference`,
      `${contactId('NORTH001')} email`,
      `${contactId('GLOBEX01')} name`,
      null,
      null,
    ]
    const api = () => emu.control.requests().filter((r) => r.path.startsWith('/v3.1'))
    // One by one, each is searched for (reference, then e-mail, then name).
    let before = api().length
    const single = []
    for (const q of queries) single.push(...(await sync.contacts.findMany(auth, [q])))
    expect(how(single)).toEqual(expected)
    expect(api().length - before).toBeGreaterThan(queries.length)
    // Together: one read of the customer list answers them all, alike.
    before = api().length
    expect(how(await sync.contacts.findMany(auth, queries))).toEqual(expected)
    const read = api().slice(before)
    expect(read.map((r) => [r.path, r.query.contact_type_id, r.query.items_per_page])).toEqual([
      ['/v3.1/contacts', 'CUSTOMER', '200'],
    ])

    // A business of more than a page of customers is searched, one customer at a time, as before.
    const now = Date.now()
    const made = Array.from({ length: 200 }, (_, i) => `seeded-${i}`)
    for (const id of made)
      business().contacts.set(id, {
        ...business().contacts.get(contactId('ACME001'))!,
        id,
        createdAt: now,
        updatedAt: now,
        name: `Seeded Customer ${id}`,
        reference: id.toUpperCase(),
        email: null,
      })
    try {
      before = api().length
      expect(how(await sync.contacts.findMany(auth, queries))).toEqual(expected)
      expect(api().length - before).toBeGreaterThan(queries.length + 1)
    } finally {
      for (const id of made) business().contacts.delete(id)
    }
  })

  it('creates each customer of many on its own, as Sage has no batch', async () => {
    const before = count()
    const results = await sync.contacts.upsertMany(
      auth,
      [
        { reference: 'MANY1', name: 'Many One', email: null, phone: null, currency: null },
        // A reference already taken in the business: Sage refuses this one alone.
        { reference: 'ACME001', name: 'Acme Again', email: null, phone: null, currency: null },
        { reference: 'MANY2', name: 'Many Two', email: null, phone: null, currency: null },
      ],
      'key-ignored',
    )
    expect(results.map((r) => r.ok)).toEqual([true, false, true])
    expect(count()).toBe(before + 2)
    const refused = results[1]!
    if (refused.ok) throw new Error('expected a refusal')
    expect(refused.error.kind).toBe('validation')
  })

  it('updates a contact with PUT /contacts/{id}: its name, and the e-mail under the main contact person', async () => {
    const input = {
      reference: 'CUS_EDIT',
      name: 'Edit Me Ltd',
      email: 'old@edit.example',
      phone: null,
      currency: 'GBP',
    }
    const created = await createContact(sync, auth, input, 'key-ignored')
    const before = count()
    const edited = { ...input, name: 'Edited Ltd', email: 'new@edit.example', existing: { id: created.id } }
    const updated = await createContact(sync, auth, edited, 'key-ignored')
    expect(updated.id).toBe(created.id)
    const put = emu.control.requests().findLast((r) => r.method === 'PUT')!
    expect(put.path).toContain(`/contacts/${created.id}`)
    const body = JSON.parse(put.body) as { contact: { main_contact_person: { email: string } } }
    expect(body.contact.main_contact_person.email).toBe('new@edit.example')
    expect(count()).toBe(before)
    expect(business().contacts.get(created.id)).toMatchObject({
      name: 'Edited Ltd',
      email: 'new@edit.example',
      reference: 'CUS_EDIT',
    })
    expect(
      await findContact(sync, auth, { reference: 'cus_q2', email: 'new@edit.example', name: 'x' }),
    ).toMatchObject({ id: created.id, matchedBy: 'email' })
    // A contact gone from Sage answers for that item alone.
    const gone = createContact(sync, auth, { ...edited, existing: { id: 'no-such-contact' } }, 'key-ignored')
    await expectKind(gone, 'not_found')
  })

  it("answers 'conflict' when two customers share the name, rather than guess", async () => {
    for (const reference of ['TWIN1', 'TWIN2'])
      await createContact(
        sync,
        auth,
        { reference, name: 'Twin Ltd', email: null, phone: null, currency: null },
        'k',
      )
    await expectKind(
      findContact(sync, auth, { reference: 'cus_t', email: null, name: 'twin ltd' }),
      'conflict',
    )
  })
})

describe('invoices', () => {
  const stored = (id: string) => business().artefacts.get(id)!

  it('creates, then updates in place: kept lines keep their Sage ids, a dropped one goes', async () => {
    const first = invoice([
      { q: '2', p: '50', tax: '20' },
      { q: '3', p: '3.33', tax: '0', account: ledger(4020) },
      { q: '1', p: '10', tax: '5' },
    ])
    const created = await pushOne(first)
    expect(created).toMatchObject({ number: first.number, status: 'UNPAID', locked: false })
    expect(created.totals).toEqual(first.totals)
    expect(stored(created.id)).toMatchObject({
      reference: first.reference,
      notes: 'Thank you',
      dueDate: '2026-12-20',
    })
    const [a, b] = created.lineIds
    const edit = invoice(
      [
        { q: '4', p: '50', tax: '20', providerLineId: a! },
        { q: '3', p: '3.33', tax: '0', account: ledger(4020), providerLineId: b! },
        { q: '1', p: '7.5', tax: '20' },
      ],
      { existing: first },
    )
    const updated = await pushOne({ ...edit, existing: { id: created.id } })
    expect(updated.id).toBe(created.id)
    expect(updated.lineIds.slice(0, 2)).toEqual([a, b])
    expect(created.lineIds).not.toContain(updated.lineIds[2])
    expect(stored(created.id).lines).toHaveLength(3)
    expect(updated.totals).toEqual(edit.totals)
  })

  it('a paid invoice is locked: refused before any write', async () => {
    const inv = invoice([{ q: '1', p: '12', tax: '20' }])
    const created = await pushOne(inv)
    emu.control.recordPayment({ businessId: SAGE_DEMO_IDS.hartley, invoiceId: created.id })
    emu.control.clearRequests()
    const [result] = await sync.invoices.upsertMany(auth, [{ ...inv, existing: { id: created.id } }], 'k')
    expect(result).toMatchObject({ ok: false, error: { kind: 'locked' } })
    expect(emu.control.requests().filter((r) => r.method === 'PUT')).toEqual([])
    expect((await sync.invoices.findByNumbers(auth, [inv.number]))[0]).toMatchObject({
      locked: true,
      status: 'PAID',
    })
  })

  it("a batch with one bad item: the others land, the bad one fails with Sage's own words", async () => {
    const good1 = invoice([{ q: '1', p: '1', tax: '20' }])
    const bad = invoice([{ q: '1', p: '1', tax: '20', account: ledger(4030) }]) // removed from the chart
    const good2 = invoice([{ q: '2', p: '1', tax: '20' }])
    const results = await sync.invoices.upsertMany(auth, [good1, bad, good2], 'k')
    expect(results.map((r) => [r.invoiceId, r.ok])).toEqual([
      [good1.invoiceId, true],
      [bad.invoiceId, false],
      [good2.invoiceId, true],
    ])
    const error = (results[1] as { error: Error & { kind: string } }).error
    expect(error.message).toBe("RecordNotFound: Couldn't find record.")
    expect(await sync.invoices.findByNumbers(auth, [bad.number])).toEqual([])
  })

  it('an invoice in a currency the business has not set up, or without multi-currency, is refused', async () => {
    const aud = await expectKind(
      pushOne(invoice([{ q: '1', p: '1', tax: '20' }], { currency: 'AUD' })),
      'validation',
    )
    expect(aud.message).toMatch(/not set up for this business\. \(currency_id\)/)
    const leanContact = [...emu.control.business(SAGE_DEMO_IDS.brightwater).contacts.values()][0]!.id
    const eur = invoice([{ q: '1', p: '1', tax: '0' }], { currency: 'EUR' })
    eur.contact = { id: leanContact }
    eur.lines[0]!.taxRateRef = 'GB_NO_TAX'
    eur.lines[0]!.accountRef = emu.control
      .business(SAGE_DEMO_IDS.brightwater)
      .ledgerAccounts.find((a) => a.nominalCode === 4000)!.id
    const refused = await expectKind(pushOne(eur, lean), 'validation')
    expect(refused.message).toMatch(/Multi-currency is not enabled/)
  })

  it("a multi-currency invoice carries its currency and Sage's totals in it", async () => {
    const inv = invoice([{ q: '7', p: '13.37', tax: '20' }], { currency: 'EUR', contact: 'GLOBEX01' })
    const pushed = await pushOne(inv)
    expect(stored(pushed.id).currencyId).toBe('EUR')
    expect(pushed.totals).toEqual(inv.totals)
  })

  it("429: thrown as 'rate_limited' with the fallback wait (the connection's fault), and the rest of the batch is not sent", async () => {
    emu.control.forceThrottle(1, SAGE_DEMO_IDS.hartley)
    emu.control.clearRequests()
    await expect(
      sync.invoices.upsertMany(
        auth,
        [invoice([{ q: '1', p: '1', tax: '20' }]), invoice([{ q: '1', p: '2', tax: '20' }])],
        'k',
      ),
    ).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 })
    expect(emu.control.requests().filter((r) => r.path.startsWith('/v3.1'))).toHaveLength(1)
  })

  it('a write applied and then dropped is found by findByNumbers afterwards', async () => {
    const inv = invoice([{ q: '1.25', p: '80', tax: '20' }])
    emu.control.injectFault({ kind: 'drop_after' })
    await expect(sync.invoices.upsertMany(auth, [inv], 'k')).rejects.toMatchObject({ kind: 'transient' })
    const [found] = await sync.invoices.findByNumbers(auth, [inv.number, 'LL-never'])
    expect(found).toMatchObject({ number: inv.number, totals: inv.totals })
    expect(found!.lineIds).toHaveLength(1)
  })
})

describe('chart', () => {
  it('revenue accounts with their chart status, bank accounts taking payments, rates and currencies', async () => {
    const accounts = await sync.chart.accounts(auth)
    const byCode = (code: string) => accounts.find((a) => a.code === code)
    expect(byCode('4000')).toMatchObject({ kind: 'revenue', active: true, acceptsPayments: false })
    expect(byCode('4030')).toMatchObject({ kind: 'revenue', active: false })
    expect(byCode('1200')).toMatchObject({
      kind: 'bank',
      acceptsPayments: true,
      id: business().bankAccounts[0]!.id,
    })
    expect(byCode('7100')).toMatchObject({ kind: 'other' })
    const rates = await sync.chart.taxRates(auth)
    expect(rates.find((r) => r.id === 'GB_STANDARD')).toMatchObject({ rate: '20', active: true })
    expect(await sync.chart.currencies(auth)).toEqual(['GBP', 'EUR', 'USD'])
    expect(await sync.chart.currencies(lean)).toEqual(['GBP'])
  })
})

/** A fixed pseudo-random sequence, so the table is the same on every run. */
function lcg(seed: number) {
  let x = seed
  return (n: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    return x % n
  }
}

function hundredLines(seed: number): Line[] {
  const next = lcg(seed)
  const taxes = ['20', '5', '0'] as const
  return Array.from({ length: 100 }, () => ({
    q: `${next(20)}.${String(next(10_000)).padStart(4, '0')}`,
    p: `${next(500)}.${String(next(10_000)).padStart(4, '0')}`,
    tax: taxes[next(3)]!,
    ...(next(4) === 0 ? { rate: `${next(30)}.${next(10)}` } : {}),
  }))
}

const MONEY_TABLE: [string, () => InvoiceInput][] = [
  [
    'fifty lines of 0.005',
    () => invoice(Array.from({ length: 50 }, () => ({ q: '1', p: '0.005', tax: '20' as const }))),
  ],
  [
    'half pennies of tax',
    () => invoice(Array.from({ length: 40 }, () => ({ q: '1', p: '0.025', tax: '20' as const }))),
  ],
  [
    'quantities with 4 decimals',
    () =>
      invoice([
        { q: '1.2345', p: '3.3333', tax: '20' },
        { q: '0.0001', p: '9999.9999', tax: '5' },
      ]),
  ],
  [
    'tax-inclusive',
    () =>
      invoice(
        [
          { q: '1', p: '9.99', tax: '20' },
          { q: '3', p: '0.335', tax: '5' },
          { q: '7', p: '1.0001', tax: '0' },
        ],
        { amounts: 'tax_inclusive' },
      ),
  ],
  [
    'a discount rate',
    () =>
      invoice([
        { q: '3', p: '19.99', tax: '20', rate: '12.5' },
        { q: '1', p: '0.05', tax: '20', rate: '50' },
      ]),
  ],
  ['a discount amount', () => invoice([{ q: '2', p: '10.005', tax: '20', off: 333n }])],
  [
    'tax-inclusive with a discount',
    () => invoice([{ q: '2.5', p: '3.99', tax: '20', rate: '7.5' }], { amounts: 'tax_inclusive' }),
  ],
  ['EUR', () => invoice([{ q: '1.3333', p: '0.0075', tax: '20' }], { currency: 'EUR', contact: 'GLOBEX01' })],
  ['100 lines, tax-exclusive', () => invoice(hundredLines(7))],
  ['100 lines, tax-inclusive', () => invoice(hundredLines(11), { amounts: 'tax_inclusive' })],
]

describe("money table: Sage's totals equal totals() for every invoice", () => {
  it.each(MONEY_TABLE)('%s', async (_name, build) => {
    const inv = build()
    const pushed = await pushOne(inv)
    expect(pushed.totals).toEqual(inv.totals)
    expect(pushed.lineIds).toHaveLength(inv.lines.length)
    const lines = business().artefacts.get(pushed.id)!.lines
    expect(lines.map((l) => [BigInt(l.netMinor), BigInt(l.taxMinor)])).toEqual(
      inv.lines.map((l) => [l.netMinor, l.taxMinor]),
    )
  })
})
