import { linksByPath, type RecordLinks } from '../record-links.ts'
import { XeroOrganisationMetaSchema } from './connections.ts'
import { XERO_APP } from './facts.ts'

/**
 * Links into Xero's web app (facts.ts XERO_APP): through the organisation's short code where the
 * connection keeps one, so the record opens in its own organisation for a user with several;
 * otherwise the plain path, which opens it in the organisation the user has open.
 */
export function xeroLinks(appUrl: string): RecordLinks {
  const base = appUrl.replace(/\/+$/, '')
  return linksByPath(XERO_APP.paths, (auth, path) => {
    const meta = XeroOrganisationMetaSchema.safeParse(auth.organisation.meta)
    const shortCode = meta.success ? meta.data.shortCode : undefined
    if (!shortCode) return `${base}${path}`
    return `${base}${XERO_APP.organisationLogin}?shortcode=${encodeURIComponent(shortCode)}&redirecturl=${path}`
  })
}
