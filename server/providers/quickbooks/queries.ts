import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { ProviderAuth } from '../sync-contract.ts'
import type { CompanyApi } from './company.ts'

/** A single write's requestid is at most 50 characters (PROVIDERS 2.5). */
export const SINGLE_REQUEST_ID_MAX = 50

/** QBO answers at most 1,000 rows per query (PROVIDERS 2.3 "STARTPOSITION 1 MAXRESULTS 1000"). */
export const QUERY_PAGE = 1000

export const realmAuth = (auth: ProviderAuth) => ({
  accessToken: auth.accessToken,
  realmId: auth.organisation.id,
})

/** A string literal in Intuit's query language: single quotes, backslash escapes. */
export const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/**
 * Every row a `select * from Entity …` matches, page by page; a page shorter than asked is the last.
 * The entity's rows are parsed with `row`, so a row we cannot read fails loudly, not silently.
 */
export async function queryAll<T>(
  company: CompanyApi,
  auth: ProviderAuth,
  entity: string,
  where: string,
  row: z.ZodType<T>,
): Promise<T[]> {
  const schema = z.object({ QueryResponse: z.looseObject({ [entity]: z.array(row).optional() }) })
  const out: T[] = []
  for (let start = 1; ; start += QUERY_PAGE) {
    const statement = `select * from ${entity}${where ? ` where ${where}` : ''} STARTPOSITION ${start} MAXRESULTS ${QUERY_PAGE}`
    // API docs: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    const { body } = await company.call(realmAuth(auth), 'query', schema, { query: { query: statement } })
    const page = body.QueryResponse[entity] ?? []
    out.push(...page)
    if (page.length < QUERY_PAGE) return out
  }
}

/** Values a `Field IN (…)` query carries: keeps the query string short, as the invoice lookups by number do. */
export const IDS_PER_QUERY = 30

/** The rows whose `field` is one of `values` (each asked once), in queries of `IDS_PER_QUERY`. */
export async function queryWhereIn<T>(
  company: CompanyApi,
  auth: ProviderAuth,
  entity: string,
  field: string,
  values: string[],
  row: z.ZodType<T>,
): Promise<T[]> {
  const unique = [...new Set(values)]
  const out: T[] = []
  for (let start = 0; start < unique.length; start += IDS_PER_QUERY) {
    const where = `${field} IN (${unique
      .slice(start, start + IDS_PER_QUERY)
      .map(quote)
      .join(', ')})`
    out.push(...(await queryAll(company, auth, entity, where, row)))
  }
  return out
}

/** The rows with these ids; an id not found is left out. */
export const queryByIds = <T>(
  company: CompanyApi,
  auth: ProviderAuth,
  entity: string,
  ids: string[],
  row: z.ZodType<T>,
): Promise<T[]> => queryWhereIn(company, auth, entity, 'Id', ids, row)

/**
 * The `requestid` for a write, derived from the engine's key so a retry sends the same one: the key
 * itself when it fits (50 characters, 36 for a batch: PROVIDERS 2.5), else a UUID-shaped digest.
 */
export function requestIdFor(key: string, maxLength: number): string {
  if (key.length <= maxLength && /^[\w.:-]+$/.test(key)) return key
  const hex = createHash('sha256').update(key).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
