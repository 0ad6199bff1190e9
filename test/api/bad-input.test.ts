import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ERRORS, ErrorBodySchema } from '../../shared/errors.ts'
import {
  type Answer,
  type Api,
  createId,
  creditNoteBody,
  customerBody,
  dumpDb,
  expectOk,
  invoiceBody,
  paths,
  paymentBody,
  startApi,
  validLine,
} from './support.ts'

/**
 * Hundreds of bad payloads, generated from a small set of mutations applied to a valid body of
 * each write route, all sent to records that a valid body would change. Each must be refused with
 * a 4xx in our error model (never a 500), and afterwards the database must be exactly as before.
 * The run is deterministic: every random choice comes from one seeded generator.
 */

const SEED = 0x11ed9e7
function mulberry32(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
type Rng = () => number
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!

/** Random junk that no field of ours accepts: never a string, null or an empty object. */
function junk(rng: Rng, depth = 0): unknown {
  const kind = pick(rng, depth > 2 ? ['int', 'float', 'bool'] : ['int', 'float', 'bool', 'array', 'object'])
  if (kind === 'int') return Math.floor(rng() * 2e9) - 1e9
  if (kind === 'float') return (rng() - 0.5) * 10 ** Math.floor(rng() * 20)
  if (kind === 'bool') return rng() < 0.5
  if (kind === 'array') return Array.from({ length: Math.floor(rng() * 4) }, () => junk(rng, depth + 1))
  return Object.fromEntries(
    Array.from({ length: 1 + Math.floor(rng() * 3) }, (_, i) => [`k${i}`, junk(rng, depth + 1)]),
  )
}

const HUGE = 'x'.repeat(70_000)
const NON_STRINGS: unknown[] = [
  0,
  123,
  -1,
  1.5,
  1e308,
  true,
  false,
  [],
  [1, 2],
  {},
  { nested: { junk: [null, { deeper: true }] } },
]
const DECIMAL: unknown[] = [
  ...NON_STRINGS,
  null,
  10.5,
  0.1 + 0.2,
  '-1',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '1.23456',
  '',
  ' 1',
  '1 ',
  '1,000',
  '0x10',
  '+1',
  '١٢',
  '9'.repeat(16),
  '1.',
  '.5',
]
const DATE: unknown[] = [
  ...NON_STRINGS,
  null,
  '',
  '2026-02-30',
  '2026-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-11-31',
  '2026-04-31',
  '26-11-01',
  '2026-11-1',
  '2026/11/01',
  '2026-11-01T00:00:00Z',
  '01-11-2026',
  'tomorrow',
  20261101,
]

/**
 * Text no field stores (issue 8): NUL, which the database drivers cut a value short at on the way
 * back ("Acme\u0000 Holdings" read as "Acme"), other C0 and C1 controls and DEL, lone surrogates
 * (stored as U+FFFD) and noncharacters. Carriage return is refused outside multi-line fields, and
 * keys (numbers, external ids, tax codes) refuse tab, newline and invisible characters too.
 */
const UNSTORABLE = [
  'Acme\u0000 Holdings',
  '\u0000',
  'INV-1\u0000',
  'a\u0001b',
  'a\u0008b',
  '\u000b',
  'a\u000cb',
  '\u001b[31mred',
  'a\u007fb',
  'a\u0085b',
  'a\u009fb',
  'a\ud800b',
  'a\udfff',
  '\ud83d',
  'a\ufffeb',
  'a\uffffb',
  'a\ufdd0b',
  'a\u{1fffe}b',
  'a\u{10ffff}b',
]
const SINGLE_LINE = [...UNSTORABLE, 'a\rb', 'a\r\nb']
const KEYS = [
  ...SINGLE_LINE,
  'a\tb',
  'a\nb',
  'INV\u200b1',
  'INV\u00a01',
  '\u202eINV',
  'a\u2028b',
  '\ufeffINV',
]

type Kind =
  | 'name'
  | 'text'
  | 'multiline'
  | 'description'
  | 'key'
  | 'decimal'
  | 'positive'
  | 'percent'
  | 'currency'
  | 'date'
  | 'email'
  | 'externalId'
  | 'lines'
  | 'address'
  | 'country'
const BAD: Record<Kind, unknown[]> = {
  name: [...NON_STRINGS, null, '', '   ', HUGE, ...SINGLE_LINE],
  text: [...NON_STRINGS, null, HUGE, ...SINGLE_LINE],
  multiline: [...NON_STRINGS, null, HUGE, ...UNSTORABLE],
  description: [...NON_STRINGS, null, '', '   ', HUGE, ...UNSTORABLE],
  key: [...NON_STRINGS, null, HUGE, ...KEYS],
  decimal: DECIMAL,
  positive: [...DECIMAL, '0', '0.00', '0.0000'],
  percent: [...DECIMAL, '100.0001', '101', '250'],
  currency: [...NON_STRINGS, null, '', 'XYZ', 'gbp', 'GB', 'GBPP', 'XAU', ' GBP'],
  date: DATE,
  email: [...NON_STRINGS, null, '', 'not-an-email', 'a@', '@b.example', 'a b@c.example', `${HUGE}@x.example`],
  externalId: [...NON_STRINGS, null, '', 'x'.repeat(256), ...KEYS],
  lines: [
    ...NON_STRINGS,
    null,
    'x',
    [null],
    ['junk'],
    [[]],
    [{}],
    Array.from({ length: 501 }, () => validLine()),
    { 0: validLine() },
  ],
  address: [
    ...NON_STRINGS.filter((v) => JSON.stringify(v) !== '{}'),
    null,
    'x',
    { country: 'gb' },
    { country: 'GBR' },
    { extra: 1 },
    { line1: 5 },
    { postalCode: 'x'.repeat(33) },
    { city: HUGE },
  ],
  country: [...NON_STRINGS, null, '', 'gb', 'GBR', 'G1'],
}

const idBad = (prefix: string, ...known: string[]): unknown[] => [
  ...NON_STRINGS,
  null,
  '',
  'x',
  `${prefix}_`,
  `${prefix}_${'A'.repeat(26)}`,
  `${prefix}_${'a'.repeat(25)}`,
  `${prefix}_${'a'.repeat(27)}`,
  `${prefix}_${'1'.repeat(26)}`,
  `${prefix === 'inv' ? 'cus' : 'inv'}_${'a'.repeat(26)}`,
  `${prefix}_${'a'.repeat(26)}`, // well formed, but no such record
  ...known,
]
const enumBad = (...invalid: string[]): unknown[] => [...NON_STRINGS, null, '', 'bogus', 'DRAFT', ...invalid]

interface Field {
  path: (string | number)[]
  bad: unknown[]
  nullable?: boolean
  /** A decimal the raw-number mutations (NaN, Infinity as JSON numbers) apply to. */
  numeric?: boolean
}
const field = (path: string, bad: unknown[], options: Omit<Field, 'path' | 'bad'> = {}): Field => ({
  path: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
  bad: options.nullable ? bad.filter((v) => v !== null) : bad,
  ...options,
})
const lineFields = (i: number): Field[] => [
  field(`lines.${i}`, [
    ...NON_STRINGS.filter((v) => !(v && typeof v === 'object' && !Array.isArray(v))),
    null,
    'x',
    { ...validLine(), x: 1 },
  ]),
  field(`lines.${i}.description`, BAD.description),
  field(`lines.${i}.quantity`, [...BAD.positive, '-2', '-0.5'], { numeric: true }),
  field(`lines.${i}.unitPrice`, BAD.decimal, { numeric: true }),
  field(`lines.${i}.discountRate`, BAD.percent, { numeric: true }),
  field(`lines.${i}.taxCode`, BAD.key),
  field(`lines.${i}.taxRate`, BAD.percent, { numeric: true }),
  field(`lines.${i}.category`, BAD.name),
]

interface Payload {
  label: string
  body?: unknown
  raw?: string
  contentType?: string
  /** Another path than the route's own, with the valid body. */
  path?: string
  /** The field the mutation broke, which the error details should name. */
  field?: string
}

interface Route {
  name: string
  method: 'POST' | 'PUT' | 'PATCH'
  path: string
  valid: Record<string, unknown>
  fields: Field[]
  required: string[]
  /** Mutations only this route has: semantic ones (due before issue, over-payment) and bad paths. */
  extra: Payload[]
}

type Fixture = Awaited<ReturnType<typeof fixture>>

/** A tenant holding one of every record, each in a state where a valid body would change it. */
async function fixture(api: Api) {
  const tenantId = await api.tenant()
  const customerId = await createId(api, paths.customers(tenantId), customerBody({ externalId: 'cus-ext' }))
  const otherCustomerId = await createId(api, paths.customers(tenantId), customerBody({ name: 'Other' }))
  const sent = invoiceBody(customerId, { status: 'sent', externalId: 'inv-ext' })
  const sentInvoiceId = await createId(api, paths.invoices(tenantId), sent)
  const draftInvoiceId = await createId(api, paths.invoices(tenantId), invoiceBody(customerId))
  const voidInvoiceId = await createId(api, paths.invoices(tenantId), invoiceBody(customerId))
  expectOk(
    await api.call('PATCH', `${paths.invoices(tenantId)}/${voidInvoiceId}`, { json: { status: 'void' } }),
    200,
  )
  const otherCustomerInvoiceId = await createId(api, paths.invoices(tenantId), invoiceBody(otherCustomerId))
  const note = creditNoteBody(customerId, { invoiceId: sentInvoiceId, externalId: 'crn-ext' })
  const creditNoteId = await createId(api, paths.creditNotes(tenantId), note)
  const second = creditNoteBody(customerId)
  await createId(api, paths.creditNotes(tenantId), second)
  const paymentId = await createId(
    api,
    paths.payments(tenantId),
    paymentBody(sentInvoiceId, { externalId: 'pay-ext' }),
  )
  return {
    tenantId,
    customerId,
    otherCustomerId,
    sentInvoiceId,
    sentNumber: sent.number,
    draftInvoiceId,
    voidInvoiceId,
    otherCustomerInvoiceId,
    creditNoteId,
    creditNoteNumber: note.number,
    secondCreditNoteNumber: second.number,
    paymentId,
  }
}

/** The write routes of the host data API, against fixture `f`, with `o` another tenant's fixture. */
function routes(f: Fixture, o: Fixture): Route[] {
  const t = f.tenantId
  const unknownTenant = paths.customers('no-such-tenant').replace('/customers', '')
  const notFound = (base: string, id: string, prefix: string, foreign: string): Payload[] => [
    { label: 'path: unknown id', path: `${base}/${prefix}_${'a'.repeat(26)}` },
    { label: "path: another tenant's id", path: `${base}/${foreign}` },
    { label: 'path: malformed id', path: `${base}/${id.toUpperCase()}` },
    { label: 'path: malformed tenant', path: `${base.replace(`/tenants/${t}`, '/tenants/-x-')}/${id}` },
  ]
  const documentFields = (prefix: string): Field[] => [
    field('number', [...BAD.name.map((v) => (v === HUGE ? 'N'.repeat(65) : v)), ...KEYS]),
    field('customerId', idBad('cus', o.customerId)),
    field('currency', BAD.currency),
    field('issueDate', BAD.date),
    field('reference', BAD.text, { nullable: prefix === 'patch' }),
    field('notes', BAD.multiline, { nullable: prefix === 'patch' }),
    field('lines', BAD.lines),
    ...lineFields(0),
  ]
  return [
    {
      name: 'PUT tenant',
      method: 'PUT',
      path: paths.tenant(t),
      valid: { name: 'Renamed tenant' },
      fields: [field('name', BAD.name)],
      required: ['name'],
      extra: [
        { label: 'path: malformed tenant id', path: paths.tenant('-leading-dash') },
        { label: 'path: tenant id too long', path: paths.tenant('t'.repeat(129)) },
        { label: 'path: tenant id with a space', path: paths.tenant('a%20b') },
      ],
    },
    {
      name: 'POST customers',
      method: 'POST',
      path: paths.customers(t),
      valid: customerBody({
        externalId: 'new-customer',
        email: 'a@b.example',
        phone: '1',
        taxNumber: 'GB1',
        currency: 'GBP',
        address: { line1: '1 Quay St', country: 'GB' },
      }),
      fields: [
        field('externalId', BAD.externalId),
        field('name', BAD.name),
        field('email', BAD.email),
        field('phone', BAD.text),
        field('taxNumber', BAD.text),
        field('currency', BAD.currency),
        field('address', BAD.address),
        field('address.country', BAD.country),
        field('address.line1', BAD.text),
        field('address.line2', BAD.text),
        field('address.city', BAD.text),
        field('address.region', BAD.text),
        field('address.postalCode', BAD.text),
      ],
      required: ['name'],
      extra: [
        {
          label: 'externalId already used',
          body: customerBody({ externalId: 'cus-ext' }),
          field: 'externalId',
        },
        { label: 'path: unknown tenant', path: `${unknownTenant}/customers` },
        { label: 'path: malformed tenant', path: paths.customers('-x-') },
      ],
    },
    {
      name: 'PATCH customer',
      method: 'PATCH',
      path: `${paths.customers(t)}/${f.customerId}`,
      valid: { name: 'Renamed customer', email: null, address: { line1: '2 Quay St', country: 'IE' } },
      fields: [
        field('name', BAD.name),
        field('email', BAD.email, { nullable: true }),
        field('phone', BAD.text, { nullable: true }),
        field('taxNumber', BAD.text, { nullable: true }),
        field('currency', BAD.currency, { nullable: true }),
        field('address', BAD.address, { nullable: true }),
        field('address.country', BAD.country),
        field('address.line1', BAD.text),
        field('address.city', BAD.text),
      ],
      required: [],
      extra: notFound(paths.customers(t), f.customerId, 'cus', o.customerId),
    },
    {
      name: 'POST invoices',
      method: 'POST',
      path: paths.invoices(t),
      valid: invoiceBody(f.customerId, {
        externalId: 'new-invoice',
        reference: 'PO-1',
        notes: 'n',
        status: 'sent',
        lines: [
          validLine(),
          validLine({ description: 'Parts', category: 'Materials' }),
          validLine({ quantity: '0.5' }),
        ],
      }),
      fields: [
        field('externalId', BAD.externalId),
        ...documentFields('create'),
        field('dueDate', BAD.date),
        field('status', enumBad('paid', 'void')),
        ...lineFields(2),
      ],
      required: [
        'number',
        'customerId',
        'currency',
        'issueDate',
        'dueDate',
        'lines',
        'lines.0.description',
        'lines.0.quantity',
        'lines.0.unitPrice',
      ],
      extra: [
        {
          label: 'due before issue',
          body: invoiceBody(f.customerId, { dueDate: '2026-10-31' }),
          field: 'dueDate',
        },
        {
          label: 'number already used',
          body: invoiceBody(f.customerId, { number: f.sentNumber }),
          field: 'number',
        },
        {
          label: 'externalId already used',
          body: invoiceBody(f.customerId, { externalId: 'inv-ext' }),
          field: 'externalId',
        },
        {
          label: 'a total past any real invoice',
          body: invoiceBody(f.customerId, {
            lines: [validLine({ quantity: '9'.repeat(15), unitPrice: '9'.repeat(15) })],
          }),
          field: 'lines.0',
        },
        { label: 'path: unknown tenant', path: `${unknownTenant}/invoices` },
      ],
    },
    {
      name: 'PATCH invoice',
      method: 'PATCH',
      path: `${paths.invoices(t)}/${f.draftInvoiceId}`,
      valid: { notes: 'Updated', reference: null, status: 'sent', lines: [validLine({ quantity: '3' })] },
      fields: [...documentFields('patch'), field('dueDate', BAD.date), field('status', enumBad('paid'))],
      required: [],
      extra: [
        { label: 'due before the stored issue date', body: { dueDate: '2026-10-01' }, field: 'dueDate' },
        { label: 'issue after the stored due date', body: { issueDate: '2026-12-15' }, field: 'dueDate' },
        {
          label: 'due before issue',
          body: { issueDate: '2026-11-10', dueDate: '2026-11-09' },
          field: 'dueDate',
        },
        { label: 'number already used', body: { number: f.sentNumber }, field: 'number' },
        { label: 'path: a void invoice', path: `${paths.invoices(t)}/${f.voidInvoiceId}` },
        // The sent invoice has a credit note (60.00) and a payment (10.00) linked to it.
        ...[{ customerId: f.otherCustomerId }, { currency: 'EUR' }].map((body) => ({
          label: `${Object.keys(body)[0]} of an invoice with links`,
          path: `${paths.invoices(t)}/${f.sentInvoiceId}`,
          body,
        })),
        {
          label: 'a total below what is paid and credited',
          path: `${paths.invoices(t)}/${f.sentInvoiceId}`,
          body: { lines: [validLine({ quantity: '1', unitPrice: '50.00' })] },
        },
        ...notFound(paths.invoices(t), f.draftInvoiceId, 'inv', o.draftInvoiceId),
      ],
    },
    {
      name: 'POST credit-notes',
      method: 'POST',
      path: paths.creditNotes(t),
      valid: creditNoteBody(f.customerId, {
        invoiceId: f.sentInvoiceId,
        externalId: 'new-note',
        reference: 'R',
        status: 'sent',
        lines: [validLine({ quantity: '1', unitPrice: '10.00' })],
      }),
      fields: [
        field('externalId', BAD.externalId),
        ...documentFields('create'),
        field('invoiceId', idBad('inv', o.sentInvoiceId, f.otherCustomerInvoiceId)),
        field('status', enumBad('void', 'paid')),
      ],
      required: ['number', 'customerId', 'currency', 'issueDate', 'lines', 'lines.0.quantity'],
      extra: [
        {
          label: 'currency unlike the invoice',
          body: creditNoteBody(f.customerId, { invoiceId: f.sentInvoiceId, currency: 'EUR' }),
          field: 'currency',
        },
        {
          label: 'more than remains to credit',
          body: creditNoteBody(f.customerId, {
            invoiceId: f.sentInvoiceId,
            lines: [validLine({ quantity: '1', unitPrice: '42.00' })],
          }),
        },
        {
          label: 'a void invoice',
          body: creditNoteBody(f.customerId, { invoiceId: f.voidInvoiceId }),
          field: 'invoiceId',
        },
        {
          label: 'number already used',
          body: creditNoteBody(f.customerId, { number: f.creditNoteNumber }),
          field: 'number',
        },
        {
          label: 'externalId already used',
          body: creditNoteBody(f.customerId, { externalId: 'crn-ext' }),
          field: 'externalId',
        },
        { label: 'path: unknown tenant', path: `${unknownTenant}/credit-notes` },
      ],
    },
    {
      name: 'PATCH credit-note',
      method: 'PATCH',
      path: `${paths.creditNotes(t)}/${f.creditNoteId}`,
      valid: {
        notes: 'Updated',
        reference: null,
        status: 'sent',
        lines: [validLine({ quantity: '3', unitPrice: '10.00' })],
      },
      fields: [
        ...documentFields('patch'),
        field('invoiceId', idBad('inv', o.sentInvoiceId, f.otherCustomerInvoiceId), { nullable: true }),
        field('status', enumBad('paid')),
      ],
      required: [],
      extra: [
        { label: 'currency unlike the invoice', body: { currency: 'EUR' }, field: 'currency' },
        {
          label: 'more than remains to credit',
          body: { lines: [validLine({ quantity: '2', unitPrice: '50.00' })] },
        },
        {
          label: 'another customer than the invoice',
          body: { customerId: f.otherCustomerId },
          field: 'invoiceId',
        },
        { label: 'number already used', body: { number: f.secondCreditNoteNumber }, field: 'number' },
        ...notFound(paths.creditNotes(t), f.creditNoteId, 'crn', o.creditNoteId),
      ],
    },
    {
      name: 'POST payments',
      method: 'POST',
      path: paths.payments(t),
      valid: paymentBody(f.sentInvoiceId, { externalId: 'new-payment', reference: 'R', method: 'card' }),
      fields: [
        field('externalId', BAD.externalId),
        field('invoiceId', idBad('inv', o.sentInvoiceId, f.draftInvoiceId, f.voidInvoiceId)),
        // 50.00 is due: 120.00, less 10.00 paid and 60.00 credited.
        field('amount', [...BAD.positive, '1.005', '50.01', '110.01', '9'.repeat(15)], { numeric: true }),
        field('date', BAD.date),
        field('reference', BAD.text),
        field('method', enumBad('bitcoin')),
      ],
      required: ['invoiceId', 'amount', 'date'],
      extra: [
        {
          label: 'externalId already used',
          body: paymentBody(f.sentInvoiceId, { externalId: 'pay-ext' }),
          field: 'externalId',
        },
        { label: 'path: unknown tenant', path: `${unknownTenant}/payments` },
      ],
    },
    {
      name: 'PATCH payment',
      method: 'PATCH',
      path: `${paths.payments(t)}/${f.paymentId}`,
      valid: { amount: '20.00', reference: null, method: 'cash' },
      fields: [
        field('amount', [...BAD.positive, '1.005', '60.01', '120.01'], { numeric: true }),
        field('date', BAD.date),
        field('reference', BAD.text, { nullable: true }),
        field('method', enumBad('bitcoin')),
      ],
      required: [],
      extra: notFound(paths.payments(t), f.paymentId, 'pay', o.paymentId),
    },
    {
      name: 'POST mark-paid',
      method: 'POST',
      path: `${paths.invoices(t)}/${f.sentInvoiceId}/mark-paid`,
      valid: { date: '2026-11-20', reference: 'R', method: 'card' },
      fields: [field('date', BAD.date), field('reference', BAD.text), field('method', enumBad('bitcoin'))],
      required: [],
      extra: [
        { label: 'path: a draft invoice', path: `${paths.invoices(t)}/${f.draftInvoiceId}/mark-paid` },
        { label: 'path: a void invoice', path: `${paths.invoices(t)}/${f.voidInvoiceId}/mark-paid` },
        { label: 'path: unknown invoice', path: `${paths.invoices(t)}/inv_${'a'.repeat(26)}/mark-paid` },
        {
          label: "path: another tenant's invoice",
          path: `${paths.invoices(t)}/${o.sentInvoiceId}/mark-paid`,
        },
        { label: 'path: malformed id', path: `${paths.invoices(t)}/INV-1/mark-paid` },
      ],
    },
  ]
}

const clone = <T>(v: T): T => structuredClone(v)
function setIn(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = clone(body) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path.at(-1)!] = value
  return copy
}
function deleteIn(body: unknown, path: (string | number)[]): unknown {
  const copy = clone(body) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  delete node[path.at(-1)!]
  return copy
}
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text
}

/** Every mutation of one route's valid body: field by field, then the body as a whole, then the bytes. */
function payloadsOf(route: Route, rng: Rng): Payload[] {
  const out: Payload[] = []
  const valid = route.valid
  for (const f of route.fields) {
    const name = f.path.join('.')
    for (const v of [...f.bad, junk(rng), junk(rng)])
      out.push({ label: `${name} = ${show(v)}`, body: setIn(valid, f.path, v), field: name })
    if (f.numeric)
      for (const token of ['NaN', 'Infinity', '-Infinity', '1e999', '01', '0x1F', '.5']) {
        const raw = JSON.stringify(setIn(valid, f.path, '\u0000RAW\u0000')).replace(
          '"\\u0000RAW\\u0000"',
          token,
        )
        out.push({ label: `${name} = ${token} as a JSON number`, raw, field: name })
      }
  }
  for (const name of route.required)
    out.push({
      label: `missing ${name}`,
      body: deleteIn(
        valid,
        name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      ),
      field: name,
    })

  const wholes: [string, unknown][] = [
    ['null', null],
    ['an array of the body', [valid]],
    ['an empty array', []],
    ['a string', 'body'],
    ['a number', 42],
    ['true', true],
    ['an unknown field', { ...valid, unknownField: 1 }],
    ['an id', { ...valid, id: 'cus_aaaaaaaaaaaaaaaaaaaaaaaaaa' }],
    ['a version', { ...valid, version: 99 }],
    ['a tenantId', { ...valid, tenantId: 'someone-else' }],
    ['a createdAt', { ...valid, createdAt: '2020-01-01T00:00:00.000Z' }],
    ['computed totals', { ...valid, total: '0.00', amountPaid: '0.00' }],
    ['deeply nested junk', { ...valid, junk: JSON.parse('['.repeat(500) + ']'.repeat(500)) as unknown }],
    ['random junk', { ...valid, [`x${Math.floor(rng() * 1000)}`]: junk(rng) }],
  ]
  if (route.required.length || route.method === 'PATCH') wholes.push(['an empty object', {}])
  for (const [label, body] of wholes) out.push({ label: `body: ${label}`, body })

  const text = JSON.stringify(valid)
  const inner = text.slice(1)
  const raws: [string, string, string?][] = [
    ['__proto__ key', `{"__proto__":{"polluted":"yes"},${inner}`],
    ['constructor.prototype key', `{"constructor":{"prototype":{"polluted":"yes"}},${inner}`],
    ['nested __proto__ key', `{${inner.slice(0, -1)},"extra":{"__proto__":{"polluted":"yes"}}}`],
    [
      'duplicate key with a bad value',
      `{${inner.slice(0, -1)},"${Object.keys(valid)[0] ?? 'x'}":{"bad":true}}`,
    ],
    ['truncated', text.slice(0, Math.max(1, Math.floor(rng() * (text.length - 1))))],
    ['truncated again', text.slice(0, Math.max(1, Math.floor(rng() * (text.length - 1))))],
    ['trailing garbage', `${text} x`],
    ['two bodies', `${text}${text}`],
    ['single quotes', text.replaceAll('"', "'")],
    ['a comment', `/* hi */${text}`],
    ['empty', ''],
    ['whitespace only', '  \n '],
    ['valid JSON as text/plain', text, 'text/plain'],
    ['valid JSON as a form', text, 'application/x-www-form-urlencoded'],
    ['valid JSON as XML', text, 'application/xml'],
    ['valid JSON as application/jsonx', text, 'application/jsonx'],
    ['valid JSON as json-patch', text, 'application/json-patch+json'],
    ['valid JSON with an empty content type', text, ''],
    ['over 1 MiB', JSON.stringify({ ...valid, padding: 'p'.repeat(1024 * 1024) })],
  ]
  for (const [label, raw, contentType] of raws)
    out.push({ label: `raw: ${label}`, raw, ...(contentType === undefined ? {} : { contentType }) })
  for (const p of route.extra)
    out.push({ ...p, ...(p.body === undefined && p.raw === undefined ? { body: valid } : {}) })
  return out
}

let api: Api
let f: Fixture
let table: Route[]
const fired = new Map<string, number>()
const failures: string[] = []

beforeAll(async () => {
  api = await startApi()
  f = await fixture(api)
  const control = await fixture(api)
  const o = await fixture(api)
  // The valid bodies are accepted (on a twin fixture): each refusal below is the mutation's doing.
  const controls = routes(control, o)
  table = routes(f, o)
  for (const route of controls) {
    const res = await api.call(route.method, route.path, { json: route.valid })
    expect(res.status, `${route.name}: ${res.text}`).toBeLessThan(300)
  }
})
afterAll(() => api.close())

function check(route: Route, payload: Payload, res: Answer) {
  const why = (text: string) =>
    failures.push(`${route.name} · ${payload.label}: ${text} → ${res.status} ${res.text.slice(0, 300)}`)
  if (res.status < 400 || res.status > 499) return why('not a 4xx')
  const parsed = ErrorBodySchema.safeParse(res.body)
  if (!parsed.success) return why('not our error model')
  const { error } = parsed.data
  if (ERRORS[error.code].status !== res.status) return why(`status unlike the code ${error.code}`)
  if (!error.message || !error.requestId) return why('no message or request id')
  if (
    res.headers.get('idempotent-replayed') !== 'true' &&
    error.requestId !== res.headers.get('x-request-id')
  )
    return why('request id differs from X-Request-Id')
  if (error.code === 'validation_failed' && error.details.length === 0)
    return why('validation_failed without details')
  const named = payload.field
  if (named && error.code === 'validation_failed') {
    const related = (p: string) => p === named || p.startsWith(`${named}.`) || named.startsWith(`${p}.`)
    if (!error.details.some((d) => related(d.path))) return why(`details do not name ${named}`)
  }
}

describe('bad input to every write route', () => {
  test('is refused with a 4xx in our error model, and leaves the database as it was', async () => {
    const rng = mulberry32(SEED)
    const before = await dumpDb(api)
    const all = table.flatMap((route) => payloadsOf(route, rng).map((payload) => ({ route, payload })))
    // Interleave the routes, so that no route's refusals depend on the one before.
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1))
      ;[all[i], all[j]] = [all[j]!, all[i]!]
    }
    for (const { route, payload } of all) {
      const headers: Record<string, string> = {}
      if (route.method === 'POST' && rng() < 0.3)
        headers['Idempotency-Key'] = `bad-${Math.floor(rng() * 1e12)}`
      const res = await api.call(route.method, payload.path ?? route.path, {
        headers,
        ...(payload.raw !== undefined
          ? {
              raw: payload.raw,
              ...(payload.contentType !== undefined ? { contentType: payload.contentType } : {}),
            }
          : { json: payload.body }),
      })
      fired.set(route.name, (fired.get(route.name) ?? 0) + 1)
      check(route, payload, res)
    }
    expect(failures).toEqual([])
    expect(await dumpDb(api)).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('sent at least 200 payloads, and many to every write route', () => {
    const counts = Object.fromEntries(fired)
    expect(Object.keys(counts).sort()).toEqual(table.map((r) => r.name).sort())
    for (const [name, n] of fired) expect(n, name).toBeGreaterThanOrEqual(50)
    const total = [...fired.values()].reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThanOrEqual(200)
    console.info(`bad payloads: ${total} in all;`, counts)
  })
})
