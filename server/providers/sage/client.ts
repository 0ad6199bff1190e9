import { z } from 'zod'
import type { ProviderOrganisation, TokenSet } from '../provider.ts'
import type { ProviderHttp } from '../provider-http.ts'
import { failed, inMs, readJson, send } from '../provider-http.ts'

/**
 * Sage has no official Node SDK (PROVIDERS 5.5): OAuth and API are small typed fetch calls.
 * Client credentials go in the form body; HTTP Basic alone is not accepted (PROVIDERS 3.1).
 */
export interface SageUrls {
  authorize: string
  token: string
  revoke: string
  api: string
}

const TokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.number(),
  refresh_token_expires_in: z.number().optional(),
  scope: z.string().nullish(),
})

const BusinessesSchema = z.looseObject({
  $items: z.array(z.looseObject({ id: z.string(), displayed_as: z.string() })),
})

/** `[{"$severity","$dataCode","$message","$source"}]` (PROVIDERS 3.4), or `{"error"}` from /token. */
const ErrorItemsSchema = z.array(
  z.looseObject({ $dataCode: z.string(), $message: z.string(), $source: z.string().nullish() }),
)
const OAuthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() })

/** Sage's own words for a failed call (and the field it names), for `failed()`. */
export function describeSageError(body: unknown) {
  const oauth = OAuthErrorSchema.safeParse(body)
  if (oauth.success)
    return {
      oauthError: oauth.data.error,
      message: [oauth.data.error, oauth.data.error_description].filter(Boolean).join(': '),
    }
  const items = ErrorItemsSchema.safeParse(body)
  const one = (i: { $dataCode: string; $message: string; $source?: string | null | undefined }) =>
    `${i.$dataCode}: ${i.$message}${i.$source ? ` (${i.$source})` : ''}`
  return items.success ? { message: items.data.map(one).join('; ') } : {}
}

export function createSageClient(
  http: ProviderHttp,
  credentials: { clientId: string; clientSecret: string },
  urls: SageUrls,
) {
  const api = urls.api.replace(/\/+$/, '')
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      ...fields,
    }),
  })

  async function tokens(fields: Record<string, string>): Promise<TokenSet> {
    // API docs: https://developer.sage.com/accounting/guides/authenticating/authentication/
    const res = await send(http, urls.token, form(fields))
    if (!res.ok) throw await failed(http, res, describeSageError)
    const body = await readJson(http, res, TokenResponseSchema)
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: inMs(http, body.expires_in),
      refreshExpiresAt:
        body.refresh_token_expires_in === undefined ? null : inMs(http, body.refresh_token_expires_in),
      hardExpiresAt: null,
      scope: body.scope ?? null,
    }
  }

  async function get(accessToken: string, path: string, business?: string): Promise<Response> {
    const res = await send(http, `${api}${path}`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(business ? { 'x-business': business } : {}),
      },
    })
    if (!res.ok) throw await failed(http, res, describeSageError)
    return res
  }

  return {
    tokens,

    async revoke(refreshToken: string): Promise<void> {
      // Sage documents no revocation endpoint (PROVIDERS 3.1); the configured one is called, and
      // the connections service deletes the local tokens whatever it answers.
      const res = await send(http, urls.revoke, form({ token: refreshToken }))
      if (!res.ok) throw await failed(http, res, describeSageError)
    },

    /** One token covers every business the user can see (SG-05); the user picks one. */
    async businesses(accessToken: string): Promise<ProviderOrganisation[]> {
      // Not paged: the documented answer carries "$items_per_page": 2147483647.
      // API docs: https://developer.sage.com/accounting/reference/user-businesses/#tag/Businesses/operation/getBusinesses
      const res = await get(accessToken, '/businesses')
      const body = await readJson(http, res, BusinessesSchema)
      return body.$items.map((b) => ({ id: b.id, name: b.displayed_as }))
    },
  }
}
