import { DEFAULT_CLIENT, DEFAULT_COMPANY, type QuickBooksEmulator } from './index.ts'

export const CLIENT = DEFAULT_CLIENT
export const REALM = DEFAULT_COMPANY.realmId
export const REDIRECT = DEFAULT_CLIENT.redirectUris[0]!
export const ACCOUNTING = 'com.intuit.quickbooks.accounting'

export const basic = (id = CLIENT.clientId, secret = CLIENT.clientSecret) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

export function authorizeUrl(emu: QuickBooksEmulator, params: Record<string, string> = {}): string {
  const u = new URL('/connect/oauth2', emu.url)
  const all = {
    client_id: CLIENT.clientId,
    response_type: 'code',
    scope: ACCOUNTING,
    redirect_uri: REDIRECT,
    state: 'st-1',
    ...params,
  }
  for (const [k, v] of Object.entries(all)) u.searchParams.set(k, v)
  return u.toString()
}

/** Submits the consent form as a browser would, returning the redirect Location. */
export async function consent(
  emu: QuickBooksEmulator,
  params: Record<string, string> = {},
  choice: { decision?: 'allow' | 'cancel'; realmId?: string; user?: string } = {},
): Promise<URL> {
  const page = await fetch(authorizeUrl(emu, params))
  const html = await page.text()
  const form = new URLSearchParams()
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(
      m[1]!,
      m[2]!
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    )
  form.set('decision', choice.decision ?? 'allow')
  const realm = choice.realmId ?? /name="realmId" value="([^"]+)"/.exec(html)?.[1]
  if (realm) form.set('realmId', realm)
  if (choice.user) form.set('user', choice.user)
  const res = await fetch(new URL('/connect/oauth2', emu.url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  })
  return new URL(res.headers.get('location')!)
}

export async function tokenRequest(
  emu: QuickBooksEmulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(new URL('/oauth2/v1/tokens/bearer', emu.url), {
    method: 'POST',
    headers: {
      authorization: basic(),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...headers,
    },
    body: new URLSearchParams(form),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/** Runs the whole consent + code exchange; answers the token set and the realm chosen. */
export async function connect(emu: QuickBooksEmulator, scope = ACCOUNTING, realmId?: string) {
  const redirect = await consent(emu, { scope }, { realmId })
  const code = redirect.searchParams.get('code')!
  const { json } = await tokenRequest(emu, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })
  return {
    accessToken: json.access_token as string,
    refreshToken: json.refresh_token as string,
    realmId: redirect.searchParams.get('realmId')!,
    json,
  }
}

/** Answers are read loosely in tests, property by property, as a client of the JSON would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any

export interface ApiAnswer {
  status: number
  json: Record<string, Loose>
  headers: Headers
}

/** A small client for `/v3/company/{realm}/…` with a bearer token. */
export function apiClient(emu: QuickBooksEmulator, accessToken: string, realmId = REALM) {
  const call = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(new URL(`/v3/company/${realmId}/${path}`, emu.url), {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    return {
      status: res.status,
      json: text ? (JSON.parse(text) as Record<string, Loose>) : {},
      headers: res.headers,
    }
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    query: (q: string) => call('GET', `query?query=${encodeURIComponent(q)}&minorversion=75`),
  }
}

/** The first Fault error of an answer. */
export const faultOf = (a: ApiAnswer) =>
  (a.json.Fault?.Error?.[0] ?? {}) as { code: string; Message: string; Detail: string }
