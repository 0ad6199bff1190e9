import { expect, test } from 'vitest'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import { expectInvalid, expectOk, paths, seedTenant, useApi, validLine } from './support.ts'

/**
 * Lines keep their ids across edits, so the accounting software updates a line rather than
 * deleting and re-adding it (Xero keeps lines by LineItemID).
 */
const api = useApi()

const ids = (invoice: { lines: { id: string }[] }) => invoice.lines.map((l) => l.id)

async function invoiceWithLines(n: number) {
  const lines = Array.from({ length: n }, (_, i) => validLine({ description: `Line ${i}` }))
  const { tenantId, invoiceId } = await seedTenant(api, { invoice: 'draft', lines })
  const path = `${paths.invoices(tenantId)}/${invoiceId}`
  return { path, invoice: expectOk(await api.call('GET', path), 200, InvoiceSchema) }
}

test('each line gets an id of its own', async () => {
  const { invoice } = await invoiceWithLines(3)
  expect(new Set(ids(invoice)).size).toBe(3)
  for (const id of ids(invoice)) expect(id).toMatch(/^lin_/)
})

test('a full resend without ids keeps each line’s id where it stays in place; extra lines are new', async () => {
  const { path, invoice } = await invoiceWithLines(2)
  const resent = [
    validLine({ description: 'Line 0, reworded' }),
    validLine({ description: 'Line 1' }),
    validLine({ description: 'Line 2, added' }),
  ]
  const after = expectOk(await api.call('PATCH', path, { json: { lines: resent } }), 200, InvoiceSchema)
  expect(ids(after).slice(0, 2)).toEqual(ids(invoice))
  expect(ids(invoice)).not.toContain(ids(after)[2])
})

test('named ids follow their lines when the host reorders or removes some', async () => {
  const { path, invoice } = await invoiceWithLines(3)
  const [a, b, c] = ids(invoice)
  const after = expectOk(
    await api.call('PATCH', path, {
      json: { lines: [validLine({ id: c, description: 'C' }), validLine({ id: a, description: 'A' })] },
    }),
    200,
    InvoiceSchema,
  )
  expect(ids(after)).toEqual([c, a])
  expect(ids(after)).not.toContain(b)
  // An edit that changes nothing but the currency keeps every id.
  const moved = expectOk(await api.call('PATCH', path, { json: { currency: 'EUR' } }), 200, InvoiceSchema)
  expect(ids(moved)).toEqual([c, a])
})

test('an id that is not one of the document’s lines, or named twice, is a field error', async () => {
  const { path, invoice } = await invoiceWithLines(2)
  expectInvalid(
    await api.call('PATCH', path, { json: { lines: [validLine({ id: 'lin_notinthisdocument' })] } }),
    'lines.0.id',
  )
  const [a] = ids(invoice)
  expectInvalid(
    await api.call('PATCH', path, { json: { lines: [validLine({ id: a }), validLine({ id: a })] } }),
    'lines.1.id',
  )
  expectInvalid(
    await api.call('PATCH', path, { json: { lines: [validLine({ id: 'LIN-1' })] } }),
    'lines.0.id',
  )
})
