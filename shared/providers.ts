import { z } from 'zod'

/**
 * The accounting providers, with the names each requires in buttons and text (Xero's and Intuit's
 * branding rules: "Xero", "QuickBooks", "Sage Accounting").
 *
 * @example PROVIDERS.quickbooks.connectLabel // 'Connect to QuickBooks'
 */
export const PROVIDER_IDS = ['xero', 'quickbooks', 'sage'] as const
export const ProviderIdSchema = z.enum(PROVIDER_IDS).meta({ id: 'ProviderId' })
export type ProviderId = z.infer<typeof ProviderIdSchema>

/**
 * Where a connection stands (`disconnected` ones are history, never shown):
 * - `active`: working.
 * - `expired`: the provider refused to refresh the grant (invalid_grant): reconnect.
 * - `revoked`: the user removed the app on the provider's side: reconnect.
 * - `error`: the provider answered with an error that is not about the grant (see lastError).
 */
export const CONNECTION_STATUSES = ['active', 'expired', 'revoked', 'error'] as const

export interface ProviderDisplay {
  name: string
  connectLabel: string
  postLabel: string
  /**
   * How the consent page opens. Xero's certification (XR-C02) requires a top-level navigation in
   * the same window, never a popup; the others open in a popup, with a redirect when it is blocked.
   */
  consent: 'popup' | 'redirect'
}

export const PROVIDERS: Record<ProviderId, ProviderDisplay> = {
  xero: { name: 'Xero', connectLabel: 'Connect to Xero', postLabel: 'Post to Xero', consent: 'redirect' },
  quickbooks: {
    name: 'QuickBooks',
    connectLabel: 'Connect to QuickBooks',
    postLabel: 'Post to QuickBooks',
    consent: 'popup',
  },
  sage: {
    name: 'Sage Accounting',
    connectLabel: 'Connect to Sage',
    postLabel: 'Post to Sage',
    consent: 'popup',
  },
}
