import type { OAuthResultMessage } from '../../shared/api/connections.ts'
import { PROVIDER_IDS, type ProviderId } from '../../shared/providers.ts'

type Outcome = OAuthResultMessage['outcome']

/** How a consent came back; `authorised` carries what completes it. */
export type ConsentResult =
  | { outcome: 'authorised'; provider: ProviderId; attemptId: string; secret: string }
  | { outcome: 'cancelled' | 'failed'; provider: ProviderId; errorCode?: string | undefined }

const OUTCOMES: readonly Outcome[] = ['authorised', 'cancelled', 'failed']
/** The callback's redirect comes back with these (server/http/routes/connections.ts writes them). */
const PARAMS = {
  outcome: 'ledgerlink_oauth',
  provider: 'ledgerlink_provider',
  errorCode: 'ledgerlink_error',
  attemptId: 'ledgerlink_attempt',
  secret: 'ledgerlink_secret',
} as const

const isProvider = (p: unknown): p is ProviderId => PROVIDER_IDS.includes(p as ProviderId)
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0

/** Checks the shape of a consent's result (OAuthResultMessageSchema, without zod's weight). */
function asConsentResult(m: Partial<Record<keyof OAuthResultMessage, unknown>>): ConsentResult | null {
  const { outcome, provider } = m
  if (!OUTCOMES.includes(outcome as Outcome) || !isProvider(provider)) return null
  if (outcome !== 'authorised')
    return {
      outcome: outcome as 'cancelled' | 'failed',
      provider,
      errorCode: isText(m.errorCode) ? m.errorCode : undefined,
    }
  return isText(m.attemptId) && isText(m.secret)
    ? { outcome, provider, attemptId: m.attemptId, secret: m.secret }
    : null
}

/** The callback page's message to its opener (popup), or null when it is not one. */
export function fromMessage(data: unknown): ConsentResult | null {
  const m = data as Partial<OAuthResultMessage> | null
  return m?.type === 'ledgerlink:oauth' ? asConsentResult(m) : null
}

/** `href` without a consent's result in its query string. */
export function withoutResult(href: string): string {
  const url = new URL(href)
  for (const name of Object.values(PARAMS)) url.searchParams.delete(name)
  return url.href
}

/** A redirect's result in the page's URL, and the URL to show instead; null when there is none. */
export function fromReturnUrl(href: string): { result: ConsentResult | null; tidied: string } | null {
  const url = new URL(href)
  if (!url.searchParams.has(PARAMS.outcome)) return null
  const fields = Object.fromEntries(
    Object.entries(PARAMS).map(([key, name]) => [key, url.searchParams.get(name)]),
  )
  return { result: asConsentResult(fields), tidied: withoutResult(href) }
}
