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

export const PROVIDERS: Record<ProviderId, { name: string; connectLabel: string; postLabel: string }> = {
  xero: { name: 'Xero', connectLabel: 'Connect to Xero', postLabel: 'Post to Xero' },
  quickbooks: { name: 'QuickBooks', connectLabel: 'Connect to QuickBooks', postLabel: 'Post to QuickBooks' },
  sage: { name: 'Sage Accounting', connectLabel: 'Connect to Sage', postLabel: 'Post to Sage' },
}
