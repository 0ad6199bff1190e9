import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { TextKind } from '../../shared/api/common.ts'
import {
  type Api,
  type Method,
  createId,
  creditNoteBody,
  customerBody,
  expectInvalid,
  expectOk,
  invoiceBody,
  nextNumber,
  paths,
  paymentBody,
  seedTenant,
  startApi,
  validLine,
} from './support.ts'

/**
 * Issue 8: a NUL was stored whole but read back cut at the NUL ("Acme\u0000 Holdings" came back
 * as "Acme"), so two invoices with the same visible number could exist. Every text field of every
 * write route refuses what cannot round-trip or hides, with a field error naming the field; what
 * it accepts reads back exactly as sent.
 */

let api: Api
let f: Awaited<ReturnType<typeof fixture>>
beforeAll(async () => {
  api = await startApi()
  f = await fixture()
})
afterAll(() => api.close())

async function fixture() {
  const { tenantId, customerId, invoiceId } = await seedTenant(api, { invoice: 'sent' })
  const draftId = await createId(api, paths.invoices(tenantId), invoiceBody(customerId))
  const noteId = await createId(api, paths.creditNotes(tenantId), creditNoteBody(customerId))
  const paymentId = await createId(api, paths.payments(tenantId), paymentBody(invoiceId, { amount: '1.00' }))
  return { tenantId, customerId, invoiceId, draftId, noteId, paymentId }
}

interface Route {
  name: string
  method: Method
  path: () => string
  /** A valid body with `value` at `field` (a dotted path). */
  body: (field: string, value: string) => unknown
  fields: [field: string, kind: TextKind][]
  /** Where the record the answer describes is read back, if the answer is not it. */
  read?: (answer: unknown) => unknown
}

function setIn(body: Record<string, unknown>, field: string, value: unknown) {
  const copy = structuredClone(body)
  const keys = field.split('.')
  let node: Record<string, unknown> = copy
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>
  node[keys.at(-1)!] = value
  return copy
}
function getIn(body: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body)
}
/** A patch of just `field` (a line or an address whole, with `value` in it). */
function patchOf(field: string, value: string) {
  const [head, ...rest] = field.split('.')
  if (head === 'lines') return { lines: [setIn(validLine(), rest.slice(1).join('.'), value)] }
  if (head === 'address') return { address: { [rest.join('.')]: value } }
  return { [field]: value }
}
const lineFields = (): [string, TextKind][] => [
  ['lines.0.description', 'multiline'],
  ['lines.0.taxCode', 'key'],
  ['lines.0.category', 'text'],
]
const documentFields = (): [string, TextKind][] => [
  ['number', 'key'],
  ['reference', 'text'],
  ['notes', 'multiline'],
  ...lineFields(),
]
const address = ['line1', 'line2', 'city', 'region', 'postalCode'].map((k): [string, TextKind] => [
  `address.${k}`,
  'text',
])
const customerText: [string, TextKind][] = [
  ['name', 'text'],
  ['phone', 'text'],
  ['taxNumber', 'text'],
  ...address,
]

/** Unique where the field is (document numbers, external ids). */
const fresh = (body: Record<string, unknown>) =>
  'number' in body ? { ...body, number: nextNumber(String(body.number).slice(0, 2)) } : body

const routes = (): Route[] => {
  const t = f.tenantId
  const post = (base: Record<string, unknown>) => (field: string, value: string) =>
    setIn(
      fresh({ ...base, ...(field === 'externalId' ? {} : { externalId: nextNumber('ext') }) }),
      field,
      value,
    )
  return [
    {
      name: 'PUT tenant',
      method: 'PUT',
      path: () => paths.tenant(t),
      body: (_, value) => ({ name: value }),
      fields: [['name', 'text']],
    },
    {
      name: 'POST customers',
      method: 'POST',
      path: () => paths.customers(t),
      body: post(customerBody({ address: { country: 'GB' } })),
      fields: [['externalId', 'key'], ...customerText],
    },
    {
      name: 'PATCH customer',
      method: 'PATCH',
      path: () => `${paths.customers(t)}/${f.customerId}`,
      body: patchOf,
      fields: customerText,
    },
    {
      name: 'POST invoices',
      method: 'POST',
      path: () => paths.invoices(t),
      body: post(invoiceBody(f.customerId)),
      fields: [['externalId', 'key'], ...documentFields()],
    },
    {
      name: 'PATCH invoice',
      method: 'PATCH',
      path: () => `${paths.invoices(t)}/${f.draftId}`,
      body: patchOf,
      fields: documentFields(),
    },
    {
      name: 'POST credit-notes',
      method: 'POST',
      path: () => paths.creditNotes(t),
      body: post(creditNoteBody(f.customerId)),
      fields: [['externalId', 'key'], ...documentFields()],
    },
    {
      name: 'PATCH credit-note',
      method: 'PATCH',
      path: () => `${paths.creditNotes(t)}/${f.noteId}`,
      body: patchOf,
      fields: documentFields(),
    },
    {
      name: 'POST payments',
      method: 'POST',
      path: () => paths.payments(t),
      body: post(paymentBody(f.invoiceId, { amount: '0.01' })),
      fields: [
        ['externalId', 'key'],
        ['reference', 'text'],
      ],
    },
    {
      name: 'PATCH payment',
      method: 'PATCH',
      path: () => `${paths.payments(t)}/${f.paymentId}`,
      body: patchOf,
      fields: [['reference', 'text']],
    },
    {
      name: 'POST mark-paid',
      method: 'POST',
      path: () => `${paths.invoices(t)}/${f.invoiceId}/mark-paid`,
      body: (field, value) => ({ [field]: value }),
      fields: [['reference', 'text']],
      read: (answer) => (answer as { payment: unknown }).payment,
    },
  ]
}

const REFUSED_EVERYWHERE = [
  'Acme\u0000 Holdings',
  'a\u0007b',
  'a\u001bb',
  'a\u007fb',
  'a\u0085b',
  'a\ud800b',
  'a\udc00',
  'a\ufffeb',
  'a\ufdd0b',
  'a\u{10ffff}b',
]
const REFUSED: Record<TextKind, string[]> = {
  multiline: REFUSED_EVERYWHERE,
  text: [...REFUSED_EVERYWHERE, 'a\rb'],
  key: [...REFUSED_EVERYWHERE, 'a\rb', 'a\tb', 'a\nb', 'INV\u200b1', 'INV\u00a01', '\u202eINV'],
}
/** Accepted, and read back exactly: short enough for the narrowest field (32 characters). */
const ACCEPTED: Record<TextKind, string> = {
  text: 'Zoë\tPłatność\n😀 گفت‌وگو',
  multiline: 'Line one\r\nLine two\tend 👩‍👩‍👧',
  key: 'INV/Ø-😀 7',
}

describe('text fields of the host data API', () => {
  test('refuse control characters, lone surrogates and noncharacters with a field error naming the field', async () => {
    const failures: string[] = []
    let sent = 0
    for (const route of routes())
      for (const [field, kind] of route.fields)
        for (const value of REFUSED[kind]) {
          const res = await api.call(route.method, route.path(), { json: route.body(field, value) })
          sent++
          try {
            const error = expectInvalid(res, field)
            expect(error.details[0]?.message).toMatch(/U\+[0-9A-F]{4}/)
          } catch {
            failures.push(`${route.name} ${field} = ${JSON.stringify(value)} → ${res.status} ${res.text}`)
          }
        }
    expect(failures).toEqual([])
    expect(sent).toBeGreaterThan(400)
  })

  test('accept tab, newline, carriage return in notes, and any script or emoji, and read them back whole', async () => {
    for (const route of routes())
      for (const [field, kind] of route.fields) {
        // mark-paid answers once per invoice: a fresh sent invoice for each value.
        if (route.name === 'POST mark-paid')
          f.invoiceId = await createId(
            api,
            paths.invoices(f.tenantId),
            invoiceBody(f.customerId, { status: 'sent' }),
          )
        const value = kind === 'key' ? `${ACCEPTED.key} ${nextNumber('')}` : ACCEPTED[kind]
        const res = await api.call(route.method, route.path(), { json: route.body(field, value) })
        const created = route.method === 'POST' && route.name !== 'POST mark-paid'
        const answer = expectOk(res, created ? 201 : 200)
        const record = route.read ? route.read(answer) : answer
        expect(getIn(record, field), `${route.name} ${field}`).toBe(value)
        if (route.name === 'PUT tenant') continue
        const base = route.path().replace(/\/(mark-paid)$/, '')
        const again = expectOk(await api.call('GET', readPath(route, base, record)), 200)
        expect(getIn(again, field), `${route.name} ${field} read back`).toBe(value)
      }
  })
})

function readPath(route: Route, base: string, record: unknown) {
  const { id } = record as { id: string }
  if (route.name === 'POST mark-paid') return `${paths.payments(f.tenantId)}/${id}`
  return route.method === 'POST' ? `${base}/${id}` : base
}
