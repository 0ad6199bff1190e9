import { z } from 'zod'
import type { ProviderOrganisation } from '../provider.ts'
import type { ProviderHttp } from '../provider-http.ts'
import { failed, readJson, send } from '../provider-http.ts'
import { describeXeroBody } from './errors.ts'
import { XERO_WIRE } from './facts.ts'

/**
 * `/connections` by a small typed call of our own: xero-node's updateTenants and disconnect use the
 * hard-coded https://api.xero.com (PROVIDERS 5.1), so they cannot reach a configured host.
 */
const ConnectionRawSchema = z.looseObject({
  id: z.string(),
  authEventId: z.string().nullish(),
  tenantId: z.string(),
  tenantType: z.string(),
  tenantName: z.string().nullish(),
})
export type XeroConnectionRaw = z.infer<typeof ConnectionRawSchema>

/**
 * What a Xero organisation keeps as its metadata: the connection to DELETE on disconnect, and, where
 * it is known, its ShortCode, through which links open records in that organisation (facts.ts
 * XERO_APP). Nothing stores one yet: /connections does not give it, and GET /Organisation at
 * consent would be a call the rate limiter does not count.
 */
export const XeroOrganisationMetaSchema = z.object({
  connectionId: z.string().min(1),
  shortCode: z.string().min(1).optional(),
})
/** What a Xero grant keeps as its metadata: the consent whose connections are its organisations. */
export const XeroGrantMetaSchema = z.object({ authEventId: z.string().min(1) })

const bearer = (accessToken: string) => ({
  authorization: `Bearer ${accessToken}`,
  accept: 'application/json',
})
const describe = (status: number) => (body: unknown) => describeXeroBody(status, body)

export function createXeroConnections(http: ProviderHttp, apiUrl: string) {
  const base = `${apiUrl.replace(/\/+$/, '')}${XERO_WIRE.paths.connections}`
  return {
    /** The organisations one consent added: filtering by authEventId keeps earlier consents' out (XR-C10). */
    async list(accessToken: string, authEventId: string): Promise<ProviderOrganisation[]> {
      const url = new URL(base)
      url.searchParams.set('authEventId', authEventId)
      // API docs: https://developer.xero.com/documentation/guides/oauth2/auth-flow/#5-check-the-tenants-youre-authorized-to-access
      const res = await send(http, url, { headers: bearer(accessToken) })
      if (!res.ok) throw await failed(http, res, describe(res.status))
      const connections = await readJson(http, res, z.array(ConnectionRawSchema))
      // Only organisations have an accounting API; practice-manager tenants are of no use here.
      return connections
        .filter((c) => c.tenantType === 'ORGANISATION')
        .map((c) => ({ id: c.tenantId, name: c.tenantName ?? '', meta: { connectionId: c.id } }))
    },

    async remove(accessToken: string, connectionId: string): Promise<void> {
      // API docs: https://developer.xero.com/documentation/guides/oauth2/auth-flow/#removing-connections
      const res = await send(http, `${base}/${encodeURIComponent(connectionId)}`, {
        method: 'DELETE',
        headers: bearer(accessToken),
      })
      // 404: the user already removed it in Xero; the disconnect has happened either way.
      if (!res.ok && res.status !== 404) throw await failed(http, res, describe(res.status))
    },
  }
}
