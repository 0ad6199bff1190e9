import { AppError } from '../errors.ts'
import type { Logger } from '../logging/logger.ts'

/**
 * Where a consent may come back to: a redirect URI from OAUTH_REDIRECT_URIS, a returnTo and an
 * opener on an allowed origin (ALLOWED_ORIGINS and PUBLIC_URL's own). The widget sends what its
 * page is, so a value outside these lists is a fault of the deployment, not of anything the user
 * typed: it answers configuration_error (the panel asks the app's administrator) and the details,
 * which name the setting, go to the log.
 */
export function createConsentTargets(
  config: { oauthRedirectUris: string[]; allowedOrigins: string[]; publicUrl: string },
  log: Logger,
) {
  const publicOrigin = new URL(config.publicUrl).origin
  const allowed = new Set([...config.allowedOrigins, publicOrigin])

  function fault(path: string, setting: string, value: string) {
    log.warn('consent refused: the server is not configured for it', {
      field: path,
      value,
      setting,
      allowed: setting === 'OAUTH_REDIRECT_URIS' ? config.oauthRedirectUris : [...allowed],
    })
    return new AppError('configuration_error', {
      details: [{ path, message: `${value} is not allowed by ${setting} on the LedgerLink server` }],
    })
  }

  return {
    redirectUri(requested: string | undefined): string {
      const uri = requested ?? config.oauthRedirectUris[0]!
      if (!config.oauthRedirectUris.includes(uri)) throw fault('redirectUri', 'OAUTH_REDIRECT_URIS', uri)
      return uri
    },

    /** Where a full-page redirect comes back to. */
    returnTo(mode: 'popup' | 'redirect', returnTo: string | undefined): string | null {
      if (mode === 'popup') return returnTo ?? null
      if (!returnTo)
        throw new AppError('validation_failed', {
          details: [{ path: 'returnTo', message: 'A full-page redirect needs returnTo' }],
        })
      const origin = new URL(returnTo).origin
      if (!allowed.has(origin)) throw fault('returnTo', 'ALLOWED_ORIGINS', origin)
      return returnTo
    },

    /**
     * The origin the callback page may post its message to. A browser page on an origin that is
     * not allowed would never hear back (the message is addressed to allowed origins only), so
     * its popup consent is refused up front; a caller without an Origin gets PUBLIC_URL's.
     */
    openerOrigin(mode: 'popup' | 'redirect', origin: string | undefined): string {
      if (origin && allowed.has(origin)) return origin
      if (origin && mode === 'popup') throw fault('origin', 'ALLOWED_ORIGINS', origin)
      return publicOrigin
    },
  }
}
