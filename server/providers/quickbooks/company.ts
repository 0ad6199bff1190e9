import { z } from 'zod'
import type { ProviderOrganisation } from '../provider.ts'
import type { ProviderHttp, RequestCost } from '../provider-http.ts'
import { failed, parseBody, readJson, send } from '../provider-http.ts'
import { QUICKBOOKS_WIRE } from './facts.ts'
import { faultError, faultMessage, kindOfFault } from './faults.ts'
import { FaultSchema } from './wire.ts'

/**
 * The accounting API by typed fetch: intuit-oauth's makeApiCall drops Retry-After and the status of
 * a 429 (PROVIDERS 2.6), which the sync engine needs.
 */
const CompanyInfoSchema = z.object({
  CompanyInfo: z.looseObject({ CompanyName: z.string(), Id: z.string().optional() }),
})

/** `{"Fault":{"Error":[…]}}`, and the lower-case variant real 401s have been seen with (PROVIDERS 2.6). */
const FaultItemSchema = z.looseObject({
  code: z.string().optional(),
  Message: z.string().optional(),
  message: z.string().optional(),
  Detail: z.string().optional(),
  detail: z.string().optional(),
})
const FaultBodySchema = z.union([
  z.object({ Fault: z.object({ Error: z.array(FaultItemSchema) }) }).transform((b) => b.Fault.Error),
  z.object({ fault: z.object({ error: z.array(FaultItemSchema) }) }).transform((b) => b.fault.error),
])

/** 401 (3200) is a token Intuit refuses: 'auth'. 403 (3100) is a token that no longer reaches this company: 'revoked'. */
export function describeFault(body: unknown) {
  const parsed = FaultBodySchema.safeParse(body)
  if (!parsed.success) return {}
  const fault = {
    Error: parsed.data.map((e) => ({ ...e, Message: e.Message ?? e.message, Detail: e.Detail ?? e.detail })),
  }
  const kind = kindOfFault(fault)
  return { message: faultMessage(fault), ...(kind ? { kind } : {}) }
}

const FaultInOkSchema = z.looseObject({ Fault: FaultSchema })

/** What a data call answers: the parsed body and the response, whose intuit_tid batch items keep. */
export interface CompanyAnswer<T> {
  body: T
  res: Response
}

/** A `/batch` meters each of its items as a call, and counts as one of the 40 batches a minute (PROVIDERS 2.4). */
function meteredAs(path: string, body: unknown): RequestCost | undefined {
  if (path !== 'batch') return undefined
  const items = (body as { BatchItemRequest?: unknown[] } | undefined)?.BatchItemRequest?.length ?? 1
  return { cost: items, batch: true }
}

export function createCompanyApi(http: ProviderHttp, apiUrl: string) {
  const base = `${apiUrl.replace(/\/+$/, '')}/v3/company`
  return {
    http,
    async info(accessToken: string, realmId: string): Promise<ProviderOrganisation> {
      const realm = encodeURIComponent(realmId)
      // API docs: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companyinfo
      const url = `${base}/${realm}/companyinfo/${realm}?minorversion=${QUICKBOOKS_WIRE.minorVersion}`
      const res = await send(http, url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      })
      if (!res.ok) throw await failed(http, res, describeFault)
      const body = await readJson(http, res, CompanyInfoSchema)
      return { id: realmId, name: body.CompanyInfo.CompanyName }
    },

    /**
     * One accounting call: bearer token, minorversion on every call, `requestid` on every write
     * (PROVIDERS 2.5). A Fault inside HTTP 200 is a failure too (QB-P15).
     */
    async call<T>(
      auth: { accessToken: string; realmId: string },
      path: string,
      schema: z.ZodType<T>,
      options: {
        body?: unknown
        requestId?: string
        query?: Record<string, string>
      } = {},
    ): Promise<CompanyAnswer<T>> {
      const url = new URL(`${base}/${encodeURIComponent(auth.realmId)}/${path}`)
      url.searchParams.set('minorversion', String(QUICKBOOKS_WIRE.minorVersion))
      for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v)
      if (options.requestId) url.searchParams.set('requestid', options.requestId)
      const write = options.body !== undefined
      const res = await send(
        http,
        url,
        {
          method: write ? 'POST' : 'GET',
          headers: {
            authorization: `Bearer ${auth.accessToken}`,
            accept: 'application/json',
            ...(write ? { 'content-type': 'application/json' } : {}),
          },
          ...(write ? { body: JSON.stringify(options.body) } : {}),
        },
        meteredAs(path, options.body),
      )
      if (!res.ok) throw await failed(http, res, describeFault)
      const json: unknown = await res.json().catch(() => undefined)
      const fault = FaultInOkSchema.safeParse(json)
      if (fault.success) throw faultError(http, fault.data.Fault, res)
      return { body: parseBody(http, json, schema, res.status), res }
    },
  }
}

export type CompanyApi = ReturnType<typeof createCompanyApi>
