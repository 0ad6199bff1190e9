import { describe, expect, test } from 'vitest'
import { PAGE_BYTES_MAX } from '../../shared/api/common.ts'
import { CreditNoteSchema } from '../../shared/api/credit-notes.ts'
import { DOCUMENT_LIMITS } from '../../shared/api/documents.ts'
import { InvoiceSchema } from '../../shared/api/invoices.ts'
import {
  createSpacedIn,
  creditNoteBody,
  expectInvalid,
  expectOk,
  invoiceBody,
  paths,
  seedTenant,
  useApi,
  validLine,
} from './support.ts'

/**
 * Issue 8: list answers were unbounded (50 invoices of about 1 MB each made one 49 MB answer).
 * A document is bounded by its schema (lines, text lengths) and a page by its limit and a byte
 * budget, each refusal a field error that says the bound, and the bounds are in the OpenAPI
 * description.
 */

const api = useApi()

/** About 600 kB: 500 lines of 1,000-character descriptions, well inside the 1 MiB body limit. */
const bigLines = () =>
  Array.from({ length: DOCUMENT_LIMITS.lines }, (_, i) =>
    validLine({ description: `${i} `.padEnd(1000, 'x'), taxRate: '0' }),
  )

describe('a page of large documents', () => {
  test.each([
    ['invoices', paths.invoices, invoiceBody, InvoiceSchema],
    ['credit-notes', paths.creditNotes, creditNoteBody, CreditNoteSchema],
  ] as const)(
    'of %s stops before 2 MiB, and the cursor walks every one once',
    async (_, path, body, schema) => {
      const { tenantId, customerId } = await seedTenant(api)
      const ids = await createSpacedIn(api, 7, async () => {
        const res = await api.call('POST', path(tenantId), { json: body(customerId, { lines: bigLines() }) })
        expect(res.text.length).toBeGreaterThan(500_000)
        return (expectOk(res, 201) as { id: string }).id
      })
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query: string = `?limit=50${cursor ? `&cursor=${cursor}` : ''}`
        const res = await api.call('GET', `${path(tenantId)}${query}`)
        expect(Buffer.byteLength(res.text), `page ${pages}`).toBeLessThanOrEqual(PAGE_BYTES_MAX + 100)
        const page = expectOk(res, 200) as { data: unknown[]; nextCursor: string | null }
        expect(page.data.length).toBeGreaterThan(0)
        seen.push(...page.data.map((d) => schema.parse(d).id))
        cursor = page.nextCursor
        pages++
      } while (cursor && pages < 20)
      expect(seen).toEqual(ids)
      expect(pages).toBeGreaterThanOrEqual(3)
    },
  )
})

describe('bounds refused with a field error that says the bound', () => {
  test('lines, line text, notes, reference and number of a document', async () => {
    const { tenantId, customerId } = await seedTenant(api)
    const post = (over: Record<string, unknown>) =>
      api.call('POST', paths.invoices(tenantId), { json: invoiceBody(customerId, over) })
    const cases: [Record<string, unknown>, string, string][] = [
      [{ lines: Array.from({ length: 501 }, () => validLine()) }, 'lines', 'At most 500 lines per document'],
      [
        { lines: [validLine({ description: 'd'.repeat(4001) })] },
        'lines.0.description',
        'At most 4000 characters',
      ],
      [{ lines: [validLine({ taxCode: 't'.repeat(51) })] }, 'lines.0.taxCode', 'At most 50 characters'],
      [{ lines: [validLine({ category: 'c'.repeat(101) })] }, 'lines.0.category', 'At most 100 characters'],
      [{ notes: 'n'.repeat(4001) }, 'notes', 'At most 4000 characters'],
      [{ reference: 'r'.repeat(256) }, 'reference', 'At most 255 characters'],
      [{ number: 'N'.repeat(65) }, 'number', 'At most 64 characters'],
      [{ externalId: 'e'.repeat(256) }, 'externalId', 'At most 255 characters'],
    ]
    for (const [over, path, message] of cases)
      expect(expectInvalid(await post(over), path).details).toEqual([{ path, message }])
    // At the bounds, accepted.
    expectOk(
      await post({
        lines: Array.from({ length: 500 }, () => validLine({ description: 'd'.repeat(100) })),
        notes: 'n'.repeat(4000),
        reference: 'r'.repeat(255),
        number: `N${'n'.repeat(63)}`,
      }),
      201,
    )
  })

  test('the page limit', async () => {
    const { tenantId } = await seedTenant(api)
    for (const path of [paths.invoices, paths.creditNotes, paths.customers, paths.payments]) {
      const over = expectInvalid(await api.call('GET', `${path(tenantId)}?limit=201`), 'query.limit')
      expect(over.details[0]?.message).toBe('At most 200 items per page')
      expectInvalid(await api.call('GET', `${path(tenantId)}?limit=0`), 'query.limit')
      expectOk(await api.call('GET', `${path(tenantId)}?limit=200`), 200)
    }
  })
})

describe('the OpenAPI description', () => {
  test('states the bounds of documents, text and pages', async () => {
    const doc = expectOk(await api.call('GET', '/openapi.json'), 200) as {
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> }
      paths: Record<string, { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }>
    }
    const { schemas } = doc.components
    expect(schemas.CreateInvoice!.properties.lines).toMatchObject({ minItems: 1, maxItems: 500 })
    expect(schemas.CreateCreditNote!.properties.lines).toMatchObject({ maxItems: 500 })
    expect(schemas.LineInput!.properties.description).toMatchObject({
      maxLength: 4000,
      description: expect.stringMatching(/no control characters but tab, newline and carriage return/),
    })
    expect(schemas.CreateInvoice!.properties.number).toMatchObject({
      maxLength: 64,
      description: expect.stringMatching(/no control or invisible characters/),
    })
    expect(schemas.CreateCustomer!.properties.name).toMatchObject({
      maxLength: 255,
      description: expect.stringMatching(/no control characters but tab and newline/),
    })
    const limit = doc.paths['/v1/tenants/{tenantId}/invoices']!.get.parameters.find((p) => p.name === 'limit')
    expect(limit?.schema).toMatchObject({
      minimum: 1,
      maximum: 200,
      description: expect.stringMatching(/2 MiB/),
    })
    expect(schemas.Invoice!.properties.amountCredited).toBeDefined()
  })
})
