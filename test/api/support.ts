import { afterAll, beforeAll, expect } from 'vitest'
import type { z } from 'zod'
import { pageOf } from '../../shared/api/common.ts'
import { ErrorBodySchema, type ErrorBody, type ErrorCode } from '../../shared/errors.ts'
import { createTestApp, type TestApp } from '../helpers/app.ts'

/**
 * What the host-data route tests share: one app per test file, a caller holding a valid API key,
 * fresh tenants per test, valid bodies to start from, and assertions on our error model.
 */
export interface Answer {
  status: number
  headers: Headers
  text: string
  body: unknown
}

export interface CallOptions {
  json?: unknown
  /** A raw body, sent as is (with `contentType`, application/json unless told). */
  raw?: string
  contentType?: string
  /** `null` sends no Authorization header. */
  token?: string | null
  headers?: Record<string, string>
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH'

export interface Api {
  t: TestApp
  key: string
  call(method: Method, path: string, options?: CallOptions): Promise<Answer>
  /** A new tenant, created over the API. */
  tenant(): Promise<string>
  close(): void
}

/** The file's app, started before its tests and closed after them: `const api = useApi()`. */
export function useApi(): Api {
  let api: Api | undefined
  beforeAll(async () => {
    api = await startApi()
  })
  afterAll(() => api?.close())
  const started = () => {
    if (!api) throw new Error('useApi(): the app starts in beforeAll; use it inside tests')
    return api
  }
  return {
    get t() {
      return started().t
    },
    get key() {
      return started().key
    },
    call: (...args) => started().call(...args),
    tenant: () => started().tenant(),
    close: () => started().close(),
  }
}

export async function startApi(): Promise<Api> {
  const t = await createTestApp()
  const key = await t.apiKey()
  let tenants = 0
  const call = async (method: Method, path: string, options: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.raw !== undefined) headers['content-type'] = options.contentType ?? 'application/json'
    const token = options.token === undefined ? key : options.token
    const res = await t.request(path, {
      method,
      headers,
      ...(options.json !== undefined ? { json: options.json } : {}),
      ...(options.raw !== undefined ? { body: options.raw } : {}),
      ...(token ? { token } : {}),
    })
    const text = await res.text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    return { status: res.status, headers: res.headers, text, body }
  }
  return {
    t,
    key,
    call,
    async tenant() {
      const id = `tenant-${++tenants}`
      expectOk(await call('PUT', `/v1/tenants/${id}`, { json: { name: `Tenant ${tenants}` } }), 201)
      return id
    },
    close: () => t.close(),
  }
}

/** Asserts the status and parses the body with the response schema (which checks its shape). */
export function expectOk(res: Answer, status: number): unknown
export function expectOk<S extends z.ZodType>(res: Answer, status: number, schema: S): z.output<S>
export function expectOk(res: Answer, status: number, schema?: z.ZodType): unknown {
  expect(res.status, res.text).toBe(status)
  return schema ? schema.parse(res.body) : res.body
}

export function expectPage<S extends z.ZodType>(res: Answer, item: S) {
  return expectOk(res, 200, pageOf(item))
}

const ERROR_KEYS = ['action', 'code', 'details', 'message', 'requestId', 'retryable']

/**
 * Asserts an error answer in our model: the status, the code, exactly the keys of the error
 * object, and the request id that the X-Request-Id header carries. Returns the error.
 */
export function expectError(res: Answer, status: number, code: ErrorCode): ErrorBody['error'] {
  expect(res.status, res.text).toBe(status)
  const parsed = ErrorBodySchema.safeParse(res.body)
  expect(parsed.success, res.text).toBe(true)
  const { error } = parsed.data!
  expect(Object.keys(res.body as object)).toEqual(['error'])
  expect(Object.keys(error).sort()).toEqual(ERROR_KEYS)
  expect(error.code).toBe(code)
  if (res.headers.get('idempotent-replayed') !== 'true')
    expect(error.requestId).toBe(res.headers.get('x-request-id'))
  return error
}

/** A validation failure naming exactly these field paths (in any order). */
export function expectInvalid(res: Answer, ...paths: string[]) {
  const error = expectError(res, 400, 'validation_failed')
  expect([...new Set(error.details.map((d) => d.path))].sort()).toEqual([...paths].sort())
  for (const d of error.details) expect(d.message).not.toBe('')
  return error
}

/** The ways a caller without a valid API key is refused: none, a session, a revoked or forged key. */
export async function refusedCredentials(api: Api, tenantId: string): Promise<[string, string | null][]> {
  const session = await api.t.session({ tenant: tenantId, sub: `user-${tenantId}` })
  const { key: revoked, apiKey } = await api.t.services.apiKeys.create('revoked')
  expect(await api.t.services.apiKeys.verify(revoked)).not.toBeNull()
  await api.t.services.apiKeys.revoke(apiKey.id)
  const forged = `${revoked.split('.')[0]}.${'a'.repeat(39)}`
  return [
    ['no credentials', null],
    ['a session token', session],
    ['a revoked API key', revoked],
    ['an API key with a wrong secret', forged],
    ['a malformed bearer token', 'not-a-key'],
  ]
}

/** Asserts that each refused credential answers 401 unauthenticated and never the data. */
export async function expectAllRefused(
  api: Api,
  tenantId: string,
  method: Method,
  path: string,
  json?: unknown,
) {
  for (const [, token] of await refusedCredentials(api, tenantId)) {
    const res = await api.call(method, path, { token, ...(json === undefined ? {} : { json }) })
    expectError(res, 401, 'unauthenticated')
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
  }
}

/** Follows `nextCursor` to the end and returns every item's id, page by page. */
export async function walkPages(api: Api, path: string, limit: number): Promise<string[][]> {
  const pages: string[][] = []
  let cursor: string | null = null
  const separator = path.includes('?') ? '&' : '?'
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await api.call('GET', `${path}${separator}${query}`)
    const page = expectOk(res, 200) as { data: { id: string }[]; nextCursor: string | null }
    expect(page.data.length).toBeLessThanOrEqual(limit)
    pages.push(page.data.map((d) => d.id))
    cursor = page.nextCursor
    if (pages.length > 1000) throw new Error('pagination does not end')
  } while (cursor)
  return pages
}

/** A JSON body larger than the 1 MiB limit. */
export const oversized = () => ({ name: 'x'.repeat(1024 * 1024 + 16) })

let numbers = 0
/** A document number not used before in this process. */
export const nextNumber = (prefix = 'INV') => `${prefix}-${String(++numbers).padStart(5, '0')}`

export const validLine = (over: Record<string, unknown> = {}) => ({
  description: 'Boiler service',
  quantity: '2',
  unitPrice: '50.00',
  discountRate: '0',
  taxCode: 'VAT20',
  taxRate: '20',
  category: 'Labour',
  ...over,
})

export const customerBody = (over: Record<string, unknown> = {}) => ({ name: 'Harbour Lights Café', ...over })

export const invoiceBody = (customerId: string, over: Record<string, unknown> = {}) => ({
  number: nextNumber(),
  customerId,
  currency: 'GBP',
  issueDate: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [validLine()],
  ...over,
})

export const creditNoteBody = (customerId: string, over: Record<string, unknown> = {}) => ({
  number: nextNumber('CN'),
  customerId,
  currency: 'GBP',
  issueDate: '2026-11-05',
  lines: [validLine({ quantity: '1' })],
  ...over,
})

export const paymentBody = (invoiceId: string, over: Record<string, unknown> = {}) => ({
  invoiceId,
  amount: '10.00',
  date: '2026-11-10',
  ...over,
})

export const paths = {
  tenant: (t: string) => `/v1/tenants/${t}`,
  customers: (t: string) => `/v1/tenants/${t}/customers`,
  invoices: (t: string) => `/v1/tenants/${t}/invoices`,
  creditNotes: (t: string) => `/v1/tenants/${t}/credit-notes`,
  payments: (t: string) => `/v1/tenants/${t}/payments`,
}

/** Creates a record over the API and returns its id (asserting the 201). */
export async function createId(api: Api, path: string, json: unknown): Promise<string> {
  const res = await api.call('POST', path, { json })
  expect(res.status, res.text).toBe(201)
  return (res.body as { id: string }).id
}

/** A tenant with one customer and (optionally) one invoice in it, sent or draft. */
export async function seedTenant(api: Api, options: { invoice?: 'draft' | 'sent'; lines?: unknown[] } = {}) {
  const tenantId = await api.tenant()
  const customerId = await createId(api, paths.customers(tenantId), customerBody())
  const invoiceId = options.invoice
    ? await createId(
        api,
        paths.invoices(tenantId),
        invoiceBody(customerId, {
          status: options.invoice,
          ...(options.lines ? { lines: options.lines } : {}),
        }),
      )
    : ''
  return { tenantId, customerId, invoiceId }
}

/** Every row of every table, for before/after comparisons; bookkeeping that any request writes is left out. */
export async function dumpDb(api: Api): Promise<Record<string, unknown[]>> {
  const { db } = api.t
  const tables = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )
  const dump: Record<string, unknown[]> = {}
  for (const { name } of tables) {
    if (name === 'idempotency_keys') continue
    const rows = await db.all<Record<string, unknown>>(`SELECT * FROM "${name}" ORDER BY rowid`)
    dump[name] = name === 'api_keys' ? rows.map(({ last_used_at: _, ...rest }) => rest) : rows
  }
  return dump
}

/** Creates `n` records one millisecond apart (on the test clock), in order, and returns their ids. */
export async function createSpacedIn(
  api: Api,
  n: number,
  create: (i: number) => Promise<string>,
): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    api.t.advance(1)
    ids.push(await create(i))
  }
  return ids
}
