import type { MiddlewareHandler } from 'hono'

export interface LoggedRequest {
  at: number
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: string
  organisation: string | null
  status: number
  /** Why a 429 was answered (the provider's own header: Xero's X-Rate-Limit-Problem), if it says. */
  limitProblem?: string
}

/** Every request an emulator saw, so a test can assert what the product sent. */
export function createRequestLog(organisationOf: (req: Request) => string | null, now: () => number) {
  const entries: LoggedRequest[] = []
  const middleware: MiddlewareHandler = async (c, next) => {
    const req = c.req.raw
    const body = req.body ? await req.clone().text() : ''
    const url = new URL(req.url)
    const entry: LoggedRequest = {
      at: now(),
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(req.headers),
      body,
      organisation: organisationOf(req),
      status: 0,
    }
    entries.push(entry)
    await next()
    entry.status = c.res.status
    const problem = c.res.headers.get('x-rate-limit-problem')
    if (problem) entry.limitProblem = problem
  }
  return { entries, middleware, clear: () => void (entries.length = 0) }
}
