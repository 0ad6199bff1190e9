import { DEFAULT_SAGE_CLIENT, type SageEmulator, type SageTokenResponse } from './index.ts'

/** Test support: drives the consent page and the token endpoint the way a browser and the product would. */
export const REDIRECT_URI = DEFAULT_SAGE_CLIENT.redirectUris[0]!

export function authorizeUrl(base: string, params: Record<string, string> = {}): string {
  const url = new URL('/oauth2/auth/central', base)
  url.search = new URLSearchParams({
    filter: 'apiv3.1',
    response_type: 'code',
    client_id: DEFAULT_SAGE_CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'full_access',
    state: 'state-123',
    ...params,
  }).toString()
  return url.toString()
}

/** Opens the consent page and submits it; answers the redirect Location. */
export async function consent(
  base: string,
  opts: {
    params?: Record<string, string>
    decision?: 'allow' | 'cancel'
    user?: string
    country?: string
  } = {},
): Promise<URL> {
  const page = await fetch(authorizeUrl(base, opts.params))
  const html = await page.text()
  const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1]
  if (!requestId) throw new Error(`no consent form (${page.status}): ${html}`)
  const firstUser = /name="user" value="([^"]+)"/.exec(html)![1]!
  const form = new URLSearchParams({
    request: requestId,
    user: opts.user ?? firstUser,
    decision: opts.decision ?? 'allow',
  })
  if (html.includes('name="country"')) form.set('country', opts.country ?? 'gb')
  const res = await fetch(page.url, { method: 'POST', body: form, redirect: 'manual' })
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`)
  return new URL(res.headers.get('location')!)
}

export function tokenRequest(base: string, fields: Record<string, string>, init: RequestInit = {}) {
  return fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields),
    ...init,
  })
}

export const clientFields = {
  client_id: DEFAULT_SAGE_CLIENT.clientId,
  client_secret: DEFAULT_SAGE_CLIENT.clientSecret,
}

/** Consent, then code exchange: a fresh token set for the first demo user (Dana, two businesses). */
export async function connect(
  emu: SageEmulator,
  opts: Parameters<typeof consent>[1] = {},
): Promise<SageTokenResponse> {
  const redirect = await consent(emu.url, opts)
  const code = redirect.searchParams.get('code')
  if (!code) throw new Error(`no code in ${redirect.toString()}`)
  const res = await tokenRequest(emu.url, {
    ...clientFields,
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
  })
  if (res.status !== 200) throw new Error(`token exchange answered ${res.status}`)
  return (await res.json()) as SageTokenResponse
}

/** A fetch bound to the API base with the bearer token (and X-Business when given). */
export function apiClient(emu: SageEmulator, accessToken: string, business?: string) {
  return (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${emu.url}/v3.1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(business ? { 'x-business': business } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
}

/** Typed views of API answers, for assertions. */
export type Item = { id: string; displayed_as: string; $path: string } & Record<string, unknown>
export interface Page {
  $total: number
  $page: number
  $next: string | null
  $back: string | null
  $items_per_page: number
  $items: Item[]
}
export type ErrorBody = { $severity: string; $dataCode: string; $message: string; $source: string }[]
export const asPage = async (res: Response) => (await res.json()) as Page
export const asItem = async (res: Response) => (await res.json()) as Item
export const asErrors = async (res: Response) => (await res.json()) as ErrorBody
export const asTokens = async (res: Response) => (await res.json()) as SageTokenResponse
