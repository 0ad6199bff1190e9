import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProviderAuth, ProviderSync } from '../../server/providers/sync-contract.ts'
import type { XeroEmulator } from '../emulators/xero/index.ts'
import type { InvoiceSpec, LineSpec } from '../emulators/xero/sync-testing.ts'
import { buildInvoice, seedContact } from '../emulators/xero/sync-testing.ts'
import { moneyTable } from '../emulators/xero/money-table.ts'
import { UK, US } from '../emulators/xero/testing.ts'
import { expectKind } from './conformance.ts'
import { connectXeroSync, standardSpec } from './xero-harness.ts'
import { createContact, findContact } from './contacts.ts'

/** The Xero adapter's sync half (sync-contract.ts) against the emulated Xero, through the production code. */
let emu: XeroEmulator
let sync: ProviderSync
let uk: ProviderAuth
let us: ProviderAuth
let rates: Map<string, string>
let acme: string
let n = 0

beforeAll(async () => {
  let auths: Map<string, ProviderAuth>
  ;({ emu, sync, auths, rates, acme } = await connectXeroSync([UK, US]))
  uk = auths.get(UK)!
  us = auths.get(US)!
})
afterAll(() => emu.close())

const spec = (over: Partial<InvoiceSpec> = {}): InvoiceSpec => ({
  ...standardSpec(`XS-${++n}`, acme),
  ...over,
})
const push = async (auth: ProviderAuth, ...specs: InvoiceSpec[]) =>
  sync.invoices.upsertMany(
    auth,
    specs.map((s) => buildInvoice(sync, rates, s)),
    `job-${++n}`,
  )
async function pushOne(auth: ProviderAuth, s: InvoiceSpec) {
  const [result] = await push(auth, s)
  if (!result?.ok) throw result?.error ?? new Error('no result')
  return result.invoice
}
const lastWrite = () =>
  emu.control
    .requests()
    .filter((r) => r.path.endsWith('/Invoices') && r.method !== 'GET')
    .at(-1)!
const contactCount = () => [...emu.control.organisation(UK).contacts.values()].length

describe('Xero sync: totals', () => {
  it("matches the rounding guide's example: tax per line, then summed (11.44, not 11.45)", () => {
    const t = sync.totals({
      currency: 'NZD',
      amounts: 'tax_exclusive',
      lines: ['25.06', '25.61', '25.63'].map((p) => ({
        quantity: '1',
        unitPrice: p,
        discountRate: null,
        discountMinor: null,
        taxRate: '15',
      })),
    })
    expect(t).toMatchObject({ subtotalMinor: 7630n, taxMinor: 1144n, totalMinor: 8774n })
  })

  it('refuses a JPY figure with a fraction of a yen (Xero keeps 2 decimals), before any call', async () => {
    const line = { quantity: '1', unitPrice: '999', discountRate: null, discountMinor: null, taxRate: '20' }
    await expectKind(
      Promise.resolve().then(() => sync.totals({ currency: 'JPY', amounts: 'tax_exclusive', lines: [line] })),
      'validation',
    )
  })
})

describe('Xero sync: contacts', () => {
  it('finds by reference, then email, then normalised name, and never creates a second', async () => {
    const before = contactCount()
    const byRef = await findContact(sync, uk, { reference: 'CUST-001', email: null, name: 'nope' })
    expect(byRef).toMatchObject({ id: acme, matchedBy: 'reference', name: 'Acme Widgets Ltd' })
    const byEmail = await findContact(sync, uk, {
      reference: 'cus_1',
      email: 'HELLO@brightside.example',
      name: 'x',
    })
    expect(byEmail).toMatchObject({ matchedBy: 'email', name: 'Brightside Studio' })
    const byName = await findContact(sync, uk, {
      reference: 'cus_2',
      email: null,
      name: '  acme   WIDGETS ltd ',
    })
    expect(byName).toMatchObject({ id: acme, matchedBy: 'name' })
    expect(await findContact(sync, uk, { reference: 'cus_3', email: 'no@x.example', name: 'Nobody' })).toBe(
      null,
    )
    expect(contactCount()).toBe(before)
  })

  it('creates with our reference in ContactNumber and the Idempotency-Key, then finds it by reference', async () => {
    const created = await createContact(
      sync,
      uk,
      { reference: 'cus_new', name: 'Newco Ltd', email: 'ap@newco.example', phone: '0123', currency: 'GBP' },
      'job-contact-1',
    )
    expect(lastContactWrite().headers['idempotency-key']).toBe('job-contact-1:contacts.0')
    expect(await findContact(sync, uk, { reference: 'cus_new', email: null, name: 'x' })).toMatchObject({
      id: created.id,
      matchedBy: 'reference',
    })
    const twin = createContact(
      sync,
      uk,
      { reference: 'cus_twin', name: 'NEWCO LTD', email: null, phone: null, currency: null },
      'k2',
    )
    expect((await expectKind(twin, 'conflict')).message).toMatch(/already assigned to another contact/)
  })

  it('finds many customers in one request, and creates a batch in one PUT where a bad contact fails alone', async () => {
    const gets = () =>
      emu.control.requests().filter((r) => r.path.endsWith('/Contacts') && r.method === 'GET').length
    const before = gets()
    const found = await sync.contacts.findMany(uk, [
      { reference: 'CUST-001', email: null, name: 'nope' },
      { reference: 'cus_b1', email: 'hello@BRIGHTSIDE.example', name: 'x' },
      { reference: 'cus_b2', email: null, name: 'ACME widgets  Ltd' },
      { reference: 'cus_b3', email: 'new@one.example', name: 'Batch One Ltd' },
    ])
    expect(gets() - before).toBe(1)
    expect(found.map((f) => (f.ok ? (f.match?.matchedBy ?? null) : f.error.kind))).toEqual([
      'reference',
      'email',
      'name',
      null,
    ])

    const contacts = ['Batch One Ltd', 'Acme Widgets Ltd', 'Batch Two Ltd'].map((name, i) => ({
      reference: `cus_b${i + 3}`,
      name,
      email: null,
      phone: null,
      currency: null,
    }))
    const puts = () =>
      emu.control.requests().filter((r) => r.path.endsWith('/Contacts') && r.method === 'PUT').length
    const putsBefore = puts()
    const results = await sync.contacts.upsertMany(uk, contacts, 'job-contacts-batch')
    expect(puts() - putsBefore).toBe(1)
    expect(lastContactWrite().query.summarizeErrors).toBe('false')
    expect(results.map((r) => [r.reference, r.ok])).toEqual([
      ['cus_b3', true],
      ['cus_b4', false],
      ['cus_b5', true],
    ])
    const bad = results[1]!
    if (bad.ok) throw new Error('expected a failure')
    expect(bad.error.kind).toBe('conflict')
    expect(bad.error.message).toMatch(/already assigned to another contact/)
    const again = await sync.contacts.findMany(uk, [
      { reference: 'cus_b3', email: null, name: 'x' },
      { reference: 'cus_b5', email: null, name: 'x' },
    ])
    expect(again.map((a) => a.ok && a.match?.id)).toEqual(
      results.filter((r) => r.ok).map((r) => r.ok && r.contact.id),
    )
  })

  it('looks again by the whole name when a shared word runs past the pages it reads', async () => {
    const store = emu.control.organisation(UK)
    const ids: string[] = []
    const add = (name: string) => {
      const id = `0000c0de-0000-4000-8000-${String(ids.length).padStart(12, '0')}`
      ids.push(id)
      seedContact(store, id, name)
    }
    for (let i = 0; i < 520; i++) add(`Plumbing Co ${i}`)
    add('Zed Plumbing')
    try {
      const gets = () =>
        emu.control.requests().filter((r) => r.path.endsWith('/Contacts') && r.method === 'GET').length
      const before = gets()
      const [zed] = await sync.contacts.findMany(uk, [
        { reference: 'cus_zed', email: null, name: 'zed  PLUMBING' },
      ])
      expect(zed).toMatchObject({ ok: true, match: { id: ids.at(-1), matchedBy: 'name' } })
      // Five pages of the shared word, then one by the whole name.
      expect(gets() - before).toBe(6)
    } finally {
      for (const id of ids) store.contacts.delete(id)
    }
  })

  it('answers many customers from one read of a small organisation’s list; a large one is searched', async () => {
    const gets = () =>
      emu.control.requests().filter((r) => r.path.endsWith('/Contacts') && r.method === 'GET')
    const queries = [
      { reference: 'CUST-001', email: null, name: 'nope' },
      { reference: 'cus_w1', email: 'hello@BRIGHTSIDE.example', name: 'x' },
      { reference: 'cus_w2', email: null, name: 'ACME widgets  Ltd' },
      ...Array.from({ length: 22 }, (_, i) => ({
        reference: `cus_new${i}`,
        email: `accounts.payable+${i}@new-customer-${i}.example`,
        name: `New Customer Number ${i} Trading Limited`,
      })),
    ]
    const how = (found: Awaited<ReturnType<typeof sync.contacts.findMany>>) =>
      found.map((f) => (f.ok ? (f.match?.matchedBy ?? null) : f.error.kind))
    const expected = ['reference', 'email', 'name', ...Array.from({ length: 22 }, () => null)]

    let before = gets().length
    expect(how(await sync.contacts.findMany(uk, queries))).toEqual(expected)
    const small = gets().slice(before)
    expect(small).toHaveLength(1) // 25 customers, where a search takes a request for each ten or so
    expect(small[0]!.query).toMatchObject({ summaryOnly: 'true', pageSize: '1000' })
    expect(small[0]!.query.where).toBeUndefined()

    const store = emu.control.organisation(UK)
    const ids = Array.from(
      { length: 1000 },
      (_, i) => `0000beef-0000-4000-8000-${String(i).padStart(12, '0')}`,
    )
    ids.forEach((id, i) => seedContact(store, id, `Other Customer ${i}`))
    try {
      before = gets().length
      expect(how(await sync.contacts.findMany(uk, queries))).toEqual(expected)
      // More than a page: the list read is left, and the customers are searched ten to a request.
      const large = gets().slice(before)
      const kinds = large.map((r) => (r.query.where === undefined ? 'list' : 'where'))
      expect(kinds[0]).toBe('list')
      expect(kinds.slice(1)).toEqual(Array.from({ length: kinds.length - 1 }, () => 'where'))
      expect(kinds.length).toBeGreaterThan(2)
    } finally {
      for (const id of ids) store.contacts.delete(id)
    }
  })

  it('updates a contact by its ContactID in a POST: the new name and email, never a second contact', async () => {
    const store = emu.control.organisation(UK)
    const input = {
      reference: 'cus_edit',
      name: 'Edit Me Ltd',
      email: 'old@edit.example',
      phone: null,
      currency: 'GBP',
    }
    const created = await createContact(sync, uk, input, 'job-edit-1')
    const before = store.contacts.size
    const edited = { ...input, name: 'Edited Ltd', email: 'new@edit.example', existing: { id: created.id } }
    const updated = await createContact(sync, uk, edited, 'job-edit-2')
    expect(updated.id).toBe(created.id)
    const write = emu.control
      .requests()
      .filter((r) => r.path.endsWith('/Contacts'))
      .at(-1)!
    expect(write.method).toBe('POST')
    expect(write.headers['idempotency-key']).toBe('job-edit-2:contacts.0')
    expect(store.contacts.size).toBe(before)
    expect(store.contacts.get(created.id)).toMatchObject({
      Name: 'Edited Ltd',
      EmailAddress: 'new@edit.example',
      ContactNumber: 'cus_edit',
    })
    // A name another active contact holds is refused for this contact alone.
    const clash = createContact(sync, uk, { ...edited, name: 'ACME WIDGETS LTD' }, 'job-edit-3')
    expect((await expectKind(clash, 'conflict')).message).toMatch(/already assigned to another contact/)
    expect(store.contacts.get(created.id)?.Name).toBe('Edited Ltd')
  })

  it('flags an archived contact matched by reference instead of using it', async () => {
    const store = emu.control.organisation(UK)
    const old = [...store.contacts.values()].find((c) => c.Name === 'Old Supplier Ltd')!
    old.ContactNumber = 'cus_old'
    await expectKind(
      findContact(sync, uk, { reference: 'cus_old', email: null, name: 'Old Supplier Ltd' }),
      'validation',
    )
  })
})
const lastContactWrite = () =>
  emu.control
    .requests()
    .filter((r) => r.path.endsWith('/Contacts') && r.method === 'PUT')
    .at(-1)!

describe('Xero sync: invoices', () => {
  it('creates, then updates keeping the line ids; the body carries only the ContactID and every LineItemID', async () => {
    const s = spec({
      lines: [
        { q: '1', p: '10', tax: 'OUTPUT2' },
        { q: '3', p: '0.3333', tax: 'RROUTPUT' },
      ],
      notes: 'Thanks',
    })
    const created = await pushOne(uk, s)
    expect(lastWrite().method).toBe('PUT')
    expect(lastWrite().query).toMatchObject({ summarizeErrors: 'false', unitdp: '4' })
    expect(created.lineIds).toHaveLength(2)
    expect(created.totals).toEqual(buildInvoice(sync, rates, s).totals)
    const lines: LineSpec[] = s.lines.map((l, i) => ({ ...l, q: '5', providerLineId: created.lineIds[i]! }))
    const updated = await pushOne(uk, { ...s, lines, existing: { id: created.id } })
    expect(lastWrite().method).toBe('POST')
    expect(updated.id).toBe(created.id)
    expect(updated.lineIds).toEqual(created.lineIds)
    const body = JSON.parse(lastWrite().body) as {
      Invoices: { Contact: object; LineItems: { LineItemID?: string }[] }[]
    }
    expect(body.Invoices[0]!.Contact).toEqual({ ContactID: acme })
    expect(body.Invoices[0]!.LineItems.slice(0, 2).map((l) => l.LineItemID)).toEqual(created.lineIds)
    expect(updated.totals).toEqual(buildInvoice(sync, rates, { ...s, lines }).totals)
  })

  it('carries currency, reference, dates, inclusive amounts, discounts and 100 lines', async () => {
    const lines: LineSpec[] = Array.from({ length: 100 }, (_, i) => ({
      q: `${1 + (i % 7)}.${String(i).padStart(4, '0')}`,
      p: `${i % 13}.${String(7 * i)
        .padStart(4, '0')
        .slice(-4)}`,
      tax: i % 3 === 0 ? 'RROUTPUT' : 'OUTPUT2',
      ...(i % 4 === 0 ? { discountRate: '12.5' } : i % 5 === 0 ? { discountMinor: 3n } : {}),
    }))
    const s = spec({ currency: 'EUR', amounts: 'tax_inclusive', lines })
    const got = await pushOne(uk, s)
    expect(got.lineIds).toHaveLength(100)
    expect(got.totals).toEqual(buildInvoice(sync, rates, s).totals)
    const stored = emu.control.invoices(UK).find((i) => i.InvoiceID === got.id)!
    expect(stored).toMatchObject({
      CurrencyCode: 'EUR',
      LineAmountTypes: 'Inclusive',
      Reference: `ref-${s.number}`,
    })
    expect(stored).toMatchObject({ Date: '2026-11-01', DueDate: '2026-11-30', Status: 'AUTHORISED' })
  })

  it('answers each item of a batch: one bad account, one currency not enabled, the others land', async () => {
    const good = spec()
    const archived = spec({ lines: [{ q: '1', p: '5', tax: 'OUTPUT2', account: '429' }] })
    const aud = spec({ currency: 'AUD' })
    const last = spec({ currency: 'USD' })
    const results = await push(uk, good, archived, aud, last)
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true])
    const [, a, c] = results
    expect(!a!.ok && a!.error.kind).toBe('validation')
    expect(!a!.ok && a!.error.message).toMatch(/Account code '429' has been archived/)
    expect(!c!.ok && c!.error.message).toMatch(/not subscribed to currency AUD/)
    expect(!a!.ok && a!.error.correlationId).toBeTruthy()
  })

  it("reports a paid invoice as 'locked' and a duplicate number as 'conflict'", async () => {
    const s = spec()
    const created = await pushOne(uk, s)
    emu.control.payInvoice(UK, created.id)
    const [paid] = await push(uk, { ...s, existing: { id: created.id } })
    expect(!paid!.ok && paid!.error.kind).toBe('locked')
    const [dup] = await push(uk, spec({ number: s.number }))
    expect(!dup!.ok && dup!.error.kind).toBe('conflict')
    const [found] = await sync.invoices.findByNumbers(uk, [s.number])
    expect(found).toMatchObject({ id: created.id, locked: true, status: 'PAID' })
  })

  it("throws 'rate_limited' with Retry-After on a 429", async () => {
    emu.control.force429(UK, 'minute', { retryAfterSeconds: 30 })
    const err = await expectKind(push(uk, spec()), 'rate_limited')
    expect(err.retryAfterMs).toBe(30_000)
  })

  it('finds an invoice whose write was applied and whose answer was dropped', async () => {
    const s = spec({
      lines: [
        { q: '2', p: '3.333', tax: 'OUTPUT2' },
        { q: '1', p: '1', tax: null },
      ],
    })
    emu.control.injectFault({ kind: 'drop_after' })
    await expectKind(push(uk, s), 'transient')
    const [found] = await sync.invoices.findByNumbers(uk, [s.number, 'XS-none'])
    expect(found).toMatchObject({ number: s.number, locked: false, status: 'AUTHORISED' })
    expect(found!.lineIds).toHaveLength(2)
    expect(found!.totals).toEqual(buildInvoice(sync, rates, s).totals)
  })
})

describe('Xero sync: chart', () => {
  it('lists accounts with kind, status and payments flag; revenue tax rates; enabled currencies', async () => {
    const accounts = await sync.chart.accounts(uk)
    const byCode = (code: string) => accounts.find((a) => a.code === code)
    expect(byCode('200')).toMatchObject({ kind: 'revenue', active: true, acceptsPayments: false })
    expect(byCode('429')).toMatchObject({ active: false })
    expect(byCode('090')).toMatchObject({ kind: 'bank', acceptsPayments: true })
    expect(byCode('855')).toMatchObject({ kind: 'other', acceptsPayments: true })
    const ukRates = await sync.chart.taxRates(uk)
    expect(ukRates.find((r) => r.id === 'OUTPUT2')).toMatchObject({ rate: '20', active: true })
    expect(ukRates.find((r) => r.id === 'INPUT2')).toBeUndefined()
    expect((await sync.chart.taxRates(us)).find((r) => r.id === 'TAX002')?.rate).toBe('8.875')
    expect(await sync.chart.currencies(uk)).toEqual(['GBP', 'EUR', 'USD', 'JPY', 'KWD'])
    expect(await sync.chart.currencies(us)).toEqual(['USD'])
  })
})

describe('Xero sync: money table (CERTIFICATION XR-D04)', () => {
  it("Xero's totals equal totals() for every invoice", async () => {
    const usContact = (await findContact(sync, us, {
      reference: 'x',
      email: 'ap@contoso.example',
      name: 'x',
    }))!.id
    const table = moneyTable(spec).map(
      ([name, org, s]) =>
        [name, org === 'us' ? us : uk, org === 'us' ? { ...s, contactId: usContact } : s] as const,
    )
    for (const auth of [uk, us]) {
      const rows = table.filter((t) => t[1] === auth)
      for (let at = 0; at < rows.length; at += 50) {
        const batch = rows.slice(at, at + 50)
        const results = await push(auth, ...batch.map((b) => b[2]))
        results.forEach((res, i) => {
          const [name, , s] = batch[i]!
          expect(res.ok, `${name}: ${res.ok ? '' : res.error.message}`).toBe(true)
          if (res.ok) expect(res.invoice.totals, name).toEqual(buildInvoice(sync, rates, s).totals)
        })
      }
    }
  })

  it("refuses a KWD discount with a third decimal, which Xero cannot carry ('validation')", async () => {
    const line = { quantity: '1', unitPrice: '1', discountRate: null, discountMinor: 1n, taxRate: null }
    await expectKind(
      Promise.resolve().then(() => sync.totals({ currency: 'KWD', amounts: 'tax_exclusive', lines: [line] })),
      'validation',
    )
  })
})
