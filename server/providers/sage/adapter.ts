import type { ProviderAdapter } from '../provider.ts'
import { ProviderError } from '../provider.ts'
import type { HttpOptions } from '../provider-http.ts'
import { createProviderHttp } from '../provider-http.ts'
import { createSageApi } from './api.ts'
import { createSageChanges } from './changes.ts'
import { createSageChart } from './chart.ts'
import { createSagePayments } from './payments.ts'
import { createSageCreditNotes } from './credit-notes.ts'
import type { SageUrls } from './client.ts'
import { createSageClient } from './client.ts'
import { createSageContacts } from './contacts.ts'
import { SAGE_FACTS, SAGE_WIRE } from './facts.ts'
import { createSageInvoices } from './invoices.ts'
import { sageTotals } from './totals.ts'

export interface SageAdapterOptions extends HttpOptions {
  clientId: string
  clientSecret: string
  urls: SageUrls
}

export function createSageAdapter(options: SageAdapterOptions): ProviderAdapter {
  const http = createProviderHttp('sage', options, SAGE_WIRE)
  const sage = createSageClient(http, options, options.urls)
  const api = createSageApi(http, options.urls.api)

  return {
    id: 'sage',
    facts: SAGE_FACTS,
    sync: {
      totals: sageTotals,
      lineAccount: 'id',
      contacts: createSageContacts(api),
      invoices: createSageInvoices(api),
      payments: createSagePayments(api),
      creditNotes: createSageCreditNotes(api),
      changes: createSageChanges(api),
      chart: createSageChart(api),
    },
    oauth: {
      authorizeUrl({ state, codeChallenge, redirectUri }) {
        // The configured URL keeps its own query (`filter=apiv3.1`); the rest is added to it.
        // API docs: https://developer.sage.com/accounting/guides/authenticating/authentication/
        const url = new URL(options.urls.authorize)
        const q = url.searchParams
        q.set('response_type', 'code')
        q.set('client_id', options.clientId)
        q.set('redirect_uri', redirectUri)
        q.set('scope', SAGE_FACTS.scopes.join(' '))
        q.set('state', state)
        q.set('code_challenge', codeChallenge)
        q.set('code_challenge_method', 'S256')
        return url
      },

      // Sage's answer names no business: the organisations come from /businesses afterwards.
      exchange: async ({ code, codeVerifier, redirectUri }) => ({
        tokens: await sage.tokens({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }),
        grant: {},
      }),

      refresh: (refreshToken) => sage.tokens({ grant_type: 'refresh_token', refresh_token: refreshToken }),

      revoke: ({ refreshToken }) => sage.revoke(refreshToken),
    },
    organisations: {
      list: (accessToken) => sage.businesses(accessToken),

      /**
       * /businesses is the cheapest authenticated read, and it answers the question asked: is this
       * business still among the grant's? A business the user no longer reaches is 'revoked'; a
       * token Sage refuses is a 401, 'auth'.
       */
      async check(accessToken, organisation) {
        const businesses = await sage.businesses(accessToken)
        if (!businesses.some((b) => b.id === organisation.id))
          throw new ProviderError(
            'sage',
            'revoked',
            `the Sage business ${organisation.name} is no longer available to this user`,
          )
      },
    },
  }
}
