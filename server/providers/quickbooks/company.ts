import { z } from 'zod'
import type { ProviderOrganisation } from '../provider.ts'
import type { ProviderHttp } from '../provider-http.ts'
import { failed, readJson, send } from '../provider-http.ts'
import { QUICKBOOKS_WIRE } from './facts.ts'

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
  const message = parsed.data
    .map((e) => [e.code, e.Message ?? e.message, e.Detail ?? e.detail].filter(Boolean).join(' '))
    .join('; ')
  return { message }
}

export function createCompanyApi(http: ProviderHttp, apiUrl: string) {
  const base = `${apiUrl.replace(/\/+$/, '')}/v3/company`
  return {
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
  }
}
