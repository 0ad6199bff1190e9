import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type { ProviderHttp } from '../provider-http.ts'
import { failed, readJson, send } from '../provider-http.ts'
import type { ProviderAuth } from '../sync-contract.ts'
import { describeXeroBody } from './errors.ts'
import { XERO_FACTS, XERO_WIRE } from './facts.ts'

/**
 * The accounting calls of the sync, as a typed fetch rather than xero-node's accountingApi: every
 * answer is parsed with the zod schemas of Xero's wire format (wire.ts), so a field Xero renames
 * or drops fails loudly as 'validation'. xero-node deserialises into its model classes without
 * any check, so a missing LineItemID or StatusAttributeString would come back as `undefined` and
 * be read as "no line id" or "not an error". Failures are classified by provider-http.ts with
 * Xero's error bodies read by errors.ts, as for /connections.
 */
export interface XeroAnswer<T> {
  data: T
  correlationId: string | null
}

export type Query = Record<string, string | number | boolean | undefined>

export interface XeroApiClient {
  /** `headers`: request headers a read takes beside the usual ones (If-Modified-Since). */
  get<T>(
    auth: ProviderAuth,
    path: string,
    query: Query,
    schema: z.ZodType<T>,
    headers?: Record<string, string>,
  ): Promise<XeroAnswer<T>>
  write<T>(
    auth: ProviderAuth,
    method: 'PUT' | 'POST',
    path: string,
    query: Query,
    body: unknown,
    idempotencyKey: string,
    schema: z.ZodType<T>,
  ): Promise<XeroAnswer<T>>
}

/**
 * Idempotency-Key is at most 128 characters ([spec] components.parameters.idempotencyKey): a
 * longer one (a long job key plus a suffix) is replaced by its SHA-256, still stable per retry.
 */
export function xeroIdempotencyKey(key: string, suffix: string): string {
  const full = `${key}:${suffix}`
  const max = XERO_FACTS.idempotency.maxLength ?? 128
  return full.length <= max ? full : createHash('sha256').update(full).digest('hex')
}

export function createXeroApiClient(http: ProviderHttp, apiUrl: string): XeroApiClient {
  const base = `${apiUrl.replace(/\/+$/, '')}${XERO_WIRE.paths.accounting}`

  async function call<T>(
    auth: ProviderAuth,
    method: string,
    path: string,
    query: Query,
    schema: z.ZodType<T>,
    extra: { body?: unknown; idempotencyKey?: string; headers?: Record<string, string> } = {},
  ): Promise<XeroAnswer<T>> {
    const url = new URL(`${base}${path}`)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
    const headers: Record<string, string> = {
      ...extra.headers,
      authorization: `Bearer ${auth.accessToken}`,
      'xero-tenant-id': auth.organisation.id,
      accept: 'application/json',
    }
    if (extra.body !== undefined) headers['content-type'] = 'application/json'
    if (extra.idempotencyKey) headers['Idempotency-Key'] = extra.idempotencyKey
    const res = await send(http, url, {
      method,
      headers,
      ...(extra.body !== undefined ? { body: JSON.stringify(extra.body) } : {}),
    })
    if (!res.ok) throw await failed(http, res, (body) => describeXeroBody(res.status, body))
    return {
      data: await readJson(http, res, schema),
      correlationId: res.headers.get(XERO_WIRE.correlationHeader),
    }
  }

  return {
    get: (auth, path, query, schema, headers) =>
      call(auth, 'GET', path, query, schema, headers ? { headers } : {}),
    write: (auth, method, path, query, body, idempotencyKey, schema) =>
      call(auth, method, path, query, schema, { body, idempotencyKey }),
  }
}
