import { z } from 'zod'
import type { GrantContext, ProviderAdapter } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type { HttpOptions } from '../provider-http.ts'
import { createProviderHttp } from '../provider-http.ts'
import { createCompanyApi } from './company.ts'
import { QUICKBOOKS_FACTS, QUICKBOOKS_WIRE } from './facts.ts'
import type { IntuitUrls } from './intuit.ts'
import { intuitCall, intuitClient, toTokenSet } from './intuit.ts'
import { createQuickBooksSync } from './sync.ts'

export interface QuickBooksAdapterOptions extends HttpOptions {
  clientId: string
  clientSecret: string
  /** `app`: the web app the links of synced records open (app.qbo.intuit.com, or the sandbox's). */
  urls: IntuitUrls & { api: string; app: string }
}

/**
 * What a QuickBooks grant keeps as its metadata: the company chosen on the consent page (`realmId`
 * on the redirect). Its organisation's id is that realm, so organisations need no metadata.
 */
const GrantMetaSchema = z.object({ realmId: z.string().min(1) })

export function createQuickBooksAdapter(options: QuickBooksAdapterOptions): ProviderAdapter {
  const http = createProviderHttp('quickbooks', options, QUICKBOOKS_WIRE)
  const company = createCompanyApi(http, options.urls.api)
  const realmOf = (grant: GrantContext) => {
    const meta = GrantMetaSchema.safeParse(grant.meta)
    if (!meta.success)
      throw new ProviderError(
        'quickbooks',
        'validation',
        'the callback named no QuickBooks company (realmId)',
      )
    return meta.data.realmId
  }

  return {
    id: 'quickbooks',
    facts: QUICKBOOKS_FACTS,
    sync: createQuickBooksSync(company, options.urls.app),
    oauth: {
      /**
       * No PKCE: Intuit documents none for QuickBooks Online apps with a client secret, intuit-oauth
       * can neither send a challenge nor a verifier, and the emulator ignores both. The state check
       * and the client secret protect the code.
       */
      authorizeUrl({ state, redirectUri }) {
        // API docs: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-3-create-the-authorization-request
        return new URL(
          intuitClient(options, redirectUri).authorizeUri({ scope: [...QUICKBOOKS_FACTS.scopes], state }),
        )
      },

      exchange: ({ code, redirectUri, callback }) =>
        intuitCall(http, async () => {
          const params = new URLSearchParams(callback)
          params.set('code', code)
          // createToken reads code and realmId from the redirect URL it is given.
          // API docs: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-5-exchange-the-authorization-code-for-access-tokens
          const res = await intuitClient(options, redirectUri).createToken(
            `${redirectUri}?${params.toString()}`,
          )
          const grant = { meta: { realmId: params.get('realmId') } }
          realmOf(grant) // a callback that names no company is refused here, not later
          return { tokens: toTokenSet(http, res.json), grant }
        }),

      refresh: (refreshToken) =>
        intuitCall(http, async () => {
          // refreshUsingToken, not refresh(): refresh() first judges the token locally by its own clock.
          // API docs: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#refresh-the-token
          const res = await intuitClient(options).refreshUsingToken(refreshToken)
          return toTokenSet(http, res.json)
        }),

      revoke: ({ refreshToken }) =>
        intuitCall(http, async () => {
          // Revoking the refresh token disconnects the app from the company (QB-2.3).
          // API docs: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#revoke-token-disconnect
          await intuitClient(options).revoke({ refresh_token: refreshToken })
        }),
    },
    organisations: {
      // One consent reaches one company: the realm chosen on the consent page.
      list: async (accessToken, grant) => [await company.info(accessToken, realmOf(grant))],
      check: async (accessToken, organisation) => void (await company.info(accessToken, organisation.id)),
    },
  }
}
