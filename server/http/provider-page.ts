import type { Context } from 'hono'
import { html } from 'hono/html'
import type { OAuthResultMessage } from '../../shared/api/connections.ts'
import type { AppEnv } from './context.ts'

/**
 * The small page a browser lands on from a provider's site (the OAuth callback, a Disconnect URL):
 * a title and a sentence, and for the callback the message the widget reads from it.
 */
export function providerPage(
  c: Context<AppEnv>,
  status: 200 | 400,
  title: string,
  text: string,
  message?: { origin: string; data: OAuthResultMessage },
) {
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  )
  c.header('Cache-Control', 'no-store')
  // The popup came here through the provider's site: only without COOP does it still know its opener.
  c.header('Cross-Origin-Opener-Policy', 'unsafe-none')
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>${title}</title>
          <link rel="stylesheet" href="/assets/oauth.css" />
          ${
            message
              ? html`<script
                  src="/assets/oauth-callback.js"
                  data-origin="${message.origin}"
                  data-message="${JSON.stringify(message.data)}"
                  defer
                ></script>`
              : ''
          }
        </head>
        <body>
          <main>
            <h1>${title}</h1>
            <p role="status">${text}</p>
          </main>
        </body>
      </html>`,
    status,
  )
}
