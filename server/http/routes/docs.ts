import type { OpenAPIHono } from '@hono/zod-openapi'
import { html, raw } from 'hono/html'
import type { AppEnv } from '../context.ts'

const INFO = {
  title: 'LedgerLink API',
  version: '1.0.0',
  description:
    'The LedgerLink backend-for-frontend. Host backends push customers, invoices, credit notes and payments with an API key; ' +
    'the widget and the extension use a session from an embed token or a password sign-in. ' +
    'Errors are `{ error: { code, message, action, retryable, details, requestId } }`.',
}

/**
 * The page is static HTML and one same-origin stylesheet: nothing else may load or run, no form
 * may post, no page may frame it. (Its links to /openapi.json are navigation, which CSP leaves be.)
 */
const DOCS_CSP =
  "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** `/openapi.json` (OpenAPI 3.1, generated from the zod route definitions) and `/docs`, a readable page of it. */
export function addDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'http',
    scheme: 'bearer',
    description: 'Session token from POST /v1/sessions or POST /v1/sessions/password',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Host backend API key (`llk_…`), created with `npm run cli -- api-keys create --name …`',
  })
  // Built on first request, once every route is registered; routes do not change at run time.
  let cached: ReturnType<typeof app.getOpenAPI31Document> | undefined
  const document = () => (cached ??= app.getOpenAPI31Document({ openapi: '3.1.0', info: INFO }))
  app.get('/openapi.json', (c) => c.json(document()))
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP)
    const doc = document()
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item ?? {}).map(([method, op]) => ({
        path,
        method,
        op: op as {
          summary?: string
          description?: string
          tags?: string[]
          responses?: Record<string, unknown>
          security?: unknown[]
        },
      })),
    )
    const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? 'Other'))]
    return c.html(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>${INFO.title}</title>
            <link rel="stylesheet" href="/assets/docs.css" />
          </head>
          <body>
            <main>
              <h1>${INFO.title} <small>${INFO.version}</small></h1>
              <p>${INFO.description}</p>
              <p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
              ${tags.map(
                (tag) =>
                  html`<section>
                    <h2>${tag}</h2>
                    ${operations
                      .filter((o) => (o.op.tags?.[0] ?? 'Other') === tag)
                      .map(
                        (o) =>
                          html`<article>
                            <h3>
                              <span class="method ${o.method}">${o.method.toUpperCase()}</span>
                              <code>${o.path}</code>
                            </h3>
                            <p>
                              ${o.op.summary ?? ''}${o.op.security?.length ? raw(' <em>(authenticated)</em>') : ''}
                            </p>
                            ${o.op.description ? html`<p class="description">${o.op.description}</p>` : ''}
                            <p class="responses">Answers: ${Object.keys(o.op.responses ?? {}).join(', ')}</p>
                          </article>`,
                      )}
                  </section>`,
              )}
            </main>
          </body>
        </html>`,
    )
  })
}
