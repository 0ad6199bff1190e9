import type { XeroEmulator } from './index.ts'
import { DEMO_CLIENT, DEMO_TENANT_IDS } from './index.ts'

/**
 * Test helpers: walk the consent page like a browser, exchange the code, call the API.
 * Not used by the emulator itself.
 */
export const REDIRECT_URI = DEMO_CLIENT.redirectUris[0]!
export const ALL_SCOPES =
  'openid profile email offline_access accounting.transactions accounting.contacts accounting.settings'
export const UK: string = DEMO_TENANT_IDS.uk
export const US: string = DEMO_TENANT_IDS.us
export const AU: string = DEMO_TENANT_IDS.au

export const basic = (id = DEMO_CLIENT.clientId, secret = DEMO_CLIENT.clientSecret!) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

export function authorizeUrl(emu: XeroEmulator, params: Record<string, string> = {}): string {
  const url = new URL('/identity/connect/authorize', emu.url)
  const all = {
    response_type: 'code',
    client_id: DEMO_CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    scope: ALL_SCOPES,
    state: 'st-123',
    ...params,
  }
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v)
  return url.toString()
}

/** Submits the consent form the way a browser would: the hidden request id, chosen tenants, a button. */
export async function decide(
  emu: XeroEmulator,
  pageUrl: string,
  tenants: string[],
  decision = 'allow',
): Promise<URL> {
  const page = await fetch(pageUrl).then((r) => r.text())
  const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1]
  if (!requestId) throw new Error(`no consent form in: ${page.slice(0, 200)}`)
  const form = new URLSearchParams({ request: requestId, decision })
  for (const t of tenants) form.append('tenant', t)
  const res = await fetch(new URL('/identity/connect/authorize/decision', emu.url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  })
  if (res.status !== 302) throw new Error(`decision answered ${res.status}`)
  return new URL(res.headers.get('location')!)
}

export async function tokenRequest(emu: XeroEmulator, form: Record<string, string>, auth = basic()) {
  const res = await fetch(new URL('/connect/token', emu.url), {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  })
  return { status: res.status, body: (await res.json()) as Record<string, string> }
}

export interface Tokens {
  access_token: string
  refresh_token: string
  id_token?: string
  expires_in: number
  scope: string
}

/** Consent to `tenants` with `scope` and exchange the code. */
export async function connect(
  emu: XeroEmulator,
  opts: { tenants?: string[]; scope?: string } = {},
): Promise<Tokens> {
  const back = await decide(
    emu,
    authorizeUrl(emu, opts.scope ? { scope: opts.scope } : {}),
    opts.tenants ?? [UK, US, AU],
  )
  const { status, body } = await tokenRequest(emu, {
    grant_type: 'authorization_code',
    code: back.searchParams.get('code')!,
    redirect_uri: REDIRECT_URI,
  })
  if (status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(body)}`)
  return body as unknown as Tokens
}

/** One Accounting API call; `headers` may override the tenant or add Idempotency-Key. */
export async function api(
  emu: XeroEmulator,
  token: string,
  method: string,
  path: string,
  opts: { tenant?: string | null; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    ...opts.headers,
  }
  const tenant = opts.tenant === undefined ? UK : opts.tenant
  if (tenant) headers['xero-tenant-id'] = tenant
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${emu.url}/api.xro/2.0${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: parseBody(text) }
}

export const line = (over: Record<string, unknown> = {}) => ({
  Description: 'Pro plan',
  Quantity: 1,
  UnitAmount: 100,
  AccountCode: '200',
  ...over,
})

// Answers are read loosely: each test asserts the exact shape it cares about.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseBody(text: string): any {
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return text
  }
}
