import { z } from 'zod'
import type { ProviderHttp } from '../provider-http.ts'
import { failed, readJson, send } from '../provider-http.ts'
import type { ProviderAuth } from '../sync-contract.ts'
import { describeSageError } from './client.ts'

/**
 * The typed fetch client for the Accounting API's data calls (PROVIDERS 3.2): bearer token,
 * `X-Business` on every call (without it Sage uses the user's lead business, which can change),
 * JSON bodies, and collections followed through their `$next` links.
 */
export type Query = Record<string, string>

/** The most items a page can carry (PROVIDERS 3.2); fewer pages, fewer calls against the limits. */
const ITEMS_PER_PAGE = '200'

const pageOf = <T>(item: z.ZodType<T>) =>
  z.looseObject({ $next: z.string().nullish(), $items: z.array(item) })

export type SageApi = ReturnType<typeof createSageApi>

export function createSageApi(http: ProviderHttp, apiBase: string) {
  const api = apiBase.replace(/\/+$/, '')
  const url = (path: string, query: Query = {}) => {
    const target = new URL(`${api}${path}`)
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v)
    return target
  }
  // `$next` is a path under the version root ("/contacts?page=2"), or a whole URL.
  const resolve = (next: string) => (/^https?:/.test(next) ? new URL(next) : new URL(`${api}${next}`))

  async function request(auth: ProviderAuth, method: string, target: URL, body?: unknown) {
    const res = await send(http, target, {
      method,
      headers: {
        authorization: `Bearer ${auth.accessToken}`,
        accept: 'application/json',
        'x-business': auth.organisation.id,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (!res.ok) throw await failed(http, res, describeSageError)
    return res
  }

  async function call<T>(
    auth: ProviderAuth,
    method: string,
    target: URL,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> {
    return readJson(http, await request(auth, method, target, body), schema)
  }

  async function* pages<T>(
    auth: ProviderAuth,
    path: string,
    query: Query,
    item: z.ZodType<T>,
  ): AsyncGenerator<T[]> {
    let next: URL | null = url(path, { items_per_page: ITEMS_PER_PAGE, ...query })
    while (next) {
      const page: { $next?: string | null | undefined; $items: T[] } = await call(
        auth,
        'GET',
        next,
        pageOf(item),
      )
      yield page.$items
      next = page.$next ? resolve(page.$next) : null
    }
  }

  return {
    get: <T>(auth: ProviderAuth, path: string, query: Query, schema: z.ZodType<T>) =>
      call(auth, 'GET', url(path, query), schema),
    write: <T>(
      auth: ProviderAuth,
      method: 'POST' | 'PUT',
      path: string,
      body: unknown,
      schema: z.ZodType<T>,
    ) => call(auth, method, url(path), schema, body),
    /** DELETE (a void takes its `void_reason` in the query): whatever the body, only the status is read. */
    async remove(auth: ProviderAuth, path: string, query: Query = {}): Promise<void> {
      const res = await request(auth, 'DELETE', url(path, query))
      // The swagger answers a void with the document (200); free the connection rather than read it.
      await res.body?.cancel()
    },
    pages,
    /** One page of a collection (the first unless `query` names `page`), and whether there are more. */
    async onePage<T>(auth: ProviderAuth, path: string, query: Query, item: z.ZodType<T>) {
      const page = await call(
        auth,
        'GET',
        url(path, { items_per_page: ITEMS_PER_PAGE, ...query }),
        pageOf(item),
      )
      return { items: page.$items, more: Boolean(page.$next) }
    },
    /** Every page of a collection. */
    async all<T>(auth: ProviderAuth, path: string, query: Query, item: z.ZodType<T>): Promise<T[]> {
      const out: T[] = []
      for await (const items of pages(auth, path, query, item)) out.push(...items)
      return out
    },
  }
}
