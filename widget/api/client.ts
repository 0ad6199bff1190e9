import type {
  CompleteConnection,
  CompletedConsent,
  Connection,
  OutstandingWork,
  StartConnection,
} from '../../shared/api/connections.ts'
import type { NewSession, Status } from '../../shared/api/sessions.ts'
import type { StatusAnswer } from '../../shared/sync-state.ts'
import { ApiError } from './api-error.ts'

/** Returns a fresh embed token from the host's backend (each token is exchanged once). */
export type GetToken = () => string | Promise<string>

/** Every call the widget makes to the BFF. The only module that calls `fetch`. */
export interface ApiClient {
  /** The BFF's origin: the only origin whose OAuth messages the widget accepts. */
  readonly origin: string
  status(): Promise<Status>
  startConnection(body: StartConnection): Promise<{ authorizeUrl: string; expiresAt: string }>
  /** Hands back the secret the consent's window received; only then does anything connect. */
  completeConnection(body: CompleteConnection): Promise<CompletedConsent>
  chooseOrganisation(body: { attemptId: string; organisationId: string }): Promise<Connection>
  disconnect(): Promise<void>
  /** What the connection still has to do, for the Disconnect and switch confirmations (admins). */
  outstanding(): Promise<OutstandingWork>
  /** Sync states of up to 500 invoices (the badges of a page), with the connection they go to. */
  syncStatus(invoiceIds: string[]): Promise<StatusAnswer>
  /** "Post to Xero" and Retry: queues the invoice's push now. */
  pushInvoice(invoiceId: string): Promise<{ jobId: string; state: 'pending' }>
  /**
   * Any other session call (the lazy chunks' own: api/bulk.ts, api/history.ts, api/settings.ts),
   * so that a page of badges does not load the words of every route.
   */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>
}

/** `?a=1&b=2` of the defined, non-empty values; '' when none. */
export function queryString(params: object): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : ''
}

export interface ApiClientOptions {
  baseUrl: string
  getToken: GetToken
  fetch?: typeof fetch
}

/**
 * The session token lives in this closure only: never in storage, cookies or the DOM. A 401 on a
 * session call means the session ended, so the client exchanges a new embed token once and retries.
 */
/** The page's `fetch`, called as `globalThis.fetch` each time: never unbound, and a `fetch` the page replaces later is the one used. */
const pageFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)

export function createApiClient({ baseUrl, getToken, fetch: send = pageFetch }: ApiClientOptions): ApiClient {
  const base = new URL(baseUrl)
  let session: Promise<string> | null = null

  async function call(method: string, path: string, body: unknown, token?: string) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    let response: Response
    try {
      response = await send(new URL(path, base), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'omit',
      })
    } catch {
      throw new ApiError('network', 0)
    }
    if (response.status === 204) return undefined
    const answer: unknown = await response.json().catch(() => null)
    if (!response.ok) throw ApiError.fromBody(response.status, answer)
    return answer
  }

  async function exchange(): Promise<string> {
    let embedToken: string
    try {
      embedToken = await getToken()
    } catch {
      throw new ApiError('token_unavailable', 0)
    }
    const created = (await call('POST', '/v1/sessions', { embedToken })) as NewSession
    return created.token
  }

  async function authed(method: string, path: string, body?: unknown, retried = false): Promise<unknown> {
    const current = (session ??= exchange())
    let token: string
    try {
      token = await current
    } catch (error) {
      if (session === current) session = null // the next call tries a new embed token
      throw error
    }
    try {
      return await call(method, path, body, token)
    } catch (error) {
      if (retried || !(error instanceof ApiError) || error.code !== 'unauthenticated') throw error
      if (session === current) session = null
      return authed(method, path, body, true)
    }
  }

  return {
    origin: base.origin,
    status: () => authed('GET', '/v1/status') as Promise<Status>,
    startConnection: (body) =>
      authed('POST', '/v1/connections', body) as Promise<{ authorizeUrl: string; expiresAt: string }>,
    completeConnection: (body) =>
      authed('POST', '/v1/connections/complete', body) as Promise<CompletedConsent>,
    chooseOrganisation: (body) => authed('POST', '/v1/connections/choose', body) as Promise<Connection>,
    disconnect: async () => {
      await authed('DELETE', '/v1/connection')
    },
    outstanding: () => authed('GET', '/v1/connection/outstanding') as Promise<OutstandingWork>,
    syncStatus: (invoiceIds) => authed('POST', '/v1/sync/status', { invoiceIds }) as Promise<StatusAnswer>,
    pushInvoice: (id) =>
      authed('POST', `/v1/sync/invoices/${encodeURIComponent(id)}`) as Promise<{
        jobId: string
        state: 'pending'
      }>,
    request: (method, path, body) => authed(method, path, body) as Promise<never>,
  }
}

/** `data-token-url`: the host backend route that answers `{ token }` to a same-origin POST. */
export function tokenFromUrl(url: string, doFetch: typeof fetch = pageFetch): GetToken {
  return async () => {
    const response = await doFetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
    if (!response.ok) throw new Error(`token URL answered ${response.status}`)
    const { token } = (await response.json()) as { token?: unknown }
    if (typeof token !== 'string' || !token) throw new Error('token URL answered no token')
    return token
  }
}
